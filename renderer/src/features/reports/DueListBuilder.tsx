import { useId, useMemo, useState } from 'react';
import { formatDate, localDay } from '../../../../shared/date-format';
import type { Risk } from '../../../../shared/domain/equipment';
import type { DueStatus } from '../../../../shared/domain/plan';
import { headerLineText } from '../../../../shared/domain/report';
import type { DueListDocument, DueListParamsInput } from '../../../../shared/domain/report-due';
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
import type { DateFormatSetting } from '../../../../shared/domain/settings';
import { addDaysTo } from '../../../../shared/scheduling/dates';
import type { AppErrorValue } from '../../../../shared/result';
import { Banner, ErrorBanner } from '../../components/Banner';
import { LastAnswer } from '../../components/LastAnswer';
import { DueFlag } from '../../components/DueFlag';
import { ExportButton } from '../../components/ExportButton';
import { FilterDate, readFilterDate } from '../../components/FilterDate';
import { PrintControls } from '../../components/PrintControls';
import { call } from '../../lib/api';
import { useChannelQuery } from '../../lib/query';
import { Link } from '../../lib/router';
import { useDates } from '../../lib/settings';
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
  /** The "Out of service: do not use" section (issue 16). */
  outOfService: boolean;
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
  outOfService: false,
};

export interface FilterProblem {
  field: 'withinDays' | 'dueOnOrAfter' | 'dueOnOrBefore' | 'asOf';
  message: string;
}

/**
 * The builder's state as the due list's parameters (blank fields left out: "all", "today"), or
 * the problems that stop it being one: dates in the user's format, a range in order (main
 * refuses the same).
 */
export function dueParams(f: DueFilterState, setting: DateFormatSetting): { params: DueListParamsInput; problems: FilterProblem[] } {
  const problems: FilterProblem[] = [];
  const from = readFilterDate(f.dueOnOrAfter, setting, 'Due from');
  const to = readFilterDate(f.dueOnOrBefore, setting, 'Due to');
  const asOf = readFilterDate(f.asOf, setting, 'As of');
  if (from.problem) problems.push({ field: 'dueOnOrAfter', message: from.problem });
  if (to.problem) problems.push({ field: 'dueOnOrBefore', message: to.problem });
  if (asOf.problem) problems.push({ field: 'asOf', message: asOf.problem });
  if (from.value && to.value && from.value > to.value) {
    problems.push({ field: 'dueOnOrBefore', message: `Due to (${formatDate(to.value, setting)}) is before due from (${formatDate(from.value, setting)}): the range ends before it starts.` });
  }
  const within = f.withinDays.trim() === '' ? undefined : Number(f.withinDays);
  if (f.statuses.includes('scheduled') && within !== undefined && (!Number.isInteger(within) || within < 0 || within > 3660)) {
    problems.push({ field: 'withinDays', message: 'Scheduled within must be a whole number of days from 0 to 3660.' });
  } else if (f.statuses.includes('scheduled') && !within && !to.value && !to.problem) {
    // Without a horizon no scheduled plan is listed: a list of "Scheduled" would print empty.
    problems.push({
      field: 'withinDays',
      message: 'Scheduled within needs a number of days from 1 to 3660 (or a Due to date): without one no scheduled plan is listed.',
    });
  }
  const params: DueListParamsInput = { statuses: f.statuses.length > 0 ? f.statuses : ['overdue', 'due', 'scheduled'] };
  if (f.locationIds.length > 0) params.locationIds = f.locationIds;
  if (f.tasks.length > 0) params.tasks = f.tasks;
  if (f.risks.length > 0) params.risks = f.risks;
  if (f.statuses.includes('scheduled') && within !== undefined && Number.isInteger(within)) params.withinDays = within;
  if (from.value) params.dueOnOrAfter = from.value;
  if (to.value) params.dueOnOrBefore = to.value;
  if (asOf.value) params.asOf = asOf.value;
  if (f.outOfService) params.outOfService = true;
  return { params, problems };
}

