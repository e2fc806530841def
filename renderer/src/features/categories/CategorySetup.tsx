import type { FormEvent } from 'react';
import { useState } from 'react';
import { PLAN_MODE_LABELS } from '../../../../shared/domain/plan';
import type { PlanMode } from '../../../../shared/scheduling/next-due';
import type { AppErrorValue } from '../../../../shared/result';
import { Banner, ErrorBanner } from '../../components/Banner';
import { Field } from '../../components/Field';
import { call, useQuery } from '../../lib/api';
import { fieldErrors } from '../../lib/form-errors';
import { Link } from '../../lib/router';
import { can, useSession } from '../../lib/session';
import { ChecklistEditor, PointsEditor, SafetyChecksEditor } from './ProcedureEditors';

const days = (n: number | null, fallback: number) => (n === null ? `${fallback} days (default)` : `${n} days`);

function DefaultPlans({ categoryId, editable }: { categoryId: string; editable: boolean }) {
  const plans = useQuery('categoryPlans.list', { categoryId });
  const types = useQuery('taskTypes.list', {});
  const [task, setTask] = useState('calibration');
  const [every, setEvery] = useState('1y');
  const [mode, setMode] = useState<PlanMode>('floating');
  const [windowDays, setWindowDays] = useState('');
  const [graceDays, setGraceDays] = useState('');
  const [error, setError] = useState<AppErrorValue | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const { byField, general } = fieldErrors(error);
  const equipmentTasks = (types.data ?? []).filter((t) => t.target === 'equipment');

  async function add(e: FormEvent) {
    e.preventDefault();
    const res = await call('categoryPlans.add', {
      categoryId,
      task,
      every,
      mode,
      windowDays: windowDays.trim() === '' ? null : Number(windowDays),
      graceDays: graceDays.trim() === '' ? null : Number(graceDays),
    });
    setError(res.ok ? null : res.error);
    setMessage(res.ok ? `Added: ${res.value.taskLabel.toLowerCase()} ${res.value.everyText}. New devices of this category get it.` : null);
  }
  async function apply() {
    const res = await call('categoryPlans.applyToDevices', { categoryId });
    setError(res.ok ? null : res.error);
    setMessage(res.ok ? `Applied to ${res.value.devices} devices: ${res.value.created} plans created (tasks a device already had were skipped).` : null);
  }
  async function remove(id: string) {
    const res = await call('categoryPlans.remove', { id });
    setError(res.ok ? null : res.error);
    setMessage(res.ok ? 'Removed. Plans already made from it stay on their devices.' : null);
  }

  const list = plans.data ?? [];
  return (
    <section className="panel stack" aria-labelledby="defaults-title">
      <h2 id="defaults-title">Default plans</h2>
      <p className="muted">Every device added to this category (by hand or by import) gets these plans, starting the day it is added.</p>
      {message ? <Banner kind="ok">{message}</Banner> : null}
      <ErrorBanner error={general} />
      {list.length === 0 ? (
        <p className="empty">No default plans.</p>
      ) : (
        <table className="data compact">
          <thead>
            <tr>
              <th scope="col">Task</th>
              <th scope="col">Every</th>
              <th scope="col">Mode</th>
              <th scope="col">Window</th>
              <th scope="col">Grace</th>
              {editable ? <th scope="col"><span className="sr-only">Remove</span></th> : null}
            </tr>
          </thead>
          <tbody>
            {list.map((p) => (
              <tr key={p.id}>
                <th scope="row">{p.taskLabel}</th>
                <td>{p.everyText}</td>
                <td>{PLAN_MODE_LABELS[p.mode]}</td>
                <td>{days(p.windowDays, p.defaultWindowDays)}</td>
                <td>{days(p.graceDays, 0)}</td>
                {editable ? (
                  <td>
                    <button type="button" onClick={() => void remove(p.id)} aria-label={`Remove the default ${p.taskLabel.toLowerCase()} plan`}>
                      Remove
                    </button>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editable ? (
        <>
          <form className="stack" onSubmit={add} noValidate aria-label="Add a default plan">
            <div className="grid-3">
              <Field label="Task" required error={byField.task}>
                {(p) => (
                  <select {...p} value={task} onChange={(e) => setTask(e.target.value)}>
                    {equipmentTasks.map((t) => (
                      <option key={t.code} value={t.code}>
                        {t.label}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field label="Every" required error={byField.every} help="7d, 2w, 6m or 1y">
                {(p) => <input {...p} type="text" value={every} onChange={(e) => setEvery(e.target.value)} />}
              </Field>
              <Field label="Mode" error={byField.mode}>
                {(p) => (
                  <select {...p} value={mode} onChange={(e) => setMode(e.target.value as PlanMode)}>
                    <option value="floating">Floating (from the last time done)</option>
                    <option value="fixed">Fixed (on set dates)</option>
                  </select>
                )}
              </Field>
              <Field label="Window (days)" error={byField.windowDays} help="Blank: the default for the interval.">
                {(p) => <input {...p} type="number" min={0} value={windowDays} onChange={(e) => setWindowDays(e.target.value)} />}
              </Field>
              <Field label="Grace (days)" error={byField.graceDays} help="Blank: none.">
                {(p) => <input {...p} type="number" min={0} value={graceDays} onChange={(e) => setGraceDays(e.target.value)} />}
              </Field>
            </div>
            <div className="form-actions">
              <button type="submit" className="primary">
                Add default plan
              </button>
              <button type="button" onClick={() => void apply()} disabled={list.length === 0}>
                Apply to this category&apos;s existing devices
              </button>
            </div>
          </form>
        </>
      ) : null}
    </section>
  );
}

/** A category's default plans and the checklists and measurements its devices are worked against. */
export function CategorySetup({ id }: { id: string }) {
  const { user } = useSession();
  const categories = useQuery('categories.list', {});
  const category = categories.data?.find((c) => c.id === id);
  const editable = can(user, 'supervisor');
  if (!category) return categories.data ? <Banner kind="error">That category does not exist.</Banner> : <p className="muted">Loading…</p>;
  return (
    <>
      <p className="back-link">
        <Link to="/categories">‹ All categories</Link>
      </p>
      <div className="page-head">
        <h1>{category.name}</h1>
        <span className="muted">{category.equipmentCount} devices</span>
      </div>
      <DefaultPlans categoryId={id} editable={editable} />
      <ChecklistEditor categoryId={id} editable={editable} />
      <PointsEditor categoryId={id} editable={editable} />
      <SafetyChecksEditor categoryId={id} editable={editable} />
    </>
  );
}
