import { useId, useState } from 'react';
import { WAITING_FOR_LABELS, WORK_ORDER_STATE_LABELS } from '../../../../shared/domain/work-order';
import { formatMinutes } from '../../../../shared/repairs/downtime';
import type { AppErrorValue } from '../../../../shared/result';
import { ErrorBanner } from '../../components/Banner';
import { ExportButton } from '../../components/ExportButton';
import { PrintControls } from '../../components/PrintControls';
import { call } from '../../lib/api';
import { useChannelQuery, useNoEquipment } from '../../lib/query';
import { Link } from '../../lib/router';
import { useDates } from '../../lib/settings';

/**
 * Repairs: the work orders, open ones first by age, each one click from its page. The open ones
 * print by ward (oldest first) and export as CSV, whichever list is shown.
 */
export function WorkOrders() {
  const [status, setStatus] = useState<'open' | 'all'>('open');
  const q = useChannelQuery('workOrders.list', { status }, { keepPrevious: true });
  const dates = useDates();
  const selectId = useId();
  const printId = useId();
  const [exportError, setExportError] = useState<AppErrorValue | null>(null);
  const rows = q.data ?? [];
  // With nothing listed: is there equipment at all? On a new PC that is no "every fault dealt with".
  const none = q.data !== undefined && rows.length === 0;
  const noEquipment = useNoEquipment(none);
  return (
    <>
      <div className="page-head">
        <h1>Repairs</h1>
        <div className="actions location-choice">
          <label htmlFor={selectId}>Show</label>
          <select id={selectId} value={status} onChange={(e) => setStatus(e.target.value === 'all' ? 'all' : 'open')}>
            <option value="open">Open work orders</option>
            <option value="all">All work orders</option>
          </select>
        </div>
      </div>
      <div className="section-head report-actions" role="group" aria-labelledby={printId}>
        <span id={printId}>The open work orders by ward, oldest first:</span>
        <ExportButton label="Export CSV" request={() => call('reports.openWorkOrdersCsv', {})} onError={setExportError} />
        <PrintControls view="open-work-orders" params={{}} what="the open work orders" disabled={!q.data} />
      </div>
      <ErrorBanner error={exportError ?? q.error} />
      {none && noEquipment !== null ? (
        noEquipment ? (
          <p className="panel empty">No equipment yet: faults are reported from a device&apos;s page once the equipment is added.</p>
        ) : status === 'open' ? (
          <p className="panel all-clear">No work order is open: every reported fault is dealt with.</p>
        ) : (
          <p className="panel empty">No fault has been reported yet.</p>
        )
      ) : null}
      {rows.length > 0 ? (
        <table className="data work-orders" data-testid="work-orders">
          <thead>
            <tr>
              <th scope="col">Work order</th>
              <th scope="col">Device</th>
              <th scope="col">Ward</th>
              <th scope="col">State</th>
              <th scope="col">Problem</th>
              <th scope="col">Reported</th>
              <th scope="col">With</th>
              <th scope="col" className="num">
                Age
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} data-testid="work-order-row">
                <td className="nowrap">
                  <Link to={`/work-orders/${r.id}`}>{r.ref}</Link>
                </td>
                <td>
                  <Link to={`/equipment/${r.equipmentId}`}>
                    <span className="mono">{r.assetTag}</span> {r.name}
                  </Link>
                </td>
                <td>{r.wardPath}</td>
                <td>
                  {WORK_ORDER_STATE_LABELS[r.state]}
                  {r.waitingFor ? ` ${WAITING_FOR_LABELS[r.waitingFor]}` : ''}
                </td>
                <td className="clip">{dates.text(r.problem)}</td>
                <td className="nowrap">
                  {dates.dateTime(r.reportedAt)} by {r.reportedByName}
                </td>
                <td>{r.assignedName ?? <span className="muted">—</span>}</td>
                <td className="num nowrap">{formatMinutes(r.ageMinutes)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}
