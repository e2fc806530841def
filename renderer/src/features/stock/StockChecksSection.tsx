import type { FormEvent } from 'react';
import { useId, useState } from 'react';
import { OUTCOME_LABELS } from '../../../../shared/domain/plan';
import type { StockLocationDetail } from '../../../../shared/domain/stock-views';
import { daysBetween } from '../../../../shared/scheduling/dates';
import type { AppErrorValue } from '../../../../shared/result';
import { Banner, ErrorBanner } from '../../components/Banner';
import { DueFlag } from '../../components/DueFlag';
import { Field } from '../../components/Field';
import { call } from '../../lib/api';
import { formatDate } from '../../lib/dates';
import { fieldErrors } from '../../lib/form-errors';
import { Link } from '../../lib/router';
import { can, useSession } from '../../lib/session';
import { formatInstant, useDateFormat } from '../../lib/use-date-format';

function AddCheckPlan({ stockLocationId, today, onDone, onCancel }: { stockLocationId: string; today: string; onDone: (m: string) => void; onCancel: () => void }) {
  const [every, setEvery] = useState('1d');
  const [startDate, setStartDate] = useState(today);
  const [graceDays, setGraceDays] = useState('');
  const [error, setError] = useState<AppErrorValue | null>(null);
  const { byField, general } = fieldErrors(error);
  const titleId = useId();
  async function submit(e: FormEvent) {
    e.preventDefault();
    const res = await call('plans.create', {
      stockLocationId,
      task: 'stock_check',
      every,
      startDate,
      graceDays: graceDays.trim() === '' ? null : Number(graceDays),
    });
    if (!res.ok) {
      setError(res.error);
      return;
    }
    onDone(`Added a stock check ${res.value.everyText}: first due ${res.value.nextDue}.`);
  }
  return (
    <form className="stack plan-form" onSubmit={(e) => void submit(e)} aria-labelledby={titleId} noValidate>
      <h3 id={titleId}>New stock-check plan</h3>
      <ErrorBanner error={general} />
      <div className="grid-3">
        <Field label="Every" required error={byField.every} help="1d for a daily crash-cart check; 1w, 1m also work.">
          {(p) => <input {...p} type="text" value={every} onChange={(e) => setEvery(e.target.value)} autoComplete="off" autoFocus />}
        </Field>
        <Field label="Start date" required error={byField.startDate} help="Due on this day until it is first done.">
          {(p) => <input {...p} type="date" value={startDate} onChange={(e) => setStartDate(e.target.value)} />}
        </Field>
        <Field label="Grace (days)" error={byField.graceDays} help="Overdue only after this many days. Blank: 0.">
          {(p) => <input {...p} type="number" min={0} step={1} value={graceDays} onChange={(e) => setGraceDays(e.target.value)} />}
        </Field>
      </div>
      <div className="form-actions">
        <button type="submit" className="primary">
          Add plan
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** A stock location's checks: its plans with their status, the way to record one, and the latest checks. */
export function StockChecksSection({ detail }: { detail: StockLocationDetail }) {
  const { user } = useSession();
  const dateFormat = useDateFormat();
  const [adding, setAdding] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<AppErrorValue | null>(null);
  const titleId = useId();
  const mayEdit = can(user, 'supervisor');
  const active = detail.plans.filter((p) => p.active);
  const hasCheck = active.some((p) => p.task === 'stock_check');
  return (
    <section className="panel" aria-labelledby={titleId}>
      <div className="section-head">
        <h2 id={titleId}>Stock checks</h2>
        {mayEdit && !adding && !hasCheck && detail.location.active ? (
          <button type="button" onClick={() => setAdding(true)}>
            Add a stock-check plan
          </button>
        ) : null}
      </div>
      {notice ? <Banner kind="ok">{notice}</Banner> : null}
      <ErrorBanner error={error} />
      {active.length > 0 ? (
        <table className="data plans-table">
          <thead>
            <tr>
              <th scope="col">Task</th>
              <th scope="col">Status</th>
              <th scope="col">Next due</th>
              <th scope="col">Last done</th>
              <th scope="col">Interval</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {active.map((p) => (
              <tr key={p.id} className={`plan-row ${p.status}`} data-testid="stock-plan-row">
                <th scope="row" className="row-head">
                  {p.taskLabel}
                </th>
                <td>
                  <DueFlag status={p.status} daysOverdue={p.daysOverdue} dueInDays={daysBetween(detail.asOf, p.nextDue)} />
                </td>
                <td className="nowrap">{formatDate(p.nextDue, dateFormat)}</td>
                <td className="nowrap">{p.lastDoneOn ? formatDate(p.lastDoneOn, dateFormat) : <span className="muted">Never</span>}</td>
                <td>{p.everyText}</td>
                <td className="nowrap row-actions">
                  <Link to={`/log/${p.id}`} className="button primary small-button">
                    Record a check
                  </Link>
                  {mayEdit ? (
                    <button
                      type="button"
                      className="link-button"
                      aria-label={`Deactivate the ${p.taskLabel.toLowerCase()} plan`}
                      onClick={() => {
                        void call('plans.deactivate', { id: p.id }).then((res) => {
                          setError(res.ok ? null : res.error);
                          setNotice(res.ok ? `Deactivated the ${p.taskLabel.toLowerCase()} plan; its history stays.` : null);
                        });
                      }}
                    >
                      Deactivate
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="empty">No check is planned{mayEdit ? ': add a plan (a crash cart is usually checked daily).' : '.'}</p>
      )}
      {adding ? (
        <AddCheckPlan
          stockLocationId={detail.location.id}
          today={detail.asOf}
          onCancel={() => setAdding(false)}
          onDone={(m) => {
            setAdding(false);
            setNotice(m);
          }}
        />
      ) : null}
      {detail.recentChecks.length > 0 ? (
        <>
          <h3>Latest checks</h3>
          <ul className="tight-list recent-checks">
            {detail.recentChecks.map((c) => (
              <li key={c.completionId}>
                <Link to={`/stock/checks/${c.completionId}`}>{formatInstant(c.performedAt)}</Link>: <span className={`outcome-text ${c.outcome}`}>{OUTCOME_LABELS[c.outcome]}</span>{' '}
                <span className="muted">by {c.performedByName}</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
