import type { WaitingFor, WorkOrderAction, WorkOrderState } from '../../../shared/domain/work-order';
import { isOpen, WAITING_FOR } from '../../../shared/domain/work-order';
import type { WriteCore } from '../context';
import { command, query } from '../sql/query';
import type { WorkOrderRow, WorkOrderStepRow } from '../sql/rows';

/**
 * Where a work order stands, from its signed steps alone: the rule every PC of a hospital applies
 * to the same steps, in whatever order they arrived, so they agree (issue 19), and the rule
 * `wardkeep verify` checks a head against. On one PC the steps follow each other and the fold
 * gives what each step wrote; steps two PCs made at once (one took the work order while the other
 * put it to wait) are taken in the order they were made (time, then id), and:
 * - a closed work order stays closed: a step made elsewhere without knowing it was closed stays in
 *   its history but does not reopen it. The one step that does is made on it as returned, knowing
 *   it: a correction of the repair record or of the post-repair check its return rested on (details
 *   `reopens`, repairs/on-record.ts) sends it back to in progress;
 * - a further fault report ("join") changes nothing of where it stands, except on a repaired work
 *   order: a fault found after the repair (the pump dropped on the ward while it waited for its
 *   check) is not covered by it, so the work order goes back to in progress, a new repair is logged
 *   and its checks count from then (repairs/checks.ts). A join written as leaving it repaired (by a
 *   PC before this rule) leaves it repaired, so every PC folds the old steps as they were written.
 */

export type HeadState = { -readonly [K in keyof WorkOrderHead]: WorkOrderHead[K] };
type WorkOrderHead = Pick<WorkOrderRow, 'state' | 'assigned_user_id' | 'assigned_name' | 'waiting_for' | 'waiting_note' | 'closed_at'>;

export type StepFact = Pick<WorkOrderStepRow, 'id' | 'action' | 'to_state' | 'at' | 'user_id' | 'user_name' | 'note' | 'details'>;

/** Whether a step reopens the closed work order it was made on (repairs/on-record.ts, a record its return rested on corrected). */
function reopens(details: string): boolean {
  try {
    return (JSON.parse(details) as { reopens?: unknown }).reopens === true;
  } catch {
    return false;
  }
}

function waitingFor(details: string): WaitingFor | null {
  try {
    const v = (JSON.parse(details) as { waitingFor?: unknown }).waitingFor;
    return WAITING_FOR.find((w) => w === v) ?? null;
  } catch {
    return null;
  }
}

/** The steps must be in the order they were made: `at`, then `id`. Null for a work order with no step. */
export function foldSteps(steps: readonly StepFact[]): HeadState | null {
  if (steps.length === 0) return null;
  const head: HeadState = { state: 'reported', assigned_user_id: null, assigned_name: null, waiting_for: null, waiting_note: null, closed_at: null };
  for (const s of steps) {
    if (!isOpen(head.state)) {
      if (head.state === 'returned' && s.action === 'check' && reopens(s.details)) Object.assign(head, { state: s.to_state, closed_at: null });
      continue;
    }
    const action: WorkOrderAction = s.action;
    switch (action) {
      case 'report':
        break;
      case 'join':
        if (head.state === 'repaired' && s.to_state !== 'repaired') head.state = 'in_progress';
        break;
      case 'take':
      case 'resume':
        Object.assign(head, { state: 'in_progress', assigned_user_id: s.user_id, assigned_name: s.user_name, waiting_for: null, waiting_note: null });
        break;
      case 'wait':
        Object.assign(head, { state: 'waiting', waiting_for: waitingFor(s.details), waiting_note: s.note });
        break;
      case 'repair':
        Object.assign(head, { state: 'repaired', waiting_for: null, waiting_note: null });
        if (head.assigned_user_id === null) Object.assign(head, { assigned_user_id: s.user_id, assigned_name: s.user_name });
        break;
      case 'check':
        head.state = s.to_state;
        break;
      case 'return':
      case 'retire':
        Object.assign(head, { state: s.to_state satisfies WorkOrderState, closed_at: s.at });
        break;
    }
  }
  return head;
}

const stepsOf = query<StepFact, { id: string }>(
  'SELECT id, action, to_state, at, user_id, user_name, note, details FROM work_order_steps WHERE work_order_id = @id ORDER BY at, id',
);
const setHead = command<HeadState & { id: string }>(
  `UPDATE work_orders SET state = @state, assigned_user_id = @assigned_user_id, assigned_name = @assigned_name,
     waiting_for = @waiting_for, waiting_note = @waiting_note, closed_at = @closed_at
   WHERE id = @id AND (state IS NOT @state OR assigned_user_id IS NOT @assigned_user_id OR assigned_name IS NOT @assigned_name
     OR waiting_for IS NOT @waiting_for OR waiting_note IS NOT @waiting_note OR closed_at IS NOT @closed_at)`,
);

/** The head of a work order as its steps make it. */
export function headOf(core: Pick<WriteCore, 'db'>, workOrderId: string): HeadState | null {
  return foldSteps(stepsOf.all(core, { id: workOrderId }));
}

/** Brings a work order's head to where its steps put it (after steps arrived from other PCs); true when it moved. */
export function refreshHead(core: WriteCore, workOrderId: string): boolean {
  const head = headOf(core, workOrderId);
  // A head whose steps have not arrived yet keeps what it has: its steps' arrival refreshes it.
  if (!head) return false;
  return setHead.run(core, { ...head, id: workOrderId }).changes > 0;
}
