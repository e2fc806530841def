import { useId, useMemo, useState } from 'react';
import type { Risk } from '../../../../shared/domain/equipment';
import type { DueStatus } from '../../../../shared/domain/plan';
import type { DueListParamsInput } from '../../../../shared/domain/report-due';
import type { AppErrorValue } from '../../../../shared/result';
import { ErrorBanner } from '../../components/Banner';
import { DueFlag } from '../../components/DueFlag';
import { call, useQuery } from '../../lib/api';
import { formatDate } from '../../lib/dates';
import { Link } from '../../lib/router';
import { ExportButton } from '../../components/ExportButton';
import { PrintControls } from '../../components/PrintControls';
import { ChoiceChecklist, LocationChecklist } from './filters';

const STATUS_OPTIONS: { value: DueStatus; label: string }[] = [
  { value: 'overdue', label: 'Overdue' },
  { value: 'due', label: 'Due' },
  { value: 'scheduled', label: 'Scheduled within…' },
];
const RISK_OPTIONS: { value: Risk; label: string }[] = [
  { value: 'high', label: 'High' },
  { value: 'medium', label: 'Medium' },
  { value: 'low', label: 'Low' },
];
/** The screen shows this many rows; print and exports always hold them all. */
const SHOWN = 300;

export interface DueFilterState {
  locationIds: string[];
  tasks: string[];
  statuses: DueStatus[];
  withinDays: string;
  dueOnOrAfter: string;
  dueOnOrBefore: string;
  risks: Risk[];
  asOf: string;
}

export const INITIAL_DUE_FILTER: DueFilterState = {
  locationIds: [],
  tasks: [],
  statuses: ['overdue', 'due'],
  withinDays: '7',
  dueOnOrAfter: '',
  dueOnOrBefore: '',
  risks: [],
  asOf: '',
};

/** The builder's state as the due list's parameters (blank fields left out: "all", "today"). */
export function dueParams(f: DueFilterState): DueListParamsInput {
  const within = f.withinDays.trim() === '' ? undefined : Number(f.withinDays);
  const params: DueListParamsInput = { statuses: f.statuses.length > 0 ? f.statuses : ['overdue', 'due', 'scheduled'] };
  if (f.locationIds.length > 0) params.locationIds = f.locationIds;
  if (f.tasks.length > 0) params.tasks = f.tasks;
  if (f.risks.length > 0) params.risks = f.risks;
  if (f.statuses.includes('scheduled') && within !== undefined) params.withinDays = within;
  if (f.dueOnOrAfter) params.dueOnOrAfter = f.dueOnOrAfter;
  if (f.dueOnOrBefore) params.dueOnOrBefore = f.dueOnOrBefore;
  if (f.asOf) params.asOf = f.asOf;
  return params;
}

/**
 * The due-list builder: the supervisor picks wards, tasks, statuses, dates and risk; the list (the
 * query `wardkeep due` runs, in walk order) is shown, printed, saved as PDF or exported.
 */
