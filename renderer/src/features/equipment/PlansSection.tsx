import type { FormEvent } from 'react';
import { useId, useRef, useState } from 'react';
import type { PlanView, TaskType } from '../../../../shared/domain/plan';
import { PLAN_MODE_LABELS } from '../../../../shared/domain/plan';
import type { DateFormatSetting } from '../../../../shared/domain/settings';
import type { PlanMode } from '../../../../shared/scheduling/next-due';
import { daysBetween } from '../../../../shared/scheduling/dates';
import { DEFAULT_GRACE_DAYS, defaultWindowDays, parseInterval } from '../../../../shared/scheduling/interval';
import type { AppErrorValue } from '../../../../shared/result';
import { Banner, ErrorBanner } from '../../components/Banner';
import { DueFlag } from '../../components/DueFlag';
import { Field } from '../../components/Field';
import { call, useQuery } from '../../lib/api';
import { formatDate } from '../../lib/dates';
import { fieldErrors } from '../../lib/form-errors';
import { can, useSession } from '../../lib/session';

const days = (n: number) => (n === 1 ? '1 day' : `${n} days`);

interface Draft {
  task: string;
  every: string;
  mode: PlanMode;
  startDate: string;
  windowDays: string;
  graceDays: string;
}

const MODE_HELP: Record<PlanMode, string> = {
  floating: 'Next due counts from the day it was last done.',
  fixed: 'Due on fixed dates from the start date, whenever it was done.',
};

/** A blank number field means "the default" (null); anything else is sent as typed, for the back end to judge. */
const daysValue = (text: string): number | null => (text.trim() === '' ? null : Number(text));

