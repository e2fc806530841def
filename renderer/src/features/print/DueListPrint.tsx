import type { DueRow } from '../../../../shared/domain/plan';
import type { Paper } from '../../../../shared/domain/report';
import type { DueListDocument } from '../../../../shared/domain/report-due';
import { plural } from '../../../../shared/labels';
import { formatDate } from '../../../../shared/date-format';
import type { PrintColumn } from './layout';
import { CheckBox, PrintFrame, PrintTable, runningTitle, SignOff, WriteIn } from './layout';

const COLUMNS: PrintColumn[] = [
  { key: 'tag', label: 'Tag', className: 'col-tag' },
  { key: 'device', label: 'Device', className: 'col-device' },
  { key: 'room', label: 'Room', className: 'col-room' },
  { key: 'task', label: 'Task', className: 'col-task' },
  { key: 'due', label: 'Due date', className: 'col-date' },
  { key: 'overdue', label: 'Days overdue', className: 'col-overdue' },
  { key: 'done', label: 'Done', className: 'col-check' },
  { key: 'by', label: 'Done by', className: 'col-by' },
  { key: 'on', label: 'Date', className: 'col-on' },
];

/** Rows in walk order, cut into runs of one ward each (the list is already sorted by location). */
function byWard(rows: readonly DueRow[]): { ward: string; rows: DueRow[] }[] {
  const out: { ward: string; rows: DueRow[] }[] = [];
  for (const r of rows) {
    const last = out.at(-1);
    if (last && last.ward === r.wardPath) last.rows.push(r);
    else out.push({ ward: r.wardPath, rows: [r] });
  }
  return out;
}

/**
 * The due list a technician walks with: a table per ward (named at the top of each of its pages),
 * in room order, each task with a box to
 * tick and blanks for who did it and when. Overdue rows are bold and say OVERDUE in words (and
 * DO NOT USE when the device must not be used), so they stand out on a black-and-white printer.
 */
export function DueListPrint({ document, paper }: { document: DueListDocument; paper: Paper }) {
  const { header, rows, counts } = document;
  const date = (d: string) => formatDate(d, header.dateFormat);
  const summary = [`${counts.overdue} overdue`, `${counts.due} due`];
  if (counts.scheduled > 0) summary.push(`${counts.scheduled} scheduled`);
  return (
    <PrintFrame paper={paper} header={header} className="due-list-print">
      <p className="print-summary" data-testid="print-summary">
        {plural(rows.length, 'task')}: {summary.join(', ')}. Sorted by location and room, then due date.
      </p>
      {rows.length === 0 ? (
        <p className="print-empty">Nothing on this list: no plan matches the filter.</p>
      ) : (
        byWard(rows).map((group) => (
          <PrintTable
            key={group.ward}
            columns={COLUMNS}
            running={
              <>
                {runningTitle(header, `as of ${date(document.asOf)}`)} · <strong className="print-running-group">{group.ward}</strong>
              </>
            }
            caption={`Due list, ${group.ward}`}
          >
            <tbody>
              {group.rows.map((r) => (
                <tr key={r.planId} className={`print-row ${r.status}${r.doNotUse ? ' do-not-use' : ''}`} data-testid="print-row">
                  <td className="col-tag mono">{r.assetTag ?? '—'}</td>
                  <td className="col-device">
                    {r.name}
                    {r.doNotUse ? <span className="print-dnu">DO NOT USE</span> : null}
                  </td>
                  <td className="col-room">{r.room ?? '—'}</td>
                  <td className="col-task">{r.taskLabel}</td>
                  <td className="col-date">{date(r.dueDate)}</td>
                  <td className="col-overdue">
                    {r.status === 'overdue' ? (
                      <span className="print-overdue">
                        <span aria-hidden="true">⚑ </span>OVERDUE
                        <br />
                        {r.daysOverdue} {r.daysOverdue === 1 ? 'day' : 'days'}
                      </span>
                    ) : null}
                  </td>
                  <td className="col-check">
                    <CheckBox label="Done" />
                  </td>
                  <td className="col-by">
                    <WriteIn />
                  </td>
                  <td className="col-on">
                    <WriteIn />
                  </td>
                </tr>
              ))}
            </tbody>
          </PrintTable>
        ))
      )}
      <SignOff lines={['Checked by', 'Date']} />
    </PrintFrame>
  );
}
