import { formatDate, formatDateTime, formatDaysIn, localDay } from '../../../../shared/date-format';
import type { Paper } from '../../../../shared/domain/report';
import type {
  CodeCount,
  DowntimeDocument,
  FailureGroup,
  FailuresDocument,
  OpenWorkOrdersDocument,
} from '../../../../shared/domain/report-failures';
import { ageDays, codeLabel, FAILURE_KIND_LABELS, failureRate } from '../../../../shared/domain/report-failures';
import { WAITING_FOR_LABELS, WORK_ORDER_STATE_LABELS } from '../../../../shared/domain/work-order';
import { plural } from '../../../../shared/labels';
import { formatMinutes } from '../../../../shared/repairs/downtime';
import { useDateColumnWidth } from './date-columns';
import type { PrintColumn } from './layout';
import { byWard, PrintFrame, PrintTable, runningTitle, SignOff } from './layout';

/** The printouts of repairs (issue 16): open work orders by ward, downtime, and failures. */

const OPEN_COLUMNS: PrintColumn[] = [
  { key: 'ref', label: 'Work order', className: 'col-ref' },
  { key: 'device', label: 'Device', className: 'col-device' },
  { key: 'state', label: 'State', className: 'col-state' },
  { key: 'problem', label: 'Problem', className: 'col-problem' },
  { key: 'reported', label: 'Reported', className: 'col-reported' },
  { key: 'with', label: 'With', className: 'col-with' },
  { key: 'age', label: 'Age (days)', className: 'col-age num' },
];

export function OpenWorkOrdersPrint({ document, paper }: { document: OpenWorkOrdersDocument; paper: Paper }) {
  const { header, rows } = document;
  const asOf = `as of ${formatDate(localDay(new Date(header.printedAt)), header.dateFormat)}`;
  return (
    <PrintFrame paper={paper} header={header} className="repairs-print">
      <p className="print-summary">
        {plural(rows.length, 'open work order')}, by ward, oldest first. Age: whole days since the fault was reported.
      </p>
      {rows.length === 0 ? (
        <p className="print-empty">
          {document.noEquipment ? 'No equipment yet: nothing to report.' : 'No work order is open: every reported fault is dealt with.'}
        </p>
      ) : (
        byWard(rows).map((group) => (
          <PrintTable
            key={group.ward}
            columns={OPEN_COLUMNS}
            running={
              <>
                {runningTitle(header, asOf)} · <strong className="print-running-group">{group.ward || 'No ward'}</strong>
              </>
            }
            caption={`Open work orders, ${group.ward}`}
          >
            <tbody>
              {group.rows.map((r) => (
                <tr key={r.id} className="print-row" data-testid="print-work-order">
                  <td className="mono nowrap">{r.ref}</td>
                  <td>
                    <span className="mono">{r.assetTag}</span> {r.name}
                    <span className="print-sub">{r.locationPath}</span>
                  </td>
                  <td>
                    {WORK_ORDER_STATE_LABELS[r.state]}
                    {r.waitingFor ? ` ${WAITING_FOR_LABELS[r.waitingFor]}` : ''}
                  </td>
                  <td>{formatDaysIn(r.problem, header.dateFormat)}</td>
                  <td>
                    {formatDateTime(r.reportedAt, header.dateFormat)}
                    <span className="print-sub">by {r.reportedByName}</span>
                  </td>
                  <td>{r.assignedName ?? '—'}</td>
                  <td className="num">{ageDays(r.ageMinutes)}</td>
                </tr>
              ))}
            </tbody>
          </PrintTable>
        ))
      )}
      <SignOff lines={['Reviewed by', 'Date']} />
    </PrintFrame>
  );
}

const DOWNTIME_COLUMNS: PrintColumn[] = [
  { key: 'device', label: 'Device', className: 'col-device' },
  { key: 'category', label: 'Category', className: 'col-category' },
  { key: 'location', label: 'Location', className: 'col-location' },
  { key: 'spells', label: 'Out of service', className: 'col-spells' },
  { key: 'minutes', label: 'Downtime', className: 'col-downtime num' },
];

const CATEGORY_DOWNTIME_COLUMNS: PrintColumn[] = [
  { key: 'category', label: 'Category', className: 'col-name' },
  { key: 'devices', label: 'Devices down', className: 'col-n num' },
  { key: 'minutes', label: 'Downtime', className: 'col-downtime num' },
];

