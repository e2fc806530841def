import { useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState } from 'react';
import type { PlanView } from '../../../../shared/domain/plan';
import { PLAN_MODE_LABELS } from '../../../../shared/domain/plan';
import { daysBetween } from '../../../../shared/scheduling/dates';
import { Banner, ErrorBanner } from '../../components/Banner';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DueFlag } from '../../components/DueFlag';
import { channelQuery, useChannelMutation, useChannelQuery } from '../../lib/query';
import { can, useSession } from '../../lib/session';
import type { DateWriter } from '../../lib/settings';
import { useDates } from '../../lib/settings';
import { confirmed, PlanDialog } from '../../components/PlanDialog';

const days = (n: number) => (n === 1 ? '1 day' : `${n} days`);

type Editing =
  | { kind: 'new' }
  | { kind: 'edit'; plan: PlanView }
  | { kind: 'deactivate'; plan: PlanView }
  | { kind: 'reactivate'; plan: PlanView }
  | null;

function PlanRow({
  plan,
  today,
  dates,
  mayEdit,
  onEdit,
  onDeactivate,
}: {
  plan: PlanView;
  today: string;
  dates: DateWriter;
  mayEdit: boolean;
  onEdit: () => void;
  onDeactivate: () => void;
}) {
  return (
    <tr className={`plan-row ${plan.status}`} data-testid="plan-row">
      <th scope="row" className="row-head">
        {plan.taskLabel}
      </th>
      <td>
        <DueFlag status={plan.status} daysOverdue={plan.daysOverdue} doNotUse={plan.doNotUse} dueInDays={daysBetween(today, plan.nextDue)} />
      </td>
      <td className="nowrap" data-testid="plan-next-due">
        {dates.date(plan.nextDue)}
      </td>
      <td className="nowrap">
        {plan.lastDoneOn ? (
          dates.date(plan.lastDoneOn)
        ) : plan.doneBeforeOn ? (
          // The day it was last done before the device came to Wardkeep (an import or the add form): the plan started from it.
          <>
            {dates.date(plan.doneBeforeOn)}
            <div className="muted small">before Wardkeep</div>
          </>
        ) : (
          <span className="muted">Never</span>
        )}
      </td>
      <td>{plan.everyText}</td>
      <td>{PLAN_MODE_LABELS[plan.mode]}</td>
      <td className="nowrap">
        {days(plan.windowDays)} / {days(plan.graceDays)}
      </td>
      {mayEdit ? (
        <td className="nowrap row-actions">
          <button type="button" className="link-button" onClick={onEdit} aria-label={`Edit the ${plan.taskLabel.toLowerCase()} plan`}>
            Edit…
          </button>
          <button type="button" className="link-button" onClick={onDeactivate} aria-label={`Deactivate the ${plan.taskLabel.toLowerCase()} plan`}>
            Deactivate…
          </button>
        </td>
      ) : null}
    </tr>
  );
}

/**
 * What bringing a plan back gives, said before it is done: main recomputes its next due date from
 * its own records by the rules (docs/scheduling.md 5–7), which is the date it kept while out of use.
 * Only a floating plan done before counts from the last time; a fixed one keeps its dates; one never
 * done is due on its start date. Overdue at once is said, in days (rule 10), on a device in service.
 */
function bringBackText(plan: PlanView, today: string, inService: boolean, dates: DateWriter): string {
  const how = plan.lastDoneOn
    ? plan.mode === 'floating'
      ? `It returns to the due lists with its records: next due counts from the last time it was done (${dates.date(plan.lastDoneOn)}), ${plan.everyText}.`
      : `It returns to the due lists with its records: it falls due on fixed dates from its start date (${dates.date(plan.startDate)}), ${plan.everyText}, the next after the last time it was done (${dates.date(plan.lastDoneOn)}).`
    : `It returns to the due lists: it has never been done in Wardkeep${plan.doneBeforeOn ? ` (last done before Wardkeep ${dates.date(plan.doneBeforeOn)})` : ''}, so it is due on its start date.`;
  const overdue = daysBetween(plan.nextDue, today);
  const late = inService && overdue > plan.graceDays ? `: ${days(overdue)} overdue as soon as it is back` : '';
  return `${how} Next due ${dates.date(plan.nextDue)}${late}.`;
}

