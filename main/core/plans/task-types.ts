import type { TaskType, TaskTypeExpectedValue, TaskTypeFieldsValue } from '../../../shared/domain/plan';
import { TASK_FORM_LABELS } from '../../../shared/domain/plan';
import { appendAudit, changedColumns } from '../audit';
import type { Actor, WriteCore } from '../context';
import { AppError } from '../errors';
import { hiddenNameProblem, printsLike } from '../locations/reference-names';
import { command, query, scalar } from '../sql/query';
import type { EquipmentRow, TaskTypeRow } from '../sql/rows';
import { refreshAllServiceStatus } from '../sync/service-status';
import { listTaskTypes, taskTypeMap } from './service';

/**
 * Task types of a hospital's own (issue 16; docs/scheduling.md says the list is open): an
 * administrator adds one with its label, the form its work is entered with, and what a fail or an
 * overdue plan of it means, with no new version of Wardkeep. Its code is made from the label and
 * never changes, so plans, records and files keep naming it. Wardkeep's own types keep their form.
 */

const byCode = query<TaskTypeRow, { code: string }>('SELECT * FROM task_types WHERE code = @code');
const heldByTask = query<Pick<EquipmentRow, 'asset_tag'>, { task: string }>(
  `SELECT e.asset_tag FROM equipment e JOIN plans p ON p.id = e.tagged_out_by_plan_id
   WHERE e.status = 'out_of_service' AND p.task = @task ORDER BY e.asset_tag`,
);
const lastSort = scalar<number | null>('SELECT max(sort_order) FROM task_types');
const insert = command<TaskTypeRow>(
  `INSERT INTO task_types (code, label, target, fail_tags_out, overdue_blocks_use, sort_order, form_kind, fail_opens_work_order, active, builtin)
   VALUES (@code, @label, @target, @fail_tags_out, @overdue_blocks_use, @sort_order, @form_kind, @fail_opens_work_order, @active, @builtin)`,
);
const update = command<Omit<TaskTypeRow, 'target' | 'sort_order' | 'builtin'>>(
  `UPDATE task_types SET label = @label, fail_tags_out = @fail_tags_out, overdue_blocks_use = @overdue_blocks_use, form_kind = @form_kind,
     fail_opens_work_order = @fail_opens_work_order, active = @active WHERE code = @code`,
);

/**
 * Built-in tasks the repairs rely on, so they stay in use: every repair is recorded as a `repair`,
 * and a device back from repair with no electrical safety test is inspected before use (with the
 * inspection stopped it would go back into use with no check at all).
 */
const KEPT_IN_USE: Readonly<Record<string, string>> = {
  repair: 'every repair on a work order is recorded as one',
  inspection: 'a device back from repair is inspected before use when it has no electrical safety test',
};

const flag = (b: boolean) => (b ? (1 as const) : (0 as const));
const fold = (s: string) => s.toLowerCase().replace(/[\s_-]+/g, '');

/** `Battery check` → `battery_check`; a second one `battery_check_2`. */
function codeFor(label: string, taken: ReadonlySet<string>): string {
  const base =
    label
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 30) || 'task';
  let code = base;
  for (let n = 2; taken.has(code); n++) code = `${base}_${n}`;
  return code;
}

/**
 * A new or changed task name is unique (case, spaces, dashes and underscores ignored, against the
 * other tasks' names and codes) and prints as what it is, as the names of locations and categories
 * do (locations/reference-names.ts): no character that prints as nothing, and not like another
 * task's name (a look-alike letter, an invisible character, full-width letters), since lists, forms
 * and printouts show only the name. Names saved before this rule keep working while unchanged.
 */
function assertLabelFree(types: readonly TaskType[], label: string, except: string | null): void {
  const others = types.filter((t) => t.code !== except);
  const clash = others.find((t) => fold(t.label) === fold(label) || fold(t.code) === fold(label));
  if (clash) throw new AppError('conflict', `"${label}" is already the task ${clash.label}: give it another name.`, { field: 'label' });
  const hidden = hiddenNameProblem(label);
  const alike = printsLike(
    label,
    others.map((t) => ({ name: t.label, active: t.active })),
  );
  if (alike) {
    throw new AppError(
      'conflict',
      `"${label}" prints like the task ${alike.name}${alike.active ? '' : ' (out of use)'}${hidden ? ' (it holds a character that does not print as itself)' : ''}: lists, forms and printouts must never show two tasks that look the same. Choose a name that reads differently.`,
      { field: 'label' },
    );
  }
  if (hidden) throw new AppError('invalid_input', hidden, { field: 'label' });
}

/**
 * What someone else changed since the change dialog opened with `expected`, in words ("now out of
 * use"), with the first such field; null when the task is as the dialog opened.
 */
