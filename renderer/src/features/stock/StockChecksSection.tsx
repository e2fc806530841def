import { useId, useState } from 'react';
import { OUTCOME_LABELS } from '../../../../shared/domain/plan';
import type { PlanView } from '../../../../shared/domain/plan';
import type { StockLocationDetail } from '../../../../shared/domain/stock-views';
import { daysBetween } from '../../../../shared/scheduling/dates';
import { Banner } from '../../components/Banner';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DueFlag } from '../../components/DueFlag';
import { confirmed, PlanDialog } from '../../components/PlanDialog';
import { useChannelMutation } from '../../lib/query';
import { Link } from '../../lib/router';
import { can, useSession } from '../../lib/session';
import { useDates } from '../../lib/settings';

/** A stock location's checks: its plans with their status, the way to record one, and the latest checks. */
export function StockChecksSection({ detail }: { detail: StockLocationDetail }) {
  const { user } = useSession();
  const dates = useDates();
  const [adding, setAdding] = useState(false);
  const [deactivating, setDeactivating] = useState<PlanView | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const create = useChannelMutation('plans.create');
  const deactivate = useChannelMutation('plans.deactivate');
  const titleId = useId();
  const mayEdit = can(user, 'supervisor');
  const active = detail.plans.filter((p) => p.active);
  const hasCheck = active.some((p) => p.task === 'stock_check');
  return (
    <section className="panel" aria-labelledby={titleId}>
      <div className="section-head">
        <h2 id={titleId}>Stock checks</h2>
        {mayEdit && !hasCheck && detail.location.active ? (
          <button type="button" onClick={() => setAdding(true)}>
            Add a stock-check plan…
          </button>
        ) : null}
      </div>
      {notice ? <Banner kind="ok">{notice}</Banner> : null}
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
                <td className="nowrap">{dates.date(p.nextDue)}</td>
                <td className="nowrap">{p.lastDoneOn ? dates.date(p.lastDoneOn) : <span className="muted">Never</span>}</td>
                <td>{p.everyText}</td>
                <td className="nowrap row-actions">
                  <Link to={`/log/${p.id}`} className="button primary small-button">
                    Record a check
                  </Link>
                  {mayEdit ? (
                    <button type="button" className="link-button" onClick={() => setDeactivating(p)}>
                      Deactivate…<span className="sr-only"> the {p.taskLabel.toLowerCase()} plan</span>
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
        <PlanDialog
          title="New stock-check plan"
          submitLabel="Add plan"
          plan={null}
          today={detail.asOf}
          initialEvery="1d"
          onClose={() => setAdding(false)}
          save={(v) =>
            create.run({
              stockLocationId: detail.location.id,
              task: 'stock_check',
              every: v.every,
              mode: v.mode,
              startDate: v.startDate,
              windowDays: v.windowDays,
              graceDays: v.graceDays,
              ...confirmed(v),
            })
          }
          onSaved={(plan) => {
            setAdding(false);
            setNotice(`Added a stock check ${plan.everyText}: first due ${dates.date(plan.nextDue)}.`);
          }}
        />
      ) : null}
      {deactivating ? (
        <ConfirmDialog
          title={`Deactivate the ${deactivating.taskLabel.toLowerCase()} plan?`}
          confirmLabel="Deactivate plan"
          danger
          onClose={() => setDeactivating(null)}
          onConfirm={() => deactivate.run({ id: deactivating.id })}
          onDone={(plan) => {
            setDeactivating(null);
            setNotice(`Deactivated the ${plan.taskLabel.toLowerCase()} plan; its history stays.`);
          }}
        >
          <p>The checks stop being due; the checks already recorded stay.</p>
        </ConfirmDialog>
      ) : null}
      {detail.recentChecks.length > 0 ? (
        <>
          <h3>Latest checks</h3>
          <ul className="tight-list recent-checks">
            {detail.recentChecks.map((c) => (
              <li key={c.completionId}>
                <Link to={`/stock/checks/${c.completionId}`}>{dates.dateTime(c.performedAt)}</Link>: <span className={`outcome-text ${c.outcome}`}>{OUTCOME_LABELS[c.outcome]}</span>{' '}
                <span className="muted">by {c.performedByName}</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