export function DowntimePrint({ document, paper }: { document: DowntimeDocument; paper: Paper }) {
  const { header, report } = document;
  const date = (d: string) => formatDate(d, header.dateFormat);
  const period = `${date(report.from)} to ${date(report.to)}`;
  return (
    <PrintFrame paper={paper} header={header} className="repairs-print">
      <p className="print-summary">
        {plural(report.devices.length, 'device')} out of service in the period, most downtime first. Downtime counts each spell out of
        service within the period, to the minute; a spell still open counts up to the time of printing.
      </p>
      {report.devices.length === 0 ? (
        <p className="print-empty">{document.noEquipment ? 'No equipment yet: nothing to report.' : 'No device was out of service in the period.'}</p>
      ) : (
        <>
          <PrintTable columns={DOWNTIME_COLUMNS} running={runningTitle(header, period)} caption="Downtime per device">
            <tbody>
              {report.devices.map((d) => (
                <tr key={d.equipmentId} className="print-row" data-testid="print-downtime-row">
                  <td>
                    <span className="mono">{d.assetTag}</span> {d.name}
                  </td>
                  <td>{d.category ?? '—'}</td>
                  <td>{d.location}</td>
                  <td>
                    {d.spells.map((s) => (
                      <div key={s.start}>
                        {formatDateTime(s.start, header.dateFormat)} to {s.end ? formatDateTime(s.end, header.dateFormat) : 'now'}
                        {s.workOrderRef ? ` (${s.workOrderRef})` : ''}
                      </div>
                    ))}
                  </td>
                  <td className="num nowrap">{formatMinutes(d.minutes)}</td>
                </tr>
              ))}
            </tbody>
          </PrintTable>
          <h2 className="print-section-title">Per category</h2>
          <PrintTable
            columns={CATEGORY_DOWNTIME_COLUMNS}
            running={runningTitle(header, `per category, ${period}`)}
            caption="Downtime per category"
          >
            <tbody>
              {report.categories.map((c) => (
                <tr key={c.category ?? ''} className="print-row">
                  <td>{c.category ?? 'No category'}</td>
                  <td className="num">{c.devices}</td>
                  <td className="num nowrap">{formatMinutes(c.minutes)}</td>
                </tr>
              ))}
            </tbody>
          </PrintTable>
        </>
      )}
      <SignOff lines={['Reviewed by', 'Date']} />
    </PrintFrame>
  );
}

const groupColumns = (what: string): PrintColumn[] => [
  { key: 'name', label: what, className: 'col-name' },
  { key: 'devices', label: 'Devices', className: 'col-n num' },
  { key: 'wo', label: 'Work orders', className: 'col-n num' },
  { key: 'failures', label: 'Failures', className: 'col-n num' },
  { key: 'nff', label: 'No fault found', className: 'col-n num' },
  { key: 'nyd', label: 'Not yet diagnosed', className: 'col-n num' },
  { key: 'rate', label: 'Failures per device', className: 'col-n num' },
];

const CODE_COLUMNS = (what: string): PrintColumn[] => [
  { key: 'code', label: what, className: 'col-name' },
  { key: 'wo', label: 'Work orders', className: 'col-n num' },
];

const FAILURE_WO_COLUMNS: PrintColumn[] = [
  { key: 'ref', label: 'Work order', className: 'col-ref' },
  { key: 'reported', label: 'Reported', className: 'col-date' },
  { key: 'device', label: 'Device', className: 'col-device' },
  { key: 'failure', label: 'Failure code', className: 'col-code' },
  { key: 'cause', label: 'Cause code', className: 'col-code' },
  { key: 'state', label: 'State', className: 'col-state' },
];

function GroupTable({ what, groups, running, none }: { what: string; groups: FailureGroup[]; running: string; none: string }) {
  return (
    <PrintTable columns={groupColumns(what)} running={running} caption={`Failures by ${what.toLowerCase()}`}>
      <tbody>
        {groups.map((g) => (
          <tr key={g.name ?? ''} className="print-row" data-testid="print-failure-group">
            <td>{g.name ?? none}</td>
            <td className="num">{g.devices}</td>
            <td className="num">{g.workOrders}</td>
            <td className="num">{g.failures}</td>
            <td className="num">{g.noFaultFound}</td>
            <td className="num">{g.notDiagnosed}</td>
            <td className="num">{failureRate(g)}</td>
          </tr>
        ))}
      </tbody>
    </PrintTable>
  );
}

