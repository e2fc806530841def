import { useWatch } from 'react-hook-form';
import { z } from 'zod';
import { formatDate, parseDate } from '../../../shared/date-format';
import type { PlanView, TaskType } from '../../../shared/domain/plan';
import { PLAN_MODE_LABELS, PlanTimingFields } from '../../../shared/domain/plan';
import type { DateFormatSetting } from '../../../shared/domain/settings';
import type { PlanMode } from '../../../shared/scheduling/next-due';
import { DEFAULT_GRACE_DAYS, defaultWindowDays, parseInterval } from '../../../shared/scheduling/interval';
import { planStartDateQuestion } from '../../../shared/plausible-dates';
import { fromToday, nextDueOnSaving } from '../../../shared/scheduling/plan-preview';
import type { Result } from '../../../shared/result';
import { DateField } from './DateField';
import { DateQuestions } from './DateQuestions';
import { FormField, useFormValues } from './Form';
import { FormDialog } from './FormDialog';
import { checkedBy, dateText, numberText, then, useKitForm } from '../lib/form';
import { useChannelQuery } from '../lib/query';
import { useDates } from '../lib/settings';

const days = (n: number) => (n === 1 ? '1 day' : `${n} days`);

const MODE_HELP: Record<PlanMode, string> = {
  floating: 'Next due counts from the day it was last done.',
  fixed: 'Due on fixed dates from the start date, whenever it was done.',
};

interface PlanValues {
  task: string;
  every: string;
  mode: PlanMode;
  startDate: string;
  windowDays: string;
  graceDays: string;
  confirmDates: boolean;
}

/**
 * A plan's rule (shared/domain/plan.ts), with the start date in the user's format and blank days
 * meaning "the default". A start date that looks mistyped (years ahead, before 1970) is asked
 * about as main asks (shared/plausible-dates.ts) until the box is ticked; on a change, only a
 * start date being changed (`before`).
 */
export function planSchema(setting: DateFormatSetting, today: string, before: string | null = null) {
  const shape = PlanTimingFields.shape;
  return PlanTimingFields.extend({
    task: z.string(),
    every: checkedBy(shape.every),
    startDate: then(dateText(setting, { required: true }), shape.startDate),
    windowDays: then(numberText(), shape.windowDays),
    graceDays: then(numberText(), shape.graceDays),
    confirmDates: z.boolean(),
  }).superRefine((v, ctx) => {
    const interval = parseInterval(v.every);
    if (v.confirmDates || v.startDate === before || !interval) return;
    const q = planStartDateQuestion(v.startDate, interval, today, setting);
    if (q) ctx.addIssue({ code: 'custom', path: [q.field], message: q.message, params: { sentence: true } });
  });
}
export type PlanOutput = z.output<ReturnType<typeof planSchema>>;

/**
 * The plan as the database holds it now, not as the dialog opened with it: a pass logged in
 * another window, or one that arrived by sync, while the dialog is open moves the day its next due
 * date counts from. Read from the device's plans, the answer its page already holds and reads again
 * when main says records or plans changed: no call as the rule is typed.
 */
function usePlanNow(plan: PlanView | null): PlanView | null {
  const equipmentId = plan?.equipmentId ?? null;
  const q = useChannelQuery('plans.list', { equipmentId: equipmentId ?? '' }, { enabled: equipmentId !== null });
  return (plan && q.data?.plans.find((p) => p.id === plan.id)) ?? plan;
}

/**
 * When the plan will next be due once saved, said as the rule is typed, by the shared scheduling
 * rules main saves it by (nextDueOnSaving): a new plan on its start date, a changed one from its own
 * history as it is now (usePlanNow). Nothing while a field is not valid (main would refuse it).
 */
function NextDueOnSaving({ today, plan: opened }: { today: string; plan: PlanView | null }) {
  const dates = useDates();
  const plan = usePlanNow(opened);
  const [every, mode, startDate, windowDays, graceDays] = useWatch<PlanValues, ['every', 'mode', 'startDate', 'windowDays', 'graceDays']>({
    name: ['every', 'mode', 'startDate', 'windowDays', 'graceDays'],
  });
  const typed = planSchema(dates.setting, today).safeParse({ task: '', every, mode, startDate, windowDays, graceDays, confirmDates: true });
  const interval = typed.success ? parseInterval(typed.data.every) : null;
  const was = plan ? parseInterval(plan.every) : null;
  const due =
    typed.success && interval && (plan === null || was)
      ? nextDueOnSaving(
          { ...typed.data, every: interval },
          plan && was ? { every: was, startDate: plan.startDate, lastDoneOn: plan.lastDoneOn, doneBeforeOn: plan.doneBeforeOn } : null,
        )
      : null;
  return (
    <p className="plan-next-due" role="status" data-testid="plan-dialog-next-due">
      {due ? (
        <>
          <strong>Next due {dates.date(due)}</strong> ({fromToday(today, due)})
        </>
      ) : null}
    </p>
  );
}

