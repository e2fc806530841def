import type { EquipmentListRow } from '../../../../shared/contract/equipment';
import { DueFlag } from '../../components/DueFlag';
import type { DateWriter } from '../../lib/settings';

/**
 * The list's "Next due" cell: the most urgent active plan's date and task, flagged red when
 * overdue and "DO NOT USE" when an overdue calibration or safety test blocks use, the same flag
 * as on the home screen and the device page.
 */
export function NextDueCell({ row, dates }: { row: Pick<EquipmentListRow, 'nextDue' | 'status'>; dates: DateWriter }) {
  const next = row.nextDue;
  if (!next) return <span className="muted">—</span>;
  const flagged = next.status === 'overdue' || next.status === 'due' || next.doNotUse;
  // Formatted once (a compiled formatter, no Intl per call): the list draws this cell for every visible row.
  const due = dates.date(next.dueDate);
  return (
    <span className="next-due" title={`${next.taskLabel}, due ${due}`}>
      {flagged ? <DueFlag status={next.status} daysOverdue={next.daysOverdue} doNotUse={next.doNotUse} /> : null}{' '}
      <span className="next-due-date">{due}</span> <span className="next-due-task">{next.taskLabel}</span>
    </span>
  );
}
