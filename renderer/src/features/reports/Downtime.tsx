import { useId, useState } from 'react';
import type { AppErrorValue } from '../../../../shared/result';
import { formatMinutes } from '../../../../shared/repairs/downtime';
import { ErrorBanner } from '../../components/Banner';
import { ExportButton } from '../../components/ExportButton';
import { FirstReportWait, LastAnswer, lastReportNote } from '../../components/LastAnswer';
import { PrintControls } from '../../components/PrintControls';
import { call } from '../../lib/api';
import { useChannelQuery, useNoEquipment } from '../../lib/query';
import { Link } from '../../lib/router';
import { useDates } from '../../lib/settings';
import { usePeriodAndPlaces } from './filters';

const monthStart = (today: string) => `${today.slice(0, 8)}01`;

/** Downtime per device and per category over a period (local days), from the status history, to the minute. */
export function Downtime() {
  const dates = useDates();
  const { today, params, filter } = usePeriodAndPlaces(monthStart);
  const [exportError, setExportError] = useState<AppErrorValue | null>(null);
  const q = useChannelQuery('reports.downtime', params ?? { from: today, to: today }, { enabled: params !== null, keepPrevious: true });
  const report = params ? q.data : undefined;
  const noEquipment = useNoEquipment(report !== undefined && report.devices.length === 0);
  // A new filter's report is read while the last one stays on screen: said so, and not printed or exported as the new one.
  const updating = params !== null && q.updating;
  const titleId = useId();
  return (
    <div className="report-screen">
      <div className="page-head">
        <h1>Downtime</h1>
        <div className="actions">
          <ExportButton
            label="Export CSV"
            disabled={!report || updating}
            request={() => call('reports.downtimeCsv', params!)}
            onError={setExportError}
          />
          {/* No equipment yet: nothing to print (the paper would read as an all-clear, "No device was out of service"). */}
          <PrintControls
            view="downtime"
            params={params ?? {}}
            what="the downtime report"
            disabled={!report || noEquipment === true || updating}
          />
        </div>
      </div>
      <ErrorBanner error={exportError ?? q.error} />
      <div className="report-layout">
        {filter}
        <section className="panel report-preview" aria-labelledby={titleId} aria-busy={updating || (params !== null && q.loading)}>
          <h2 id={titleId}>{report ? `Out of service from ${dates.date(report.from)} to ${dates.date(report.to)}` : 'Out of service'}</h2>
          {!report ? (
            params && q.loading ? (
              <FirstReportWait from={dates.date(params.from)} to={dates.date(params.to)} />
            ) : null
          ) : (
            <LastAnswer updating={updating} note={lastReportNote(dates.date(report.from), dates.date(report.to))}>
              {report.devices.length === 0 ? (
                noEquipment === null ? null : noEquipment ? (
                  <p className="empty">No equipment yet: nothing to report.</p>
                ) : (
                  <p className="all-clear">No device was out of service in the period.</p>
                )
              ) : (
                <>
                  <table className="data" data-testid="downtime-devices">
                    <caption className="ward-caption">Per device</caption>
                    <thead>
                      <tr>
                        <th scope="col">Device</th>
                        <th scope="col">Category</th>
                        <th scope="col">Location</th>
                        <th scope="col">Spells</th>
                        <th scope="col" className="num">
                          Downtime
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {report.devices.map((d) => (
                        <tr key={d.equipmentId} data-testid="downtime-row">
                          <td>
                            <Link to={`/equipment/${d.equipmentId}`}>
                              <span className="mono">{d.assetTag}</span> {d.name}
                            </Link>
                          </td>
                          <td>{d.category ?? <span className="muted">—</span>}</td>
                          <td>{d.location}</td>
                          <td>
                            {d.spells.map((s) => (
                              <div key={s.start}>
                                {dates.dateTime(s.start)} to {s.end ? dates.dateTime(s.end) : 'now'}
                                {s.workOrderRef ? ` (${s.workOrderRef})` : ''}
                              </div>
                            ))}
                          </td>
                          <td className="num nowrap">{formatMinutes(d.minutes)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                  <table className="data compact">
                    <caption className="ward-caption">Per category</caption>
                    <thead>
                      <tr>
                        <th scope="col">Category</th>
                        <th scope="col" className="num">
                          Devices
                        </th>
                        <th scope="col" className="num">
                          Downtime
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {report.categories.map((c) => (
                        <tr key={c.category ?? ''}>
                          <th scope="row" className="row-head">
                            {c.category ?? 'No category'}
                          </th>
                          <td className="num">{c.devices}</td>
                          <td className="num nowrap">{formatMinutes(c.minutes)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </>
              )}
            </LastAnswer>
          )}
        </section>
      </div>
    </div>
  );
}