/**
 * A device's plans on its page: status today (overdue red, "DO NOT USE" when an overdue
 * calibration or safety test or a failed one forbids use), next due, last done, the rule; and for
 * supervisors, adding, changing and deactivating plans with the defaults shown.
 */
export function PlansSection({ equipmentId }: { equipmentId: string }) {
  const { user } = useSession();
  const q = useChannelQuery('plans.list', { equipmentId });
  const types = useChannelQuery('taskTypes.list', {});
  const dates = useDates();
  const [editing, setEditing] = useState<Editing>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const create = useChannelMutation('plans.create');
  const update = useChannelMutation('plans.update');
  const deactivate = useChannelMutation('plans.deactivate');
  const reactivate = useChannelMutation('plans.reactivate');
  const titleId = useId();
  const mayEdit = can(user, 'supervisor');
  const data = q.data;
  const active = data?.plans.filter((p) => p.active) ?? [];
  const inactive = data?.plans.filter((p) => !p.active) ?? [];
  // A task the administrator took out of use is offered for no new plan (main refuses it too).
  const free = (types.data ?? []).filter((t) => t.active && t.target === 'equipment' && !active.some((p) => p.task === t.code));
  // The plan as the Change… dialog last read it (null: as it opened, `editing.plan`).
  const basis = useRef<PlanView | null>(null);
  const queryClient = useQueryClient();
  const close = (message: string | null) => {
    basis.current = null;
    setEditing(null);
    setNotice(message);
  };

  return (
    <section className="panel plans-section" aria-labelledby={titleId}>
      <div className="section-head">
        <h2 id={titleId}>Plans</h2>
        {mayEdit && free.length > 0 ? (
          <button
            type="button"
            onClick={() => {
              setNotice(null);
              setEditing({ kind: 'new' });
            }}
          >
            Add plan…
          </button>
        ) : null}
      </div>
      {data?.doNotUse ? (
        <div className="do-not-use-banner" role="alert">
          <strong>DO NOT USE</strong>
          <ul>
            {data.doNotUseReasons.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {data && data.equipmentStatus !== 'in_service' && !data.taggedOutByPlanId ? (
        <p className="muted">The device is not in service, so its plans are suspended: nothing is due until it returns.</p>
      ) : null}
      <ErrorBanner error={q.error} />
      {notice ? <Banner kind="ok">{notice}</Banner> : null}
      {active.length > 0 ? (
        <div className="table-scroll">
          <table className="data plans-table">
            <thead>
              <tr>
                <th scope="col">Task</th>
                <th scope="col">Status</th>
                <th scope="col">Next due</th>
                <th scope="col">Last done</th>
                <th scope="col">Interval</th>
                <th scope="col">Mode</th>
                <th scope="col">Window / grace</th>
                {mayEdit ? (
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {active.map((p) => (
                <PlanRow
                  key={p.id}
                  plan={p}
                  today={data?.today ?? p.nextDue}
                  dates={dates}
                  mayEdit={mayEdit}
                  onEdit={() => {
                    setNotice(null);
                    setEditing({ kind: 'edit', plan: p });
                  }}
                  onDeactivate={() => {
                    setNotice(null);
                    setEditing({ kind: 'deactivate', plan: p });
                  }}
                />
              ))}
            </tbody>
          </table>
        </div>
      ) : data ? (
        <p className="empty">No plans yet{mayEdit ? ': add one, or give the device its category’s default plans.' : '.'}</p>
      ) : null}

      {editing?.kind === 'new' && data ? (
        <PlanDialog
          title="New plan"
          submitLabel="Add plan"
          plan={null}
          tasks={free}
          today={data.today}
          onClose={() => close(null)}
          save={(v) => create.run({ equipmentId, task: v.task, every: v.every, mode: v.mode, startDate: v.startDate, windowDays: v.windowDays, graceDays: v.graceDays, ...confirmed(v) })}
          onSaved={(plan) => close(`Added the ${plan.taskLabel.toLowerCase()} plan: next due ${dates.date(plan.nextDue)}.`)}
        />
      ) : null}
      {editing?.kind === 'edit' && data ? (
        <PlanDialog
          title={`Change the ${editing.plan.taskLabel.toLowerCase()} plan`}
          submitLabel="Save plan"
          plan={editing.plan}
          today={data.today}
          onClose={() => close(null)}
          save={async (v) => {
            // Sent with what the dialog opened with: a change someone else made meanwhile is refused, not put back unseen.
            const opened = basis.current ?? editing.plan;
            const expected = { every: opened.every, mode: opened.mode, startDate: opened.startDate, windowDays: opened.windowDays, graceDays: opened.graceDays };
            const res = await update.run({ id: opened.id, every: v.every, mode: v.mode, startDate: v.startDate, windowDays: v.windowDays, graceDays: v.graceDays, expected, ...confirmed(v) });
            if (!res.ok && res.error.code === 'conflict') {
              // Refused as changed meanwhile: the next press is made on the plan as it now is.
              const now = (await queryClient.fetchQuery({ ...channelQuery('plans.list', { equipmentId }), staleTime: 0 }).catch(() => undefined))?.plans.find(
                (p) => p.id === opened.id,
              );
              if (now) basis.current = now;
            }
            return res;
          }}
          onSaved={(plan) => close(`Saved the ${plan.taskLabel.toLowerCase()} plan: next due ${dates.date(plan.nextDue)}.`)}
        />
      ) : null}
      {editing?.kind === 'deactivate' ? (
        <ConfirmDialog
          title={`Deactivate the ${editing.plan.taskLabel.toLowerCase()} plan?`}
          confirmLabel="Deactivate plan"
          danger
          onClose={() => close(null)}
          onConfirm={() => deactivate.run({ id: editing.plan.id })}
          onDone={(plan) => close(`Deactivated the ${plan.taskLabel.toLowerCase()} plan.`)}
        >
          <p>It leaves every due list; its history stays. Plans are never deleted.</p>
        </ConfirmDialog>
      ) : null}
      {editing?.kind === 'reactivate' ? (
        <ConfirmDialog
          title={`Bring back the ${editing.plan.taskLabel.toLowerCase()} plan?`}
          confirmLabel="Bring back plan"
          onClose={() => close(null)}
          onConfirm={() => reactivate.run({ id: editing.plan.id })}
          onDone={(plan) => close(`Brought back the ${plan.taskLabel.toLowerCase()} plan: next due ${dates.date(plan.nextDue)}.`)}
        >
          <p>{bringBackText(editing.plan, data?.today ?? editing.plan.nextDue, data?.equipmentStatus === 'in_service', dates)}</p>
        </ConfirmDialog>
      ) : null}

      {inactive.length > 0 ? (
        <details className="inactive-plans">
          <summary>Inactive plans ({inactive.length})</summary>
          <ul className="tight-list">
            {inactive.map((p) => (
              <li key={p.id}>
                {p.taskLabel}, {p.everyText}; last done{' '}
                {p.lastDoneOn ? dates.date(p.lastDoneOn) : p.doneBeforeOn ? `${dates.date(p.doneBeforeOn)} (before Wardkeep)` : 'never'}
                {mayEdit ? (
                  <>
                    {' '}
                    <button
                      type="button"
                      className="link-button"
                      onClick={() => {
                        setNotice(null);
                        setEditing({ kind: 'reactivate', plan: p });
                      }}
                      aria-label={`Bring back the ${p.taskLabel.toLowerCase()} plan`}
                    >
                      Bring back…
                    </button>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}
