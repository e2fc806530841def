import type { Paper } from '../../../../shared/domain/report';
import type { DueListDocument } from '../../../../shared/domain/report-due';
import {
  NO_DEVICE_OUT_OF_SERVICE,
  OUT_OF_SERVICE_TITLE,
  outOfServiceRepair,
  outOfServiceWhere,
  outOfServiceWhy,
  TAGGED_OUT_TITLE,
  taggedOutFirst,
  taggedOutSentence,
} from '../../../../shared/domain/report-due';
import { plural } from '../../../../shared/labels';
import { formatDate } from '../../../../shared/date-format';
import { useDateColumnWidth } from './date-columns';
import type { PrintColumn } from './layout';
import { byWard, CheckBox, PrintFrame, PrintTable, runningTitle, SignOff, WriteIn } from './layout';

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

const OUT_COLUMNS: PrintColumn[] = [
  { key: 'tag', label: 'Tag', className: 'col-tag' },
  { key: 'device', label: 'Device', className: 'col-device' },
  { key: 'where', label: 'Where', className: 'col-where' },
  { key: 'why', label: 'Why', className: 'col-why' },
  { key: 'repair', label: 'Repair', className: 'col-repair' },
];

const TAGGED_OUT_COLUMNS: PrintColumn[] = [
  { key: 'tag', label: 'Tag', className: 'col-tag' },
  { key: 'device', label: 'Device', className: 'col-device' },
  { key: 'location', label: 'Location', className: 'col-location' },
  { key: 'failed', label: 'Failed', className: 'col-task' },
];

/** Devices a failed test took out of service: first on the list, so nobody walks past them. */
function TaggedOut({ document }: { document: DueListDocument }) {
  // Asked for every device out of service: those follow, each DO NOT USE, with the rest.
  const devices = taggedOutFirst(document);
  if (devices.length === 0) return null;
  return (
    <PrintTable
      columns={TAGGED_OUT_COLUMNS}
      running={<strong>{TAGGED_OUT_TITLE}</strong>}
      caption="Devices out of service after a failed test"
      className="tagged-out-print"
    >
      <tbody>
        {devices.map((d) => (
          <tr key={d.equipmentId} className="print-row do-not-use" data-testid="print-tagged-out">
            <td className="col-tag mono">{d.assetTag}</td>
            <td className="col-device">
              {d.name}
              <span className="print-dnu">DO NOT USE</span>
            </td>
            <td className="col-location">{d.location}</td>
            <td className="col-task">{d.taskLabel}</td>
          </tr>
        ))}
      </tbody>
    </PrintTable>
  );
}

/**
 * The due list a technician walks with: first the devices a failed test took out of service, then
 * a table per ward (named at the top of each of its pages), in room order, each task with a box to
 * tick and blanks for who did it and when. Overdue rows are bold and say OVERDUE in words (and
 * DO NOT USE when the device must not be used), so they stand out on a black-and-white printer.
 * Devices out of service follow in a section of their own, each DO NOT USE, when asked for. The
 * screen's preview (DueListBuilder) shows the same sections in the same order and words.
 */
export function DueListPrint({ document, paper }: { document: DueListDocument; paper: Paper }) {
  const { header, rows, counts } = document;
  const date = (d: string) => formatDate(d, header.dateFormat);
  const dates = useDateColumnWidth<HTMLParagraphElement>(document);
  const summary = [`${counts.overdue} overdue`, `${counts.due} due`];
  if (counts.scheduled > 0) summary.push(`${counts.scheduled} scheduled`);
  return (
    <PrintFrame paper={paper} header={header} className="due-list-print" style={dates.style}>
      <p ref={dates.ref} className="print-summary" data-testid="print-summary">
        {plural(rows.length, 'task')}: {summary.join(', ')}. Sorted by location and room, then due date.
        {taggedOutSentence(document) ? ` ${taggedOutSentence(document)}` : ''}
      </p>
      <TaggedOut document={document} />
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
      {document.outOfService && document.outOfService.length === 0 ? (
        <>
          <h2 className="print-section-title">{OUT_OF_SERVICE_TITLE}</h2>
          <p className="print-empty" data-testid="print-out-of-service-none">
            {NO_DEVICE_OUT_OF_SERVICE}
          </p>
        </>
      ) : document.outOfService ? (
        <PrintTable
          columns={OUT_COLUMNS}
          running={
            <>
              {runningTitle(header, `as of ${date(document.asOf)}`)} ·{' '}
              <strong className="print-running-group">{OUT_OF_SERVICE_TITLE}</strong>
            </>
          }
          caption={OUT_OF_SERVICE_TITLE}
        >
          <tbody>
            {document.outOfService.map((r) => (
              <tr key={r.equipmentId} className="print-row do-not-use" data-testid="print-out-of-service">
                <td className="col-tag mono">{r.assetTag}</td>
                <td className="col-device">
                  {r.name}
                  <span className="print-dnu">DO NOT USE</span>
                </td>
                <td className="col-where">{outOfServiceWhere(r)}</td>
                <td className="col-why">{outOfServiceWhy(r, header.dateFormat)}</td>
                <td className="col-repair">{outOfServiceRepair(r)}</td>
              </tr>
            ))}
          </tbody>
        </PrintTable>
      ) : null}
      <SignOff lines={['Checked by', 'Date']} />
    </PrintFrame>
  );
}