/** The start date's question, as soon as the date and the interval are typed. */
function StartDateQuestion({ today, before }: { today: string; before: string | null }) {
  const dates = useDates();
  const [every, startDate] = useWatch<PlanValues, ['every', 'startDate']>({ name: ['every', 'startDate'] });
  const interval = parseInterval(every);
  const start = parseDate(startDate, dates.setting);
  const q = interval && start.ok && start.value !== before ? planStartDateQuestion(start.value, interval, today, dates.setting) : null;
  return <DateQuestions<PlanValues> questions={q ? [q] : []} label="Check the start date" />;
}

function PlanFields({ tasks }: { tasks?: TaskType[] | undefined }) {
  const { register } = useFormValues<PlanValues>();
  const [every, mode] = useWatch<PlanValues, ['every', 'mode']>({ name: ['every', 'mode'] });
  const interval = parseInterval(every);
  return (
    <div className="grid-3">
      {tasks ? (
        <FormField name="task" label="Task" required>
          {(p) => (
            <select {...p} {...register('task')}>
              {tasks.map((t) => (
                <option key={t.code} value={t.code}>
                  {t.label}
                </option>
              ))}
            </select>
          )}
        </FormField>
      ) : null}
      <FormField name="every" label="Every" required help="A number and d, w, m or y: 7d, 2w, 6m, 1y.">
        {(p) => <input {...p} {...register('every')} type="text" autoComplete="off" />}
      </FormField>
      <FormField name="mode" label="Mode" help={MODE_HELP[mode]}>
        {(p) => (
          <select {...p} {...register('mode')}>
            <option value="floating">{PLAN_MODE_LABELS.floating}</option>
            <option value="fixed">{PLAN_MODE_LABELS.fixed}</option>
          </select>
        )}
      </FormField>
      <DateField name="startDate" label="Start date" required help="Due on this day until it is first done." />
      <FormField
        name="windowDays"
        label="Window (days)"
        help={`Shown as due this many days before. Blank: ${interval ? days(defaultWindowDays(interval)) : 'the default'}${interval ? ` for ${every.trim()}` : ''}.`}
      >
        {(p) => <input {...p} {...register('windowDays')} type="text" inputMode="numeric" placeholder={interval ? String(defaultWindowDays(interval)) : ''} className="narrow" />}
      </FormField>
      <FormField name="graceDays" label="Grace (days)" help={`Overdue only after this many days. Blank: ${days(DEFAULT_GRACE_DAYS)}.`}>
        {(p) => <input {...p} {...register('graceDays')} type="text" inputMode="numeric" placeholder={String(DEFAULT_GRACE_DAYS)} className="narrow" />}
      </FormField>
    </div>
  );
}

/**
 * A plan's rule, in a dialog: a new plan (with the task to choose) or a change to one. `save`
 * sends it and resolves to the saved plan or the refusal, which stays in the dialog.
 */
export function PlanDialog({
  title,
  submitLabel,
  plan,
  tasks,
  today,
  onClose,
  save,
  onSaved,
  initialEvery = '',
}: {
  title: string;
  submitLabel: string;
  plan: PlanView | null;
  tasks?: TaskType[];
  today: string;
  onClose: () => void;
  save: (v: PlanOutput) => Promise<Result<PlanView>>;
  onSaved: (plan: PlanView) => void;
  /** The interval a new plan starts with (a crash cart's check: 1d). */
  initialEvery?: string;
}) {
  const dates = useDates();
  const schema = planSchema(dates.setting, today, plan?.startDate ?? null);
  const form = useKitForm<PlanValues, PlanOutput>({
    defaultValues: {
      task: plan?.task ?? tasks?.[0]?.code ?? '',
      every: plan?.every ?? initialEvery,
      mode: plan?.mode ?? 'floating',
      startDate: formatDate(plan?.startDate ?? today, dates.setting),
      windowDays: plan ? String(plan.windowDays) : '',
      graceDays: plan ? String(plan.graceDays) : '',
      confirmDates: false,
    },
    schema,
  });
  return (
    <FormDialog
      title={title}
      form={form}
      wide
      submitLabel={submitLabel}
      onClose={onClose}
      onSubmit={async (v) => {
        const res = await save(v);
        if (res.ok) onSaved(res.value);
        return res;
      }}
    >
      <PlanFields tasks={tasks} />
      <NextDueOnSaving today={today} plan={plan} />
      <StartDateQuestion today={today} before={plan?.startDate ?? null} />
    </FormDialog>
  );
}

/** What a plan dialog's answer adds to the channel's input: the person confirmed the start date asked about. */
export const confirmed = (v: PlanOutput): { confirmDates?: true } => (v.confirmDates ? { confirmDates: true } : {});
