import type { EquipmentStatus } from '../../../shared/domain/equipment';
import type { Outcome } from '../../../shared/scheduling';
import { advances } from '../../../shared/scheduling';
import type { Core, WriteCore } from '../context';
import { command, query } from '../sql/query';
import type { EquipmentRow } from '../sql/rows';

/**
 * docs/scheduling.md rule 12 as a function of the merged data, so that every PC and the hub reach the
 * same status whatever order the records arrived in:
 * - a person's decision (`manual_status`, with its reason) stands when it is anything but "in
 *   service";
 * - otherwise the device is tagged out while any of its active plans whose task tags out on a fail
 *   has a fail as its latest deciding record (a fail or an advancing completion, in performed
 *   order, rule 8; imported history never decides, issue 13 item 1), and a fail the person's
 *   decision did not already override (`manual_overrides`: the fails of the plans holding the
 *   device when the person put it in service; a fail entered later, even one performed earlier,
 *   tags it out again, as the app does when it is logged).
 * The app writes the status in force at once when work is logged (completions/record.ts asks
 * holdingPlanIds); this gives the same status, and is what a PC runs for records that arrive from
 * other PCs.
 */

export interface HoldingFail {
  planId: string;
  completionId: string;
  task: string;
  taskLabel: string;
  performedAt: string;
  performedOn: string;
  createdAt: string;
}

interface DecidingRow {
  plan_id: string;
  id: string;
  outcome: Outcome;
  performed_at: string;
  performed_on: string;
  created_at: string;
  task: string;
  label: string;
}

const OUTCOME_ORDER: readonly Outcome[] = ['pass', 'pass_adjusted', 'fail', 'not_done_in_use', 'not_done_not_located', 'not_done_other'];

/**
 * The effective deciding records of a device's active tag-out plans: signed in the app (imported
 * history never decides a status), a record some later record amends replaced by it, and of
 * several amendments of one record the newest (plans/scheduler.ts, effectiveCompletions). Each
 * plan's records read from `completions_plan`, which holds every column read: for every device at
 * once, the planner would otherwise walk `completions_plan_signed` (migration 0018) and fetch each
 * signed record's row, 2.5 times as long at the benchmark's tenth size.
 */
const decidingSql = (where: string) => `
  SELECT p.equipment_id, c.plan_id, c.id, c.outcome, c.performed_at, c.performed_on, c.created_at, p.task, t.label
  FROM plans p
  JOIN task_types t ON t.code = p.task AND t.fail_tags_out = 1
  JOIN completions c INDEXED BY completions_plan ON c.plan_id = p.id
  WHERE ${where} AND p.active = 1
    AND c.outcome IN ('pass', 'pass_adjusted', 'fail') AND c.source <> 'import'
    AND NOT EXISTS (SELECT 1 FROM completions a WHERE a.amends_id = c.id)
    AND (c.amends_id IS NULL OR NOT EXISTS (
      SELECT 1 FROM completions s
      WHERE s.amends_id = c.amends_id AND (s.created_at > c.created_at OR (s.created_at = c.created_at AND s.id > c.id))))`;

type ManualRow = Pick<EquipmentRow, 'manual_status' | 'manual_status_reason' | 'manual_overrides'>;
type ServiceRow = Pick<EquipmentRow, 'status' | 'status_reason' | 'tagged_out_by_plan_id'>;

const deciding = query<DecidingRow, { id: string }>(decidingSql('p.equipment_id = @id'));
const allDeciding = query<DecidingRow & { equipment_id: string }>(decidingSql('p.equipment_id IS NOT NULL'));
const manualOf = query<ManualRow, { id: string }>('SELECT manual_status, manual_status_reason, manual_overrides FROM equipment WHERE id = @id');
const currentOf = query<ServiceRow, { id: string }>('SELECT status, status_reason, tagged_out_by_plan_id FROM equipment WHERE id = @id');
const everyDevice = query<Pick<EquipmentRow, 'id'> & ServiceRow & ManualRow>(
  'SELECT id, status, status_reason, tagged_out_by_plan_id, manual_status, manual_status_reason, manual_overrides FROM equipment',
);
const writeState = command<Pick<EquipmentRow, 'id'> & ServiceRow>(
  'UPDATE equipment SET status = @status, status_reason = @status_reason, tagged_out_by_plan_id = @tagged_out_by_plan_id WHERE id = @id',
);

/** Later in performed order: the instant, then the date, then the outcome's rank, then the id (so ties resolve alike everywhere). */
function later(a: DecidingRow, b: DecidingRow): boolean {
  const ta = Date.parse(a.performed_at);
  const tb = Date.parse(b.performed_at);
  if (ta !== tb) return ta > tb;
  if (a.performed_on !== b.performed_on) return a.performed_on > b.performed_on;
  const oa = OUTCOME_ORDER.indexOf(a.outcome);
  const ob = OUTCOME_ORDER.indexOf(b.outcome);
  if (oa !== ob) return oa > ob;
  return a.id > b.id;
}

/**
 * The fails that may hold the device: the fails of each tag-out plan whose latest deciding record
 * is a fail, since its latest advancing record (in performed order), in the order they were entered.
 */
export function failingPlans(core: Pick<Core, 'db'>, equipmentId: string): HoldingFail[] {
  return failsFrom(deciding.all(core, { id: equipmentId }));
}