export function DueListBuilder() {
  const [filter, setFilter] = useState<DueFilterState>(INITIAL_DUE_FILTER);
  const [exportError, setExportError] = useState<AppErrorValue | null>(null);
  const tree = useQuery('locations.tree', {});
  const taskTypes = useQuery('taskTypes.list', {});
  const params = useMemo(() => dueParams(filter), [filter]);
  const list = useQuery('reports.dueList', params);
  const doc = list.data;
  const ids = { within: useId(), from: useId(), to: useId(), asOf: useId() };
  const set = (patch: Partial<DueFilterState>) => setFilter((f) => ({ ...f, ...patch }));
  const dateFormat = doc?.header.dateFormat ?? 'locale';

  return (
    <div className="report-screen">
      <div className="page-head">
        <h1>Due lists</h1>
        <div className="actions">
          <PrintControls view="due-list" params={params} what="the due list" disabled={!doc} />
        </div>
      </div>
      <div className="report-layout">
        <form className="panel report-filters" aria-label="Due list filter" onSubmit={(e) => e.preventDefault()}>
          <LocationChecklist nodes={tree.data ?? []} selected={filter.locationIds} onChange={(locationIds) => set({ locationIds })} />
          <ChoiceChecklist
            legend="Tasks"
            options={(taskTypes.data ?? []).map((t) => ({ value: t.code, label: t.label }))}
            selected={filter.tasks}
            onChange={(tasks) => set({ tasks })}
            help="None ticked: all tasks."
          />
          <ChoiceChecklist legend="Status" options={STATUS_OPTIONS} selected={filter.statuses} onChange={(statuses) => set({ statuses })}>
            <span className="inline-field">
              <label htmlFor={ids.within}>Scheduled within (days)</label>
              <input
                id={ids.within}
                type="number"
                min={0}
                max={3660}
                inputMode="numeric"
                value={filter.withinDays}
                disabled={!filter.statuses.includes('scheduled')}
                onChange={(e) => set({ withinDays: e.target.value })}
              />
            </span>
          </ChoiceChecklist>
          <fieldset className="choices report-choices">
            <legend>Due date</legend>
            <span className="inline-field">
              <label htmlFor={ids.from}>From</label>
              <input id={ids.from} type="date" value={filter.dueOnOrAfter} onChange={(e) => set({ dueOnOrAfter: e.target.value })} />
            </span>
            <span className="inline-field">
              <label htmlFor={ids.to}>To</label>
              <input id={ids.to} type="date" value={filter.dueOnOrBefore} onChange={(e) => set({ dueOnOrBefore: e.target.value })} />
            </span>
            <span className="help">Blank: any date. A later end also lists the plans scheduled up to it.</span>
          </fieldset>
          <ChoiceChecklist
            legend="Risk"
            options={RISK_OPTIONS}
            selected={filter.risks}
            onChange={(risks) => set({ risks })}
            help="None ticked: any risk."
          />
          <fieldset className="choices report-choices">
            <legend>Day of the list</legend>
            <span className="inline-field">
              <label htmlFor={ids.asOf}>As of</label>
              <input id={ids.asOf} type="date" value={filter.asOf} onChange={(e) => set({ asOf: e.target.value })} />
            </span>
            <span className="help">Blank: today. Tomorrow&apos;s list: tomorrow&apos;s date.</span>
          </fieldset>
          <button type="button" onClick={() => setFilter(INITIAL_DUE_FILTER)}>
            Reset the filter
          </button>
        </form>
        <section className="panel report-preview" aria-labelledby="due-preview-title">
          <div className="section-head">
            <h2 id="due-preview-title">The list</h2>
            <ExportButton
              request={() => call('reports.dueExport', { params, format: 'csv' })}
              label="Export CSV"
              disabled={!doc}
              onError={setExportError}
            />
            <ExportButton
              request={() => call('reports.dueExport', { params, format: 'ics' })}
              label="Export calendar (.ics)"
              disabled={!doc}
              onError={setExportError}
            />
          </div>
          <ErrorBanner error={list.error ?? exportError} />
          {doc ? (
            <>
              <ul className="report-filter-words" aria-label="Filter in words">
                {doc.header.filter.map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
              <p className="report-count" data-testid="due-count">
                {doc.rows.length} task{doc.rows.length === 1 ? '' : 's'}: {doc.counts.overdue} overdue, {doc.counts.due} due
                {doc.counts.scheduled > 0 ? `, ${doc.counts.scheduled} scheduled` : ''}
              </p>
              {doc.rows.length === 0 ? (
                <p className="empty">Nothing matches this filter.</p>
              ) : (
                <div className="table-scroll">
                  <table className="data compact due-preview">
                    <thead>
                      <tr>
                        <th scope="col">Tag</th>
                        <th scope="col">Device</th>
                        <th scope="col">Location</th>
                        <th scope="col">Task</th>
                        <th scope="col">Due date</th>
                        <th scope="col">Status</th>
                      </tr>
                    </thead>
                    <tbody>
                      {doc.rows.slice(0, SHOWN).map((r) => (
                        <tr key={r.planId} className={`due-row ${r.status}`} data-testid="due-preview-row">
                          <td className="mono">{r.equipmentId ? <Link to={`/equipment/${r.equipmentId}`}>{r.assetTag}</Link> : '—'}</td>
                          <td>{r.name}</td>
                          <td>{r.location}</td>
                          <td>{r.taskLabel}</td>
                          <td className="nowrap">{formatDate(r.dueDate, dateFormat)}</td>
                          <td>
                            <DueFlag status={r.status} daysOverdue={r.daysOverdue} doNotUse={r.doNotUse} />
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
              {doc.rows.length > SHOWN ? (
                <p className="muted">
                  Showing the first {SHOWN} of {doc.rows.length}; the printout and the exports hold them all.
                </p>
              ) : null}
            </>
          ) : list.loading ? (
            <p className="muted">Loading…</p>
          ) : null}
        </section>
      </div>
    </div>
  );
}
