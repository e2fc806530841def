import type { RepairCode, RepairCodeKind, RepairCodeListing } from '../../../shared/domain/work-order';
import { nameKey } from '../../../shared/domain/common';
import { appendAudit } from '../audit';
import { isoInstant } from '../clock';
import type { Actor, Core, WriteCore } from '../context';
import { AppError } from '../errors';
import { uuidv7 } from '../ids';
import { hiddenNameProblem, printingAlike, printsLike, printsLikeOthers } from '../locations/reference-names';
import { command, query, scalar } from '../sql/query';
import type { RepairCodeRow } from '../sql/rows';

/**
 * Failure codes (what failed) and cause codes (why), editable lists seeded by migration 0008. A
 * code is never deleted: "deleting" it takes it off the lists for new repairs, while the work
 * orders that used it keep it (and name it as it was).
 */

const all = query<RepairCodeRow>('SELECT * FROM repair_codes ORDER BY kind, active DESC, sort_order, label_key');
const byId = query<RepairCodeRow, { id: string }>('SELECT * FROM repair_codes WHERE id = @id');
const byLabel = query<RepairCodeRow, { kind: RepairCodeKind; key: string }>('SELECT * FROM repair_codes WHERE kind = @kind AND label_key = @key');
const ofKind = query<Pick<RepairCodeRow, 'label' | 'active'>, { kind: RepairCodeKind }>('SELECT label, active FROM repair_codes WHERE kind = @kind');
const lastSort = scalar<number | null, { kind: RepairCodeKind }>('SELECT max(sort_order) FROM repair_codes WHERE kind = @kind');
const insert = command<RepairCodeRow>(
  `INSERT INTO repair_codes (id, kind, label, label_key, active, sort_order, created_at, updated_at, pc_id)
   VALUES (@id, @kind, @label, @label_key, @active, @sort_order, @created_at, @updated_at, @pc_id)`,
);
const setActive = command<Pick<RepairCodeRow, 'id' | 'active' | 'updated_at' | 'pc_id'>>(
  'UPDATE repair_codes SET active = @active, updated_at = @updated_at, pc_id = @pc_id WHERE id = @id',
);

const KIND_WORDS: Record<RepairCodeKind, string> = { failure: 'failure code', cause: 'cause code' };

export function toRepairCode(r: RepairCodeRow): RepairCode {
  return { id: r.id, kind: r.kind, label: r.label, active: r.active === 1 };
}

/**
 * Every code, each on the list with the sentence shown under it when its label prints like another
 * of its kind on the list ("Crаcked casing" with a Cyrillic а beside "Cracked casing"): the repair
 * form and the failure report could not tell them apart. Each PC refuses such a label, but two PCs
 * of a hub apart each hold only their own (the Conflicts screen lists them too: sync/keys.ts).
 */
export function listRepairCodes(core: Core): RepairCodeListing[] {
  const rows = all.all(core);
  const alike = printsLikeOthers(printingAlike(rows.filter((r) => r.active === 1).map((r) => ({ id: r.id, name: r.label, kind: r.kind })), (r) => r.kind));
  return rows.map((r) => {
    const note = alike.get(r.id);
    const word = KIND_WORDS[r.kind];
    return {
      ...toRepairCode(r),
      printsLike: note
        ? `Prints like ${note.others.map((n) => `“${n}”`).join(' and ')}, ${note.others.length === 1 ? `another ${word}` : `other ${word}s`}${note.differs ? `; this one ${note.differs}` : ''}. Delete one of them: the repair form and the failure report must tell codes apart.`
        : null,
    };
  });
}

export function repairCode(core: Core, id: string | null): RepairCode | null {
  if (!id) return null;
  const row = byId.get(core, { id });
  return row ? toRepairCode(row) : null;
}

/** A code chosen for a repair: it must exist, be of its kind, and still be on the list. */
export function usableCode(core: Core, id: string, kind: RepairCodeKind, field: string): RepairCodeRow {
  const row = byId.get(core, { id });
  if (!row || row.kind !== kind) throw new AppError('invalid_input', `Choose the ${KIND_WORDS[kind]} from the list.`, { field });
  if (row.active !== 1) {
    throw new AppError('invalid_input', `The ${KIND_WORDS[kind]} "${row.label}" was deleted from the list: choose another one.`, { field });
  }
  return row;
}

/**
 * A new code prints as what it is, as the names of locations and categories do
 * (locations/reference-names.ts): no character that prints as nothing, and not like another code of
 * its kind (a look-alike letter, an invisible character), since the repair form offers them by name
 * and the reports count them apart. Codes saved before this rule keep working.
 */
function assertPrintsApart(core: Core, kind: RepairCodeKind, label: string): void {
  const hidden = hiddenNameProblem(label, 'Code');
  const alike = printsLike(
    label,
    ofKind.all(core, { kind }).map((c) => ({ name: c.label, active: c.active })),
  );
  if (alike) {
    throw new AppError(
      'conflict',
      `"${label}" prints like the ${KIND_WORDS[kind]} "${alike.name}"${alike.active === 1 ? '' : ` (deleted: add "${alike.name}" to bring it back)`}${hidden ? ' (it holds a character that does not print as itself)' : ''}: the repair form must never offer two codes that look the same. Choose a name that reads differently.`,
      { field: 'label' },
    );
  }
  if (hidden) throw new AppError('invalid_input', hidden, { field: 'label' });
}

/** Adds a code; a deleted one of the same name comes back instead. */
export function addRepairCode(core: WriteCore, actor: Actor, input: { kind: RepairCodeKind; label: string }): RepairCode {
  const key = nameKey(input.label);
  const now = isoInstant(core.clock.now());
  const existing = byLabel.get(core, { kind: input.kind, key });
  if (existing) {
    if (existing.active === 1) throw new AppError('conflict', `"${existing.label}" is already a ${KIND_WORDS[input.kind]}.`, { field: 'label' });
    setActive.run(core, { id: existing.id, active: 1, updated_at: now, pc_id: core.pcId });
    appendAudit(core, actor, { action: 'restore', entity: 'repair_code', entityId: existing.id, old: { active: 0 }, new: { active: 1 } });
    return toRepairCode({ ...existing, active: 1 });
  }
  assertPrintsApart(core, input.kind, input.label);
  const row: RepairCodeRow = {
    id: uuidv7(core.clock.now().getTime()),
    kind: input.kind,
    label: input.label,
    label_key: key,
    active: 1,
    sort_order: (lastSort.get(core, { kind: input.kind }) ?? 0) + 1,
    created_at: now,
    updated_at: now,
    pc_id: core.pcId,
  };
  insert.run(core, row);
  appendAudit(core, actor, { action: 'create', entity: 'repair_code', entityId: row.id, new: row });
  return toRepairCode(row);
}

/** Takes a code off the list for new repairs; the work orders that used it keep it. */
export function removeRepairCode(core: WriteCore, actor: Actor, id: string): RepairCode {
  const row = byId.get(core, { id });
  if (!row) throw new AppError('not_found', 'That code does not exist.', { field: 'id' });
  if (row.active !== 1) throw new AppError('conflict', `"${row.label}" was already deleted.`, { field: 'id' });
  setActive.run(core, { id, active: 0, updated_at: isoInstant(core.clock.now()), pc_id: core.pcId });
  appendAudit(core, actor, { action: 'deactivate', entity: 'repair_code', entityId: id, old: { active: 1 }, new: { active: 0 } });
  return toRepairCode({ ...row, active: 0 });
}