function failsFrom(rows: readonly DecidingRow[]): HoldingFail[] {
  const byPlan = new Map<string, DecidingRow[]>();
  for (const row of rows) {
    const list = byPlan.get(row.plan_id) ?? [];
    list.push(row);
    byPlan.set(row.plan_id, list);
  }
  const out: DecidingRow[] = [];
  for (const list of byPlan.values()) {
    const latest = list.reduce((a, b) => (later(b, a) ? b : a));
    if (advances(latest.outcome)) continue;
    // Only the fails since the plan's latest advancing record hold it: that record released the ones before it.
    let released: DecidingRow | null = null;
    for (const r of list) if (advances(r.outcome) && (released === null || later(r, released))) released = r;
    out.push(...list.filter((r) => !advances(r.outcome) && (released === null || later(r, released))));
  }
  return out
    .sort((a, b) => (a.created_at !== b.created_at ? (a.created_at < b.created_at ? -1 : 1) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((r) => ({
      planId: r.plan_id,
      completionId: r.id,
      task: r.task,
      taskLabel: r.label,
      performedAt: r.performed_at,
      performedOn: r.performed_on,
      createdAt: r.created_at,
    }));
}

/**
 * The fails a person's decision overrode. Anything but a list of ids (a value written outside
 * Wardkeep, or taken by a hub of an older version) overrides nothing: every fail then holds the
 * device, the safe side, and the sync that recomputes it goes on rather than stopping.
 */
function overridesOf(text: string): Set<string> {
  try {
    const value = JSON.parse(text) as unknown;
    return new Set(Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
  } catch {
    return new Set();
  }
}

/** The plans holding the device out of service: a fail of theirs no person has overridden, earliest entered first. */
export function holdingPlanIds(core: Pick<Core, 'db'>, equipmentId: string): string[] {
  const e = manualOf.get(core, { id: equipmentId });
  const overridden = e ? overridesOf(e.manual_overrides) : new Set<string>();
  return [
    ...new Set(
      failingPlans(core, equipmentId)
        .filter((f) => !overridden.has(f.completionId))
        .map((f) => f.planId),
    ),
  ];
}

export interface ServiceState {
  status: EquipmentStatus;
  statusReason: string | null;
  taggedOutByPlanId: string | null;
}

export function tagOutReason(fail: Pick<HoldingFail, 'taskLabel' | 'performedOn'>): string {
  return `Tagged out: failed ${fail.taskLabel.toLowerCase()} on ${fail.performedOn}. Do not use.`;
}

function stateFrom(e: ManualRow, fails: readonly HoldingFail[]): ServiceState {
  if (e.manual_status !== 'in_service') return { status: e.manual_status, statusReason: e.manual_status_reason, taggedOutByPlanId: null };
  const overridden = overridesOf(e.manual_overrides);
  const first = fails.find((f) => !overridden.has(f.completionId));
  if (!first) return { status: 'in_service', statusReason: e.manual_status_reason, taggedOutByPlanId: null };
  return { status: 'out_of_service', statusReason: tagOutReason(first), taggedOutByPlanId: first.planId };
}

export function deriveServiceState(core: Pick<Core, 'db'>, equipmentId: string): ServiceState | null {
  const e = manualOf.get(core, { id: equipmentId });
  return e ? stateFrom(e, failingPlans(core, equipmentId)) : null;
}

const differs = (cur: ServiceRow, next: ServiceState) =>
  cur.status !== next.status || cur.status_reason !== next.statusReason || cur.tagged_out_by_plan_id !== next.taggedOutByPlanId;

/**
 * Every device's status in force at once (a new PC has just loaded the hospital, or a task type's
 * "fail tags out" changed): one query over the deciding records ordered by device. Returns how
 * many changed. Call inside a transaction.
 */
export function refreshAllServiceStatus(core: WriteCore): number {
  const byDevice = new Map<string, DecidingRow[]>();
  for (const r of allDeciding.iterate(core)) {
    const list = byDevice.get(r.equipment_id);
    if (list) list.push(r);
    else byDevice.set(r.equipment_id, [r]);
  }
  // Written after the read: a connection cannot write while it iterates.
  const updates: (Pick<EquipmentRow, 'id'> & ServiceRow)[] = [];
  for (const e of everyDevice.iterate(core)) {
    const next = stateFrom(e, failsFrom(byDevice.get(e.id) ?? []));
    if (differs(e, next)) updates.push({ id: e.id, status: next.status, status_reason: next.statusReason, tagged_out_by_plan_id: next.taggedOutByPlanId });
  }
  for (const u of updates) writeState.run(core, u);
  return updates.length;
}

/** Writes the derived status if it differs; true when it changed. Call inside a transaction. */
export function refreshServiceStatus(core: WriteCore, equipmentId: string): boolean {
  const next = deriveServiceState(core, equipmentId);
  const cur = currentOf.get(core, { id: equipmentId });
  if (!next || !cur || !differs(cur, next)) return false;
  writeState.run(core, { id: equipmentId, status: next.status, status_reason: next.statusReason, tagged_out_by_plan_id: next.taggedOutByPlanId });
  return true;
}

/** What a person's status decision records: the fails it overrides when it puts the device in service. */
export function manualStatusColumns(core: Pick<Core, 'db'>, equipmentId: string, status: EquipmentStatus, reason: string | null): ManualRow {
  const overrides =
    status === 'in_service'
      ? failingPlans(core, equipmentId)
          .map((f) => f.completionId)
          .sort()
      : [];
  return { manual_status: status, manual_status_reason: reason, manual_overrides: JSON.stringify(overrides) };
}
