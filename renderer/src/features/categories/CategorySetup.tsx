import { useEffect, useRef, useState } from 'react';
import { z } from 'zod';
import type { CategoryPlan } from '../../../../shared/domain/plan';
import { CategoryPlanFields, PLAN_MODE_LABELS } from '../../../../shared/domain/plan';
import type { PlanMode } from '../../../../shared/scheduling/next-due';
import { Banner, ErrorBanner } from '../../components/Banner';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { FormActions, FormField, KitForm, SubmitButton } from '../../components/Form';
import { checkedBy, numberText, then, useKitForm } from '../../lib/form';
import { useChannelMutation, useChannelQuery } from '../../lib/query';
import { Link } from '../../lib/router';
import { can, useSession } from '../../lib/session';
import { ChecklistEditor, PointsEditor, SafetyChecksEditor } from './ProcedureEditors';

const days = (n: number | null, fallback: number) => (n === null ? `${fallback} days (default)` : `${n} days`);

const shape = CategoryPlanFields.shape;
const defaultPlanSchema = z.object({
  task: shape.task,
  every: checkedBy(shape.every),
  mode: shape.mode,
  windowDays: then(numberText(), shape.windowDays),
  graceDays: then(numberText(), shape.graceDays),
});

function AddDefaultPlan({ categoryId, onAdded }: { categoryId: string; onAdded: (m: string) => void }) {
  const types = useChannelQuery('taskTypes.list', {});
  const add = useChannelMutation('categoryPlans.add');
  const empty = { task: 'calibration', every: '1y', mode: 'floating' as PlanMode, windowDays: '', graceDays: '' };
  const form = useKitForm({ defaultValues: empty, schema: defaultPlanSchema });
  const { register } = form;
  // A task the administrator took out of use is offered for no new default (main refuses it too).
  const equipmentTasks = (types.data ?? []).filter((t) => t.active && t.target === 'equipment');
  // Calibration first when offered; taken out of use, the first task offered (the box shows it, so
  // it must be the one saved).
  const offered = equipmentTasks.map((t) => t.code);
  const firstTask = offered.includes(empty.task) ? empty.task : (offered[0] ?? empty.task);
  // The codes as one string: the list is made anew at each render, its contents change only on a load.
  const offeredKey = offered.join(' ');
  useEffect(() => {
    if (!offeredKey.split(' ').includes(form.getValues('task'))) form.setValue('task', firstTask);
  }, [offeredKey, firstTask, form]);
  return (
    <KitForm
      form={form}
      className="stack"
      label="Add a default plan"
      onSubmit={async (v) => {
        const res = await add.run({ categoryId, ...v });
        if (res.ok) {
          form.reset({ ...empty, task: firstTask });
          onAdded(`Added: ${res.value.taskLabel.toLowerCase()} ${res.value.everyText}. New devices of this category get it.`);
        }
        return res;
      }}
    >
      <div className="grid-3">
        <FormField name="task" label="Task" required>
          {(p) => (
            <select {...p} {...register('task')}>
              {equipmentTasks.map((t) => (
                <option key={t.code} value={t.code}>
                  {t.label}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <FormField name="every" label="Every" required help="7d, 2w, 6m or 1y">
          {(p) => <input {...p} {...register('every')} type="text" />}
        </FormField>
        <FormField name="mode" label="Mode">
          {(p) => (
            <select {...p} {...register('mode')}>
              <option value="floating">Floating (from the last time done)</option>
              <option value="fixed">Fixed (on set dates)</option>
            </select>
          )}
        </FormField>
        <FormField name="windowDays" label="Window (days)" help="Blank: the default for the interval.">
          {(p) => <input {...p} {...register('windowDays')} type="text" inputMode="numeric" className="narrow" />}
        </FormField>
        <FormField name="graceDays" label="Grace (days)" help="Blank: none.">
          {(p) => <input {...p} {...register('graceDays')} type="text" inputMode="numeric" className="narrow" />}
        </FormField>
      </div>
      <FormActions>
        <SubmitButton busyLabel="Adding…">Add default plan</SubmitButton>
      </FormActions>
    </KitForm>
  );
}

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** What applying the default plans did: a plain notice, not a success, when it made nothing. */
function appliedMessage(r: { devices: number; created: number }, devices: number): { kind: 'ok' | 'info'; text: string } {
  if (r.created > 0) {
    return { kind: 'ok', text: `Applied to ${count(r.devices, 'device', 'devices')}: ${count(r.created, 'plan', 'plans')} created (tasks a device already had were skipped).` };
  }
  return {
    kind: 'info',
    text:
      devices === 0
        ? 'Nothing was applied: this category has no devices yet. Devices added to it get the default plans.'
        : 'Nothing was applied: every device of this category (retired ones aside) already has a plan for each of these tasks.',
  };
}

function DefaultPlans({ categoryId, editable, devices }: { categoryId: string; editable: boolean; devices: number }) {
  const plans = useChannelQuery('categoryPlans.list', { categoryId });
  const remove = useChannelMutation('categoryPlans.remove');
  const apply = useChannelMutation('categoryPlans.applyToDevices');
  const [message, setMessage] = useState<{ kind: 'ok' | 'info'; text: string; focus?: true } | null>(null);
  const [open, setOpen] = useState<{ kind: 'remove'; plan: CategoryPlan } | { kind: 'apply' } | null>(null);
  // After a removal the plan's Remove… button is gone with its row: the focus goes to the notice, not to the document's body.
  const noticeRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (message?.focus) noticeRef.current?.focus();
  }, [message]);
  const list = plans.data ?? [];
  return (
    <section className="panel stack" aria-labelledby="defaults-title">
      <h2 id="defaults-title">Default plans</h2>
      <p className="muted">Every device added to this category (by hand or by import) gets these plans, starting the day it is added.</p>
      {message ? (
        <div ref={noticeRef} tabIndex={-1} data-testid="default-plans-notice">
          <Banner kind={message.kind}>{message.text}</Banner>
        </div>
      ) : null}
      <ErrorBanner error={plans.error} />
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
              {editable ? (
                <th scope="col">
                  <span className="sr-only">Remove</span>
                </th>
              ) : null}
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
                    <button type="button" onClick={() => setOpen({ kind: 'remove', plan: p })}>
                      Remove…<span className="sr-only"> the default {p.taskLabel.toLowerCase()} plan</span>
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
          <AddDefaultPlan categoryId={categoryId} onAdded={(text) => setMessage({ kind: 'ok', text })} />
          <div className="form-actions">
            <button type="button" onClick={() => setOpen({ kind: 'apply' })} disabled={list.length === 0}>
              Apply to this category&apos;s existing devices…
            </button>
          </div>
        </>
      ) : null}
      {open?.kind === 'remove' ? (
        <ConfirmDialog
          title={`Remove the default ${open.plan.taskLabel.toLowerCase()} plan?`}
          confirmLabel="Remove"
          danger
          onClose={() => setOpen(null)}
          onConfirm={() => remove.run({ id: open.plan.id })}
          onDone={() => {
            setOpen(null);
            setMessage({ kind: 'ok', text: 'Removed. Plans already made from it stay on their devices.', focus: true });
          }}
        >
          <p>New devices of this category no longer get it. Plans already made from it stay on their devices.</p>
        </ConfirmDialog>
      ) : null}
      {open?.kind === 'apply' ? (
        <ConfirmDialog
          title="Apply the default plans to the existing devices?"
          confirmLabel="Apply"
          onClose={() => setOpen(null)}
          onConfirm={() => apply.run({ categoryId })}
          onDone={(r) => {
            setOpen(null);
            setMessage(appliedMessage(r, devices));
          }}
        >
          <p>Every device of this category gets each default plan it does not have yet, starting today. Tasks a device already has are skipped.</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

/** A category's default plans and the checklists and measurements its devices are worked against. */
export function CategorySetup({ id }: { id: string }) {
  const { user } = useSession();
  const categories = useChannelQuery('categories.list', {});
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
        <span className="muted">
          {count(category.equipmentCount, 'device', 'devices')}
          {category.active ? '' : ' · out of use: not offered for devices'}
        </span>
      </div>
      {category.printsLike ? (
        <p className="warn-text" data-testid="prints-like">
          {category.printsLike}
        </p>
      ) : null}
      <DefaultPlans categoryId={id} editable={editable} devices={category.equipmentCount} />
      <ChecklistEditor categoryId={id} editable={editable} />
      <PointsEditor categoryId={id} editable={editable} />
      <SafetyChecksEditor categoryId={id} editable={editable} />
    </>
  );
}
