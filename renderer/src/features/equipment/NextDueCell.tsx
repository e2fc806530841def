import type { EquipmentListRow } from '../../../../shared/contract/equipment';
import type { DateFormatSetting } from '../../../../shared/domain/settings';
import { DueFlag } from '../../components/DueFlag';
import { formatDate } from '../../lib/dates';

/**
 * The list's "Next due" cell: the most urgent active plan's date and task, flagged red when
 * overdue and "DO NOT USE" when an overdue calibration or safety test blocks use, the same flag
 * as on the home screen and the device page.
 */
export function NextDueCell({ row, dateFormat }: { row: Pick<EquipmentListRow, 'nextDue' | 'status'>; dateFormat: DateFormatSetting }) {
  const next = row.nextDue;
  if (!next) return <span className="muted">—</span>;
  const flagged = next.status === 'overdue' || next.status === 'due' || next.doNotUse;
  return (
    <span className="next-due" title={`${next.taskLabel}, due ${formatDate(next.dueDate, dateFormat)}`}>
      {flagged ? <DueFlag status={next.status} daysOverdue={next.daysOverdue} doNotUse={next.doNotUse} /> : null}{' '}
      <span className="next-due-date">{formatDate(next.dueDate, dateFormat)}</span> <span className="next-due-task">{next.taskLabel}</span>
    </span>
  );
}