function changedMeanwhile(before: TaskTypeRow, expected: TaskTypeExpectedValue): { field: keyof TaskTypeExpectedValue; words: string } | null {
  const words: string[] = [];
  let field: keyof TaskTypeExpectedValue | null = null;
  const changed = (name: keyof TaskTypeExpectedValue, text: string) => {
    field ??= name;
    words.push(text);
  };
  if (before.label !== expected.label) changed('label', `now called "${before.label}"`);
  if (before.form_kind !== expected.formKind) changed('formKind', `its form now ${TASK_FORM_LABELS[before.form_kind].toLowerCase()}`);
  if ((before.fail_tags_out === 1) !== expected.failTakesOutOfService) {
    changed('failTakesOutOfService', before.fail_tags_out === 1 ? 'a fail now takes the device out of service' : 'a fail no longer takes the device out of service');
  }
  if ((before.fail_opens_work_order === 1) !== expected.failOpensWorkOrder) {
    changed('failOpensWorkOrder', before.fail_opens_work_order === 1 ? 'a fail now opens a work order' : 'a fail no longer opens a work order');
  }
  if ((before.overdue_blocks_use === 1) !== expected.overdueMeansDoNotUse) {
    changed('overdueMeansDoNotUse', before.overdue_blocks_use === 1 ? 'overdue now means do not use' : 'overdue no longer means do not use');
  }
  if ((before.active === 1) !== expected.active) changed('active', before.active === 1 ? 'back in use now' : 'now out of use: offered for no new work');
  return field ? { field, words: words.join(', ') } : null;
}

export function createTaskType(core: WriteCore, actor: Actor, input: TaskTypeFieldsValue): TaskType {
  const types = listTaskTypes(core);
  assertLabelFree(types, input.label, null);
  const row: TaskTypeRow = {
    code: codeFor(input.label, new Set(types.map((t) => t.code))),
    label: input.label,
    target: 'equipment',
    fail_tags_out: flag(input.failTakesOutOfService),
    overdue_blocks_use: flag(input.overdueMeansDoNotUse),
    sort_order: (lastSort.get(core) ?? 0) + 1,
    form_kind: input.formKind,
    fail_opens_work_order: flag(input.failOpensWorkOrder),
    active: 1,
    builtin: 0,
  };
  insert.run(core, row);
  appendAudit(core, actor, { action: 'create', entity: 'task_type', entityId: row.code, new: row });
  return taskTypeMap(core).get(row.code)!;
}

export function updateTaskType(
  core: WriteCore,
  actor: Actor,
  input: Omit<TaskTypeFieldsValue, 'formKind'> & { code: string; active: boolean; formKind: TaskTypeRow['form_kind']; expected?: TaskTypeExpectedValue | undefined },
): TaskType {
  const before = byCode.get(core, { code: input.code });
  if (!before) throw new AppError('not_found', 'That task does not exist.', { field: 'code' });
  const meanwhile = input.expected ? changedMeanwhile(before, input.expected) : null;
  if (meanwhile) {
    throw new AppError('conflict', `${input.expected!.label} was changed by someone else since you opened this (${meanwhile.words}): check and save again.`, {
      field: `expected.${meanwhile.field}`,
    });
  }
  // Only a changed name is checked again: one saved before a rule (or two PCs' names met at the hub) keeps working.
  if (input.label !== before.label) assertLabelFree(listTaskTypes(core), input.label, before.code);
  if (before.builtin === 1 && input.formKind !== before.form_kind) {
    throw new AppError('invalid_input', `${before.label} is one of Wardkeep's own tasks: its form stays as it is.`, { field: 'formKind' });
  }
  if (before.builtin === 0 && (input.formKind === 'cleaning' || input.formKind === 'stock_check')) {
    throw new AppError('invalid_input', 'Choose a checklist, measurements, safety checks or a plain pass or fail.', { field: 'formKind' });
  }
  const kept = before.builtin === 1 ? KEPT_IN_USE[before.code] : undefined;
  if (kept && !input.active) throw new AppError('invalid_input', `${before.label} stays in use: ${kept}.`, { field: 'active' });
  if (before.target === 'stock_location' && (input.failTakesOutOfService || input.failOpensWorkOrder)) {
    throw new AppError('invalid_input', `${before.label} is done on stock locations, which are never taken out of service.`, { field: 'failTakesOutOfService' });
  }
  const next = {
    label: input.label,
    fail_tags_out: flag(input.failTakesOutOfService),
    overdue_blocks_use: flag(input.overdueMeansDoNotUse),
    form_kind: input.formKind,
    fail_opens_work_order: flag(input.failOpensWorkOrder),
    active: flag(input.active),
  };
  if (before.fail_tags_out === 1 && next.fail_tags_out === 0) {
    // The devices this task's failed tests hold would go back in service with no one deciding it.
    const held = heldByTask.all(core, { task: before.code }).map((r) => r.asset_tag);
    if (held.length > 0) {
      const named = held.length > 3 ? `${held.slice(0, 3).join(', ')} and ${held.length - 3} more` : held.join(', ');
      throw new AppError(
        'conflict',
        `${named} ${held.length === 1 ? 'is' : 'are'} out of service because of a failed ${before.label.toLowerCase()}. Put ${held.length === 1 ? 'it' : 'them'} back in service first (on the device's page with the reason, or through the work order), or keep this ticked.`,
        { field: 'failTakesOutOfService' },
      );
    }
  }
  const changes = changedColumns(before, next);
  if (changes) {
    update.run(core, { ...next, code: before.code });
    appendAudit(core, actor, { action: 'update', entity: 'task_type', entityId: before.code, ...changes });
    // Whether its fails take devices out: every device's status derived again at once, as every
    // other PC of a hub does when the change arrives (sync/apply.ts).
    if (before.fail_tags_out !== next.fail_tags_out) refreshAllServiceStatus(core);
  }
  return taskTypeMap(core).get(before.code)!;
}
