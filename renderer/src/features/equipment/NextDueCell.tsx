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
  // The most serious word first, then the date, then the task (cut last when the column is narrow;
  // the whole sentence is in the title and for screen readers).
  return (
    <span className="next-due" title={`${next.taskLabel}, due ${due}${next.doNotUse ? ': DO NOT USE' : ''}`}>
      {next.doNotUse ? (
        <span className="do-not-use-chip">DO NOT USE</span>
      ) : flagged ? (
        <DueFlag status={next.status} daysOverdue={next.daysOverdue} />
      ) : null}
      <span className="next-due-date">{due}</span> <span className="next-due-task">{next.taskLabel}</span>
    </span>
  );
}
