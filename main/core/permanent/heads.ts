import type { Database } from 'better-sqlite3';
import { foldSteps } from '../repairs/head';
import type { StepFact } from '../repairs/head';
import { query } from '../sql/query';
import { captureInstalled } from '../sync/capture';
import { deriveServiceState } from '../sync/service-status';

/** The shape of check.ts's RowFinding (declared here: check.ts imports this file). */
interface RowFinding {
  table: string;
  kind: 'changed' | 'unrecorded';
  message: string;
}

/**
 * Rows kept current from permanent ones (issue 16): a work order's head follows its signed steps,
 * a device's service status follows its status history. The steps and the history are bound to
 * the audit trail, so a head edited in the file (a work order marked returned, a tagged-out pump
 * put back in service with sqlite3) disagrees with them, and `wardkeep verify` says so.
 */

const tableNames = query<{ name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table'");
const workOrderHeads = query<{ id: string; number: number; state: string }>('SELECT id, number, state FROM work_orders ORDER BY number, id');
const allSteps = query<StepFact & { work_order_id: string }>(
  'SELECT work_order_id, id, action, to_state, at, user_id, user_name, note, details FROM work_order_steps ORDER BY work_order_id, at, id',
);

/** Where each work order stands by its signed steps (the fold every PC applies, repairs/head.ts). */
function foldedStates(db: Database): Map<string, string> {
  const out = new Map<string, string>();
  let current: string | null = null;
  let steps: StepFact[] = [];
  const settle = () => {
    const head = current === null ? null : foldSteps(steps);
    if (current !== null && head) out.set(current, head.state);
  };
  for (const s of allSteps.iterate({ db })) {
    if (s.work_order_id !== current) {
      settle();
      current = s.work_order_id;
      steps = [];
    }
    steps.push(s);
  }
  settle();
  return out;
}
const deviceStatuses = query<{ id: string; asset_tag: string; status: string; last_status: string | null }>(
  `SELECT e.id, e.asset_tag, e.status,
     (SELECT s.to_status FROM status_changes s WHERE s.equipment_id = e.id ORDER BY s.at DESC, s.id DESC LIMIT 1) AS last_status
   FROM equipment e ORDER BY e.asset_tag`,
);

const words = (s: string) => s.replace(/_/g, ' ');

export function checkHeads(db: Database): RowFinding[] {
  const tables = new Set(tableNames.all({ db }).map((t) => t.name));
  const findings: RowFinding[] = [];
  if (tables.has('work_orders') && tables.has('work_order_steps')) {
    const folded = foldedStates(db);
    for (const w of workOrderHeads.iterate({ db })) {
      const ref = `Work order WO-${String(w.number).padStart(4, '0')}`;
      const last = folded.get(w.id) ?? null;
      if (last === null) {
        findings.push({ table: 'work_orders', kind: 'unrecorded', message: `${ref} has no signed step, so it was added outside Wardkeep.` });
      } else if (last !== w.state) {
        findings.push({
          table: 'work_orders',
          kind: 'changed',
          message: `${ref} is "${words(w.state)}" in the database, but its signed steps leave it "${words(last)}": it was changed outside Wardkeep.`,
        });
      }
    }
  }
  if (tables.has('status_changes') && captureInstalled({ db })) {
    // In a hub the status in force is derived from the merged records and people's decisions
    // (sync/service-status.ts), some made on other PCs whose status history stays there.
    for (const e of deviceStatuses.all({ db })) {
      const expected = deriveServiceState({ db }, e.id)?.status ?? e.status;
      if (expected !== e.status) {
        findings.push({
          table: 'equipment',
          kind: 'changed',
          message: `Device ${e.asset_tag} is "${words(e.status)}" in the database, but the hospital's records and decisions make it "${words(expected)}": its status was changed outside Wardkeep.`,
        });
      }
    }
  } else if (tables.has('status_changes')) {
    for (const e of deviceStatuses.iterate({ db })) {
      const expected = e.last_status ?? 'in_service';
      if (expected !== e.status) {
        findings.push({
          table: 'equipment',
          kind: 'changed',
          message: `Device ${e.asset_tag} is "${words(e.status)}" in the database, but its status history last made it "${words(expected)}": its status was changed outside Wardkeep.`,
        });
      }
    }
  }
  return findings;
}