function CodeTable({ what, codes, running }: { what: string; codes: CodeCount[]; running: string }) {
  return (
    <PrintTable columns={CODE_COLUMNS(what)} running={running} caption={`Work orders by ${what.toLowerCase()}`} className="print-codes">
      <tbody>
        {codes.map((c) => (
          <tr key={c.codeId ?? ''} className="print-row">
            <td>{c.codeId === null ? FAILURE_KIND_LABELS.not_diagnosed : codeLabel(c)}</td>
            <td className="num">{c.workOrders}</td>
          </tr>
        ))}
      </tbody>
    </PrintTable>
  );
}

export function FailuresPrint({ document, paper }: { document: FailuresDocument; paper: Paper }) {
  const { header, report } = document;
  const date = (d: string) => formatDate(d, header.dateFormat);
  const period = `${date(report.from)} to ${date(report.to)}`;
  const t = report.total;
  const dates = useDateColumnWidth<HTMLElement>(document);
  return (
    <PrintFrame paper={paper} header={header} className="repairs-print failures-print" style={dates.style}>
      <section ref={dates.ref} className="print-headline" aria-label="In short">
        <p data-testid="print-failures-headline">
          <strong>{plural(t.workOrders, 'work order')}</strong> reported on {plural(t.devices, 'device')}: {t.failures} failure
          {t.failures === 1 ? '' : 's'} ({failureRate(t) || '—'} per device), {t.noFaultFound} no fault found, {t.notDiagnosed} not yet
          diagnosed.
        </p>
      </section>
      <p className="print-note">
        Failures: work orders whose repair named a failure code other than &ldquo;No fault found&rdquo;. No fault found: a failure or cause
        code named &ldquo;No fault found&rdquo;; listed, totalled apart and not in the rate. Not yet diagnosed: no repair logged yet.
        Devices: those in the inventory at some time in the period. Failures per device: failures ÷ devices. A code marked (deleted) was
        taken off the list since.
      </p>
      {t.devices === 0 && t.workOrders === 0 ? (
        // As on screen: no device to count, so no empty tables and no "no work order" all-clear.
        <p className="print-empty" data-testid="print-failures-nothing">
          There is no device in these locations in the period, so there is nothing to count.
        </p>
      ) : (
        <>
          <h2 className="print-section-title">By category</h2>
          <GroupTable
            what="Category"
            groups={report.byCategory}
            running={runningTitle(header, `by category, ${period}`)}
            none="No category"
          />
          <h2 className="print-section-title">By manufacturer and model</h2>
          <GroupTable what="Model" groups={report.byModel} running={runningTitle(header, `by model, ${period}`)} none="No model recorded" />
          <h2 className="print-section-title">By failure code and cause code</h2>
          {report.workOrders.length === 0 ? (
            <p className="print-empty">No work order was reported in the period.</p>
          ) : (
            <div className="print-side-by-side" data-testid="print-codes">
              <CodeTable what="Failure code" codes={report.byFailureCode} running={runningTitle(header, `by failure code, ${period}`)} />
              {report.byCauseCode.length > 0 ? (
                <CodeTable what="Cause code" codes={report.byCauseCode} running={runningTitle(header, `by cause code, ${period}`)} />
              ) : null}
            </div>
          )}
        </>
      )}
      {report.workOrders.length > 0 ? (
        <>
          <h2 className="print-section-title print-break-before">The work orders counted</h2>
          <PrintTable
            columns={FAILURE_WO_COLUMNS}
            running={runningTitle(header, `work orders, ${period}`)}
            caption="The work orders counted"
          >
            <tbody>
              {report.workOrders.map((w) => (
                <tr key={w.id} className="print-row" data-testid="print-failure-work-order">
                  <td className="mono nowrap">{w.ref}</td>
                  <td className="col-date nowrap">{date(localDay(new Date(w.reportedAt)))}</td>
                  <td>
                    <span className="mono">{w.assetTag}</span> {w.name}
                    <span className="print-sub">{[w.category, w.model].filter(Boolean).join(' · ') || '—'}</span>
                  </td>
                  <td>{codeLabel(w.failureCode)}</td>
                  <td>{w.causeCode ? codeLabel(w.causeCode) : '—'}</td>
                  <td>{WORK_ORDER_STATE_LABELS[w.state]}</td>
                </tr>
              ))}
            </tbody>
          </PrintTable>
        </>
      ) : null}
      <SignOff lines={['Reviewed by', 'Date']} />
    </PrintFrame>
  );
}