function PlanForm({
  title,
  initial,
  tasks,
  onSubmit,
  onCancel,
  submitLabel,
}: {
  title: string;
  initial: Draft;
  /** Choices for a new plan; absent when editing (the task of a plan does not change). */
  tasks?: TaskType[];
  onSubmit: (draft: Draft) => Promise<AppErrorValue | null>;
  onCancel: () => void;
  submitLabel: string;
}) {
  const [draft, setDraft] = useState(initial);
  const [error, setError] = useState<AppErrorValue | null>(null);
  const [busy, setBusy] = useState(false);
  const titleId = useId();
  const { byField, general } = fieldErrors(error);
  const interval = parseInterval(draft.every);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const problem = await onSubmit(draft);
    setBusy(false);
    setError(problem);
  };
  return (
    <form className="stack plan-form" onSubmit={(e) => void submit(e)} aria-labelledby={titleId} noValidate>
      <h3 id={titleId}>{title}</h3>
      <ErrorBanner error={general} />
      <div className="grid-3">
        {tasks ? (
          <Field label="Task" required error={byField.task}>
            {(p) => (
              <select {...p} value={draft.task} onChange={(e) => set('task', e.target.value)} autoFocus>
                {tasks.map((t) => (
                  <option key={t.code} value={t.code}>
                    {t.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
        ) : null}
        <Field label="Every" required error={byField.every} help="A number and d, w, m or y: 7d, 2w, 6m, 1y.">
          {(p) => <input {...p} type="text" value={draft.every} onChange={(e) => set('every', e.target.value)} autoComplete="off" autoFocus={!tasks} />}
        </Field>
        <Field label="Mode" error={byField.mode} help={MODE_HELP[draft.mode]}>
          {(p) => (
            <select {...p} value={draft.mode} onChange={(e) => set('mode', e.target.value as PlanMode)}>
              <option value="floating">{PLAN_MODE_LABELS.floating}</option>
              <option value="fixed">{PLAN_MODE_LABELS.fixed}</option>
            </select>
          )}
        </Field>
        <Field label="Start date" required error={byField.startDate} help="Due on this day until it is first done.">
          {(p) => <input {...p} type="date" value={draft.startDate} onChange={(e) => set('startDate', e.target.value)} />}
        </Field>
        <Field
          label="Window (days)"
          error={byField.windowDays}
          help={`Shown as due this many days before. Blank: ${interval ? days(defaultWindowDays(interval)) : 'the default'}${interval ? ` for ${draft.every.trim()}` : ''}.`}
        >
          {(p) => (
            <input
              {...p}
              type="number"
              min={0}
              step={1}
              inputMode="numeric"
              value={draft.windowDays}
              placeholder={interval ? String(defaultWindowDays(interval)) : ''}
              onChange={(e) => set('windowDays', e.target.value)}
            />
          )}
        </Field>
        <Field label="Grace (days)" error={byField.graceDays} help={`Overdue only after this many days. Blank: ${days(DEFAULT_GRACE_DAYS)}.`}>
          {(p) => (
            <input
              {...p}
              type="number"
              min={0}
              step={1}
              inputMode="numeric"
              value={draft.graceDays}
              placeholder={String(DEFAULT_GRACE_DAYS)}
              onChange={(e) => set('graceDays', e.target.value)}
            />
          )}
        </Field>
      </div>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy}>
          {submitLabel}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

type Editing = { kind: 'new' } | { kind: 'edit'; plan: PlanView } | { kind: 'deactivate'; plan: PlanView } | null;

function PlanRow({
  plan,
  today,
  dateFormat,
  mayEdit,
  onEdit,
  onDeactivate,
}: {
  plan: PlanView;
  today: string;
  dateFormat: DateFormatSetting;
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
        {formatDate(plan.nextDue, dateFormat)}
      </td>
      <td className="nowrap">{plan.lastDoneOn ? formatDate(plan.lastDoneOn, dateFormat) : <span className="muted">Never</span>}</td>
      <td>{plan.everyText}</td>
      <td>{PLAN_MODE_LABELS[plan.mode]}</td>
      <td className="nowrap">
        {days(plan.windowDays)} / {days(plan.graceDays)}
      </td>
      {mayEdit ? (
        <td className="nowrap row-actions">
          <button type="button" className="link-button" onClick={onEdit} aria-label={`Edit the ${plan.taskLabel.toLowerCase()} plan`}>
            Edit
          </button>
          <button type="button" className="link-button" onClick={onDeactivate} aria-label={`Deactivate the ${plan.taskLabel.toLowerCase()} plan`}>
            Deactivate
          </button>
        </td>
      ) : null}
    </tr>
  );
}

/**
 * A device's plans on its page: status today (overdue red, "DO NOT USE" when an overdue
 * calibration or safety test or a failed one forbids use), next due, last done, the rule; and for
 * supervisors, adding, changing and deactivating plans with the defaults shown.
 */
export function PlansSection({ equipmentId }: { equipmentId: string }) {
  const { user } = useSession();
  const q = useQuery('plans.list', { equipmentId });
  const types = useQuery('taskTypes.list', {});
  const dateFormat = useQuery('settings.get', {}).data?.dateFormat ?? 'locale';
  const [editing, setEditing] = useState<Editing>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [actionError, setActionError] = useState<AppErrorValue | null>(null);
  const addButton = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const mayEdit = can(user, 'supervisor');
  const data = q.data;
  const active = data?.plans.filter((p) => p.active) ?? [];
  const inactive = data?.plans.filter((p) => !p.active) ?? [];
  const free = (types.data ?? []).filter((t) => t.target === 'equipment' && !active.some((p) => p.task === t.code));
  const close = (message: string | null) => {
    setEditing(null);
    setNotice(message);
    requestAnimationFrame(() => addButton.current?.focus());
  };

  return (
    <section className="panel plans-section" aria-labelledby={titleId}>
      <div className="section-head">
        <h2 id={titleId}>Plans</h2>
        {mayEdit && editing === null && free.length > 0 ? (
          <button type="button" ref={addButton} onClick={() => setEditing({ kind: 'new' })}>
            Add plan
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
      <ErrorBanner error={q.error ?? actionError} />
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
                  dateFormat={dateFormat}
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
        <PlanForm
          title="New plan"
          submitLabel="Add plan"
          tasks={free}
          initial={{ task: free[0]?.code ?? '', every: '', mode: 'floating', startDate: data.today, windowDays: '', graceDays: '' }}
          onCancel={() => close(null)}
          onSubmit={async (d) => {
            const res = await call('plans.create', {
              equipmentId,
              task: d.task,
              every: d.every,
              mode: d.mode,
              startDate: d.startDate,
              windowDays: daysValue(d.windowDays),
              graceDays: daysValue(d.graceDays),
            });
            if (!res.ok) return res.error;
            close(`Added the ${res.value.taskLabel.toLowerCase()} plan: next due ${formatDate(res.value.nextDue, dateFormat)}.`);
            return null;
          }}
        />
      ) : null}
      {editing?.kind === 'edit' ? (
        <PlanForm
          title={`Change the ${editing.plan.taskLabel.toLowerCase()} plan`}
          submitLabel="Save plan"
          initial={{
            task: editing.plan.task,
            every: editing.plan.every,
            mode: editing.plan.mode,
            startDate: editing.plan.startDate,
            windowDays: String(editing.plan.windowDays),
            graceDays: String(editing.plan.graceDays),
          }}
          onCancel={() => close(null)}
          onSubmit={async (d) => {
            const res = await call('plans.update', {
              id: editing.plan.id,
              every: d.every,
              mode: d.mode,
              startDate: d.startDate,
              windowDays: daysValue(d.windowDays),
              graceDays: daysValue(d.graceDays),
            });
            if (!res.ok) return res.error;
            close(`Saved the ${res.value.taskLabel.toLowerCase()} plan: next due ${formatDate(res.value.nextDue, dateFormat)}.`);
            return null;
          }}
        />
      ) : null}
      {editing?.kind === 'deactivate' ? (
        <div className="confirm-box" role="group" aria-label="Deactivate plan">
          <p>
            Deactivate the {editing.plan.taskLabel.toLowerCase()} plan? It leaves every due list; its history stays. Plans are never deleted.
          </p>
          <div className="form-actions">
            <button
              type="button"
              className="danger"
              onClick={() => {
                void call('plans.deactivate', { id: editing.plan.id }).then((res) => {
                  setActionError(res.ok ? null : res.error);
                  close(res.ok ? `Deactivated the ${res.value.taskLabel.toLowerCase()} plan.` : null);
                });
              }}
            >
              Deactivate
            </button>
            <button type="button" onClick={() => close(null)}>
              Keep it
            </button>
          </div>
        </div>
      ) : null}

      {inactive.length > 0 ? (
        <details className="inactive-plans">
          <summary>Inactive plans ({inactive.length})</summary>
          <ul className="tight-list">
            {inactive.map((p) => (
              <li key={p.id}>
                {p.taskLabel}, {p.everyText}; last done {p.lastDoneOn ? formatDate(p.lastDoneOn, dateFormat) : 'never'}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}
