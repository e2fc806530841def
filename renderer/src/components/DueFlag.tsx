import type { PlanStatus } from '../../../shared/scheduling/status';

const days = (n: number) => (n === 1 ? '1 day' : `${n} days`);

/**
 * A plan's state as a flag that reads the same everywhere (home screen, device page, lists):
 * words first, colour second. Overdue is red with the days; "DO NOT USE" when an overdue
 * calibration or safety test means the device must not be used.
 */
export function DueFlag({
  status,
  daysOverdue = 0,
  doNotUse = false,
  dueInDays,
}: {
  status: PlanStatus;
  daysOverdue?: number;
  doNotUse?: boolean;
  /** Days from today to the due date, to say when a `due` plan is due. */
  dueInDays?: number;
}) {
  const dueText =
    dueInDays === undefined
      ? 'Due'
      : dueInDays === 0
        ? 'Due today'
        : dueInDays > 0
          ? `Due in ${days(dueInDays)}`
          : `Due ${days(-dueInDays)} ago, in grace`;
  const text =
    status === 'overdue'
      ? `Overdue${daysOverdue > 0 ? ` ${days(daysOverdue)}` : ''}`
      : status === 'due'
        ? dueText
        : status === 'scheduled'
          ? 'Up to date'
          : 'Suspended';
  return (
    <span className="due-flags">
      <span className={`due-flag ${status}`}>
        {status === 'overdue' ? (
          <span className="flag-mark" aria-hidden="true">
            ⚑
          </span>
        ) : null}
        {text}
      </span>
      {doNotUse ? <span className="do-not-use-chip">DO NOT USE</span> : null}
    </span>
  );
}