/** Devices a failed test took out of service, as the printout names them first: DO NOT USE. */
function TaggedOutPreview({ doc }: { doc: DueListDocument }) {
  const titleId = useId();
  const devices = taggedOutFirst(doc);
  if (devices.length === 0) return null;
  return (
    <section className="out-of-service" aria-labelledby={titleId} data-testid="due-preview-tagged-out">
      <h3 id={titleId}>{TAGGED_OUT_TITLE}</h3>
      <div className="table-scroll">
        <table className="data compact due-preview" aria-labelledby={titleId}>
          <thead>
            <tr>
              <th scope="col">Tag</th>
              <th scope="col">Device</th>
              <th scope="col">Location</th>
              <th scope="col">Failed</th>
            </tr>
          </thead>
          <tbody>
            {devices.slice(0, SHOWN).map((d) => (
              <tr key={d.equipmentId} className="due-row do-not-use" data-testid="due-preview-tagged-out-row">
                <td className="mono">
                  <Link to={`/equipment/${d.equipmentId}`}>{d.assetTag}</Link>
                </td>
                <td>
                  {d.name} <span className="do-not-use-chip">DO NOT USE</span>
                </td>
                <td>{d.location}</td>
                <td>{d.taskLabel}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {devices.length > SHOWN ? (
        <p className="muted">
          Showing the first {SHOWN} of {devices.length}; the printout holds them all.
        </p>
      ) : null}
    </section>
  );
}

/** Every device out of service in the list's locations, when asked for: last, as on the printout. */
function OutOfServicePreview({ doc }: { doc: DueListDocument }) {
  const titleId = useId();
  const dates = useDates();
  const devices = doc.outOfService;
  if (!devices) return null;
  return (
    <section className="out-of-service" aria-labelledby={titleId} data-testid="due-preview-out-of-service">
      <h3 id={titleId}>{OUT_OF_SERVICE_TITLE}</h3>
      {devices.length === 0 ? (
        <p className="empty">{NO_DEVICE_OUT_OF_SERVICE}</p>
      ) : (
        <div className="table-scroll">
          <table className="data compact due-preview" aria-labelledby={titleId}>
            <thead>
              <tr>
                <th scope="col">Tag</th>
                <th scope="col">Device</th>
                <th scope="col">Where</th>
                <th scope="col">Why</th>
                <th scope="col">Repair</th>
              </tr>
            </thead>
            <tbody>
              {devices.slice(0, SHOWN).map((r) => (
                <tr key={r.equipmentId} className="due-row do-not-use" data-testid="due-preview-out-of-service-row">
                  <td className="mono">
                    <Link to={`/equipment/${r.equipmentId}`}>{r.assetTag}</Link>
                  </td>
                  <td>
                    {r.name} <span className="do-not-use-chip">DO NOT USE</span>
                  </td>
                  <td>{outOfServiceWhere(r)}</td>
                  <td>{outOfServiceWhy(r, dates.setting)}</td>
                  <td>{outOfServiceRepair(r)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {devices.length > SHOWN ? (
        <p className="muted">
          Showing the first {SHOWN} of {devices.length}; the printout holds them all.
        </p>
      ) : null}
    </section>
  );
}

/**
 * The due-list builder: the supervisor picks wards, tasks, statuses, dates and risk; the list (the
 * query `wardkeep due` runs, in walk order) is shown, printed, saved as PDF or exported. The preview
 * shows what the printout holds, in its order: the devices a failed test took out of service, the
 * tasks, then (when asked for) every device out of service.
 */
export function DueListBuilder() {
  const [filter, setFilter] = useState<DueFilterState>(INITIAL_DUE_FILTER);
  const [exportError, setExportError] = useState<AppErrorValue | null>(null);
  const tree = useChannelQuery('locations.tree', {});
  const taskTypes = useChannelQuery('taskTypes.list', {});
  const dates = useDates();
  const { params, problems } = useMemo(() => dueParams(filter, dates.setting), [filter, dates.setting]);
  const valid = problems.length === 0;
  const list = useChannelQuery('reports.dueList', params, { enabled: valid, keepPrevious: true });
  const doc = valid ? list.data : undefined;
  // The last filter's list stays on screen while the new one is read: said so, set apart, not printed or exported as the new one.
  const updating = valid && list.updating;
  const ids = { within: useId(), tasks: useId() };
  const set = (patch: Partial<DueFilterState>) => setFilter((f) => ({ ...f, ...patch }));
  const problemOf = (field: FilterProblem['field']) => problems.filter((p) => p.field === field).map((p) => p.message).join(' ') || null;
  const today = localDay(new Date());
  const tomorrow = addDaysTo(today, 1);
  const asOfValue = readFilterDate(filter.asOf, dates.setting, 'As of').value;
  const plainStatuses = filter.statuses.length === 2 && filter.statuses.includes('overdue') && filter.statuses.includes('due');
  const isToday = plainStatuses && filter.asOf.trim() === '' && !filter.dueOnOrAfter && !filter.dueOnOrBefore;
  const isTomorrow = plainStatuses && asOfValue === tomorrow && !filter.dueOnOrAfter && !filter.dueOnOrBefore;
  const isNextWeek = filter.statuses.length === 3 && filter.withinDays.trim() === '7' && filter.asOf.trim() === '' && !filter.dueOnOrAfter && !filter.dueOnOrBefore;
  const preset = (patch: Partial<DueFilterState>) => setFilter({ ...INITIAL_DUE_FILTER, locationIds: filter.locationIds, tasks: filter.tasks, risks: filter.risks, ...patch });

  return (
    <div className="report-screen">
      <div className="page-head">
        <h1>Due lists</h1>
        <div className="actions">
          <PrintControls view="due-list" params={params} what="the due list" disabled={!doc || updating} />
        </div>
      </div>
      <div className="report-layout due-layout">
        <form className="panel report-filters" aria-label="Due list filter" onSubmit={(e) => e.preventDefault()}>
          <fieldset className="choices report-choices quick-lists">
            <legend>Quick lists</legend>
            <span className="quick-periods">
              <button type="button" aria-pressed={isToday} onClick={() => preset({})}>
                Today
              </button>
              <button type="button" aria-pressed={isTomorrow} onClick={() => preset({ asOf: formatDate(tomorrow, dates.setting) })}>
                Tomorrow
              </button>
              <button type="button" aria-pressed={isNextWeek} onClick={() => preset({ statuses: ['overdue', 'due', 'scheduled'], withinDays: '7' })}>
                Next week
              </button>
            </span>
            <span className="help">
              Tomorrow: what is overdue or due on {formatDate(tomorrow, dates.setting)}. Next week: overdue and due now, and everything due in the next 7 days.
            </span>
          </fieldset>
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
                type="text"
                inputMode="numeric"
                className="narrow"
                value={filter.withinDays}
                disabled={!filter.statuses.includes('scheduled')}
                aria-invalid={Boolean(problemOf('withinDays'))}
                onChange={(e) => set({ withinDays: e.target.value })}
              />
            </span>
            {problemOf('withinDays') ? <span className="error">{problemOf('withinDays')}</span> : null}
          </ChoiceChecklist>
          <fieldset className="choices report-choices">
            <legend>Due date</legend>
            <FilterDate label="Due from" value={filter.dueOnOrAfter} onChange={(t) => set({ dueOnOrAfter: t })} problem={problemOf('dueOnOrAfter')} />
            <FilterDate label="Due to" value={filter.dueOnOrBefore} onChange={(t) => set({ dueOnOrBefore: t })} problem={problemOf('dueOnOrBefore')} />
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
            <legend>Devices out of service</legend>
            <label className="check">
              <input type="checkbox" checked={filter.outOfService} onChange={(e) => set({ outOfService: e.target.checked })} />
              Add an &ldquo;Out of service: do not use&rdquo; section
            </label>
          </fieldset>
          <fieldset className="choices report-choices">
            <legend>Day of the list</legend>
            <FilterDate label="As of" value={filter.asOf} onChange={(t) => set({ asOf: t })} problem={problemOf('asOf')} help="Blank: today." />
          </fieldset>
          <button type="button" onClick={() => setFilter(INITIAL_DUE_FILTER)}>
            Reset the filter
          </button>
        </form>
        <section className="panel report-preview" aria-labelledby="due-preview-title" aria-busy={updating}>
          <div className="section-head">
            <h2 id="due-preview-title">The list</h2>
            <ExportButton
              request={() => call('reports.dueExport', { params, format: 'csv' })}
              label="Export CSV"
              disabled={!doc || updating}
              onError={setExportError}
            />
            <ExportButton
              request={() => call('reports.dueExport', { params, format: 'ics' })}
              label="Export calendar (.ics)"
              disabled={!doc || updating}
              onError={setExportError}
            />
          </div>
          {!valid ? (
            <Banner kind="error">
              <strong>The list is not shown until the filter is fixed:</strong>
              <ul>
                {problems.map((p) => (
                  <li key={p.message}>{p.message}</li>
                ))}
              </ul>
            </Banner>
          ) : null}
          <ErrorBanner error={valid ? (list.error ?? exportError) : null} />
          {doc ? (
            <LastAnswer
              updating={updating}
              note={
                <>
                  <strong>Reading the list for the filter now chosen.</strong> Until it is ready, the list below is the last one, for the
                  filter it names.
                </>
              }
            >
              <ul className="report-filter-words" aria-label="Filter in words">
                {/* As the printout's header writes them (layout.tsx, DocumentHeader): names as written, the days the Settings way. */}
                {doc.header.filter.map((line, i) => (
                  <li key={i}>{headerLineText(line, doc.header.dateFormat)}</li>
                ))}
              </ul>
              <p className="report-count" data-testid="due-count">
                {doc.rows.length} task{doc.rows.length === 1 ? '' : 's'}: {doc.counts.overdue} overdue, {doc.counts.due} due
                {doc.counts.scheduled > 0 ? `, ${doc.counts.scheduled} scheduled` : ''}
              </p>
              {taggedOutSentence(doc) ? (
                <p className="report-count" data-testid="due-tagged-out-count">
                  {taggedOutSentence(doc)}
                </p>
              ) : null}
              <TaggedOutPreview doc={doc} />
              <h3 id={ids.tasks}>Tasks</h3>
              {doc.rows.length === 0 ? (
                <p className="empty">No plan matches this filter as of {dates.date(doc.asOf)}.</p>
              ) : (
                <div className="table-scroll">
                  <table className="data compact due-preview" aria-labelledby={ids.tasks}>
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
                          <td className="nowrap">{dates.date(r.dueDate)}</td>
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
              <OutOfServicePreview doc={doc} />
            </LastAnswer>
          ) : list.loading ? (
            <p className="muted">Loading…</p>
          ) : null}
        </section>
      </div>
    </div>
  );
}
