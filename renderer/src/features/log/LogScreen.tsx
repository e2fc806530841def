import { useEffect, useMemo, useRef, useState } from 'react';
import { useWatch } from 'react-hook-form';
import type { LogForm } from '../../../../shared/contract/log';
import { localDay, parseDate } from '../../../../shared/date-format';
import type { CompletionView, NotDoneReason } from '../../../../shared/domain/completion';
import { SIGNATURE_MEANING_LABELS } from '../../../../shared/domain/completion';
import type { Role } from '../../../../shared/domain/common';
import type { StockCheckLine, SupplyUse } from '../../../../shared/domain/stock';
import { ROLE_LABELS } from '../../../../shared/domain/user';
import { lowerFirst } from '../../../../shared/labels';
import { CONFIRM_DATES_LABEL } from '../../../../shared/plausible-dates';
import type { AppErrorValue } from '../../../../shared/result';
import { Banner, ErrorBanner } from '../../components/Banner';
import { DateField } from '../../components/DateField';
import { DueFlag } from '../../components/DueFlag';
import { Field } from '../../components/Field';
import { FormField, KitForm, SubmitButton, useFormValues } from '../../components/Form';
import { LeaveDialog } from '../../components/LeaveDialog';
import type { TypedProblem } from '../../components/StockCheckForm';
import { StockCheckForm, withItemNames } from '../../components/StockCheckForm';
import { SuppliesUsedField } from '../../components/SuppliesUsedField';
import { fieldErrors } from '../../lib/form-errors';
import { useKitForm } from '../../lib/form';
import { useChannelMutation, useChannelQuery } from '../../lib/query';
import { Link, navigate, queryParams, usePath } from '../../lib/router';
import { useDates } from '../../lib/settings';
import { unsavedInput, useScanClaim } from '../../lib/unsaved-input';
import { ChecklistFields } from './ChecklistFields';
import type { LogValues } from './log-form';
import { daysLate, initialValues, logFieldOf, logSchema, performedQuestion } from './log-form';
import { MeasurementFields, ReferencePicker, SafetyFields } from './MeasurementFields';

const CLEANING_METHODS = ['Wipe with disinfectant', 'Wipe with detergent, then disinfectant', 'Spray and wipe', 'Immersion', 'Steam', 'UV-C cabinet'];
const CLEANING_AGENTS = ['70% isopropyl alcohol', 'Chlorine 1,000 ppm', 'Quaternary ammonium wipes', 'Hydrogen peroxide wipes', 'Neutral detergent'];
const NOT_DONE_LABELS: Record<NotDoneReason, string> = { in_use: 'In use (on a patient)', not_located: 'Not located', other: 'Other reason' };
const PROCEDURE_NOUN = { checklist: 'checklist', measurements: 'measurement points', safety: 'safety checks' } as const;

function PassFail() {
  const { register } = useFormValues<LogValues>();
  return (
    <fieldset className="choice-row">
      <legend>Outcome</legend>
      <label className="choice">
        <input type="radio" value="pass" {...register('passFail')} /> Pass
      </label>
      <label className="choice">
        <input type="radio" value="fail" {...register('passFail')} /> Fail
      </label>
    </fieldset>
  );
}

/** Asks, beside the date, about a day long ago (the same rule main applies), with the box that confirms it. */
function DateQuestion({ today, originalDay }: { today: string; originalDay: string | null }) {
  const { register } = useFormValues<LogValues>();
  const dates = useDates();
  const performedOn = useWatch<LogValues, 'performedOn'>({ name: 'performedOn' });
  const question = performedQuestion({ performedOn }, { today, setting: dates.setting, originalDay });
  if (!question) return null;
  return (
    <div className="date-question" role="group" aria-label="Check the date">
      <p className="warn-text">{question.message.replace(/ Check it;.*$/, ' Check the year.')}</p>
      <label className="check">
        <input type="checkbox" {...register('confirmDates')} />
        {CONFIRM_DATES_LABEL}
      </label>
    </div>
  );
}

/**
 * The stock-check form, judged on the day typed in "Performed on" (today's while it is not a date),
 * as main judges the check on the day it was done when it is signed.
 */
function StockCheckOnDay(props: Omit<Parameters<typeof StockCheckForm>[0], 'on'>) {
  const dates = useDates();
  const performedOn = useWatch<LogValues, 'performedOn'>({ name: 'performedOn' });
  const typed = parseDate(performedOn, dates.setting);
  return <StockCheckForm {...props} on={typed.ok ? typed.value : undefined} />;
}

function WorkFields({ form, original, lines, setLines, uses, setUses, serverErrors, onTypedProblems, scanned }: {
  form: LogForm;
  original: CompletionView | null;
  lines: StockCheckLine[];
  setLines: (l: StockCheckLine[]) => void;
  uses: SupplyUse[];
  setUses: (u: SupplyUse[]) => void;
  serverErrors: Record<string, string>;
  onTypedProblems: (problems: TypedProblem[]) => void;
  scanned: string | null;
}) {
  const { register } = useFormValues<LogValues>();
  const done = useWatch<LogValues, 'done'>({ name: 'done' });
  const notDoneReason = useWatch<LogValues, 'notDoneReason'>({ name: 'notDoneReason' });
  const def = form.procedure?.definition;
  return (
    <>
      <fieldset className="choice-row">
        <legend>Was the work done?</legend>
        <label className="choice">
          <input type="radio" value="done" {...register('done')} /> Done
        </label>
        <label className="choice">
          <input type="radio" value="not_done" {...register('done')} /> Not done
        </label>
      </fieldset>

      {done === 'not_done' ? (
        <div className="grid-2">
          <FormField name="notDoneReason" label="Why not?" required>
            {(p) => (
              <select {...p} {...register('notDoneReason')}>
                {(Object.keys(NOT_DONE_LABELS) as NotDoneReason[]).map((r) => (
                  <option key={r} value={r}>
                    {NOT_DONE_LABELS[r]}
                  </option>
                ))}
              </select>
            )}
          </FormField>
          <FormField
            name="notDoneExplanation"
            label="Explanation"
            required={notDoneReason === 'other'}
            help="The plan stays due: not-done work is recorded and reported, it does not count as done."
          >
            {(p) => <input {...p} {...register('notDoneExplanation')} type="text" />}
          </FormField>
        </div>
      ) : form.resultKind === 'cleaning' ? (
        <div className="grid-3">
          <FormField name="method" label="Method" required>
            {(p) => (
              <>
                <input {...p} {...register('method')} type="text" list="cleaning-methods" data-first-field />
                <datalist id="cleaning-methods">
                  {CLEANING_METHODS.map((m) => (
                    <option key={m} value={m} />
                  ))}
                </datalist>
              </>
            )}
          </FormField>
          <FormField name="agent" label="Agent" required>
            {(p) => (
              <>
                <input {...p} {...register('agent')} type="text" list="cleaning-agents" />
                <datalist id="cleaning-agents">
                  {CLEANING_AGENTS.map((m) => (
                    <option key={m} value={m} />
                  ))}
                </datalist>
              </>
            )}
          </FormField>
          <PassFail />
        </div>
      ) : form.resultKind === 'outcome' ? (
        <>
          <PassFail />
          {form.task.formKind !== 'plain' ? (
            <p className="muted">No checklist or measurement points are defined for this task yet; a supervisor can add them to the device&apos;s category.</p>
          ) : null}
        </>
      ) : form.resultKind === 'checklist' && def?.kind === 'checklist' ? (
        <ChecklistFields steps={def.steps} />
      ) : form.resultKind === 'measurements' && def?.kind === 'measurements' ? (
        <>
          <ReferencePicker form={form} required scanned={scanned} />
          <MeasurementFields points={def.points} />
        </>
      ) : form.resultKind === 'safety' && def?.kind === 'safety' ? (
        <>
          <ReferencePicker form={form} required={false} scanned={scanned} />
          <SafetyFields checks={def.checks} />
        </>
      ) : form.resultKind === 'stock_check' && form.stockCheck ? (
        original ? (
          <Banner kind="info">A stock check is not corrected here: record a count or an adjustment on the stock location.</Banner>
        ) : (
          <StockCheckOnDay form={form.stockCheck} value={lines} onChange={setLines} errors={serverErrors} onTypedProblems={onTypedProblems} />
        )
      ) : (
        <Banner kind="error">This plan&apos;s work cannot be recorded here.</Banner>
      )}
      {!original && form.target.kind === 'equipment' && done === 'done' ? (
        <SuppliesUsedField value={uses} onChange={setUses} equipmentId={form.target.id} errors={serverErrors} />
      ) : null}
    </>
  );
}

function LogFormBody({ form, original }: { form: LogForm; original: CompletionView | null }) {
  const dates = useDates();
  const today = localDay(new Date(form.now));
  const originalDay = original ? localDay(new Date(original.performedAt)) : null;
  const schema = useMemo(
    () => logSchema(form, { setting: dates.setting, today, originalDay, amending: Boolean(original), nowMs: () => Date.now() }),
    [form, dates.setting, today, originalDay, original],
  );
  const kit = useKitForm<LogValues, ReturnType<typeof schema.parse>>({ defaultValues: initialValues(form, original, dates.setting), schema });
  const [lines, setLines] = useState<StockCheckLine[]>([]);
  const [uses, setUses] = useState<SupplyUse[]>([]);
  // Problems main names in the stock-check and supplies fields, which live beside the form's own.
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  // Numbers typed in the stock-check form that cannot be read ("1,000"): said beside them already.
  const [typedProblems, setTypedProblems] = useState<TypedProblem[]>([]);
  const formRef = useRef<HTMLDivElement>(null);
  const log = useChannelMutation('completions.log');
  const amend = useChannelMutation('completions.amend');
  const meaning = original ? 'amended_by' : 'performed_by';
  const { register, setValue, setFocus } = kit;

  /**
   * A stock-check or supplies row changed since main refused it: its problems go, beside it and in
   * the summary, as every other field's do once it is changed (they are checked again on saving).
   * A row added or taken away moves the rows after it, so then the whole list's problems go.
   */
  const changeRows = <T,>(prefix: 'result.lines.' | 'suppliesUsed.', before: readonly T[], next: readonly T[]) => {
    const changed = (i: number) => before.length !== next.length || JSON.stringify(before[i]) !== JSON.stringify(next[i]);
    const dropped = Object.entries(serverErrors).filter(([key]) => {
      const row = key.startsWith(prefix) ? /^\d+/.exec(key.slice(prefix.length)) : null;
      return row !== null && changed(Number(row[0]));
    });
    if (dropped.length === 0) return;
    const gone = new Set(dropped.map(([, message]) => message));
    setServerErrors(Object.fromEntries(Object.entries(serverErrors).filter(([key]) => !dropped.some(([k]) => k === key))));
    // The summary's copies: applyServerError puts a problem no field shows as root.server0, server1, …
    for (let i = 0; i < 50; i++) {
      const name = `root.server${i}` as `root.${string}`;
      const message = (kit.getFieldState as (n: string) => { error?: { message?: string } })(name).error?.message;
      if (message && gone.has(message)) kit.clearErrors(name);
    }
  };
  const onLines = (next: StockCheckLine[]) => {
    changeRows('result.lines.', lines, next);
    setLines(next);
  };
  const onUses = (next: SupplyUse[]) => {
    changeRows('suppliesUsed.', uses, next);
    setUses(next);
  };

  // The values as the form opened: anything typed or ticked since is lost by leaving, so a scan asks first.
  const opened = useRef<string | null>(null);
  const [scanned, setScanned] = useState<string | null>(null);
  const taskWords = form.plan?.taskLabel ?? form.task.label;
  const what = `${original ? 'correction of the ' : ''}${lowerFirst(taskWords)}`;
  useScanClaim({
    unsaved: () => {
      const typed = opened.current !== null && JSON.stringify(kit.getValues()) !== opened.current;
      if (!typed && lines.length === 0 && uses.length === 0 && typedProblems.length === 0) return null;
      return `the unsaved ${what} of ${form.target.kind === 'equipment' ? form.target.assetTag : form.target.name}`;
    },
    // The reference standard on the bench, scanned while its field is shown, is the one used: it
    // fills that field rather than opening the standard's page and losing the readings.
    takeScan: (tag) => {
      if (!formRef.current?.querySelector('select[name="referenceId"]')) return false;
      const standard = form.referenceStandards.find((s) => s.assetTag.toLowerCase() === tag.trim().toLowerCase());
      if (!standard) return false;
      setValue('referenceId', standard.id, { shouldDirty: true, shouldValidate: Boolean(kit.getFieldState('referenceId').error) });
      setScanned(`${standard.assetTag} ${standard.name}`);
      return true;
    },
  });

  useEffect(() => {
    opened.current = JSON.stringify(kit.getValues());
    // The focus starts on the first thing to fill in: the reason of a correction, else the work's
    // first field. A cleaning whose method and agent are remembered needs only the PIN.
    const first = formRef.current?.querySelector<HTMLElement>('[data-first-field], .reading-input, .step-choice input, .stock-check-form input');
    if (original) setFocus('reason');
    else if (form.resultKind === 'cleaning' && kit.getValues('method') && kit.getValues('agent')) setFocus('secret');
    else if (first) first.focus();
    else setFocus('secret');
    // Only when the form opens.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- focus once, on open
  }, []);

  async function submit(v: ReturnType<typeof schema.parse>): Promise<AppErrorValue | null> {
    // A restock expiry typed but not yet a date is said beside it already: not sent to be refused in other words.
    const badExpiry = lines.flatMap((l, i) => l.restock.map((r, j) => ({ i, j, r }))).find(({ r }) => r.expiresOn !== null && !/^\d{4}-\d{2}-\d{2}$/.test(r.expiresOn));
    if (!v.result && badExpiry) {
      const field = `result.lines.${badExpiry.i}.restock.${badExpiry.j}.expiresOn`;
      const message = `Write the restock's expiry date as ${dates.hint}.`;
      setServerErrors({ [field]: message });
      return { code: 'invalid_input', field, message };
    }
    if (!v.result && typedProblems.length > 0) {
      const [first] = typedProblems;
      return { code: 'invalid_input', field: first!.field, message: first!.message, details: typedProblems };
    }
    const result = v.result ?? { kind: 'stock_check' as const, lines };
    const common = {
      performedAt: v.performedAt,
      minutesSpent: v.minutesSpent,
      notes: v.notes,
      result,
      secret: v.secret,
      ...(v.confirmDates ? { confirmDates: true } : {}),
      ...(!original && v.lateReason.trim() ? { lateReason: v.lateReason } : {}),
    };
    const res = original
      ? await amend.run({ ...common, amendsId: original.id, reason: v.reason })
      : await log.run({
          ...common,
          ...(form.plan ? { planId: form.plan.id } : form.target.kind === 'equipment' ? { equipmentId: form.target.id, task: form.task.code } : {}),
          suppliesUsed: uses,
        });
    setValue('secret', '');
    if (!res.ok) {
      // A stock-check line's problem says which item, in the summary too.
      const refusal = form.stockCheck ? withItemNames(res.error, lines, form.stockCheck.items) : res.error;
      setServerErrors(fieldErrors(refusal).byField);
      return refusal;
    }
    setServerErrors({});
    navigate(form.target.kind === 'equipment' ? `/equipment/${form.target.id}?logged=${res.value.id}` : `/stock/checks/${res.value.id}`);
    return null;
  }

  return (
    <div ref={formRef}>
      <KitForm form={kit} onSubmit={submit} fieldOf={logFieldOf} className="stack log-form" label={original ? 'Correct the record' : 'Log work'}>
        {original ? (
          <section className="panel" aria-labelledby="correcting-title">
            <h2 id="correcting-title">Correcting the record of {dates.dateTime(original.performedAt)}</h2>
            <p>The original stays in the history, struck through but readable; this correction points at it.</p>
            {form.procedure ? (
              <p>
                It is judged against version {form.procedure.version} of the {PROCEDURE_NOUN[form.procedure.definition.kind]}, the version the original was done
                against.
              </p>
            ) : null}
            <FormField name="reason" label="Why is it being corrected?" required>
              {(p) => <input {...p} {...register('reason')} type="text" />}
            </FormField>
          </section>
        ) : null}

        <section className="panel" aria-labelledby="work-title">
          <div className="log-head">
            <h2 id="work-title">{form.plan?.taskLabel ?? form.task.label}</h2>
            {form.plan ? (
              <>
                <DueFlag status={form.plan.status} daysOverdue={form.plan.daysOverdue} doNotUse={form.plan.doNotUse} />
                <span className="muted">due {dates.date(form.plan.nextDue)}</span>
              </>
            ) : (
              <span className="muted">unplanned: counts for no plan</span>
            )}
          </div>
          <WorkFields
            form={form}
            original={original}
            lines={lines}
            setLines={onLines}
            uses={uses}
            setUses={onUses}
            serverErrors={serverErrors}
            onTypedProblems={setTypedProblems}
            scanned={scanned}
          />
        </section>

        <section className="panel" aria-label="When">
          <div className="grid-3 when-grid">
            <DateField name="performedOn" label="Performed on" required help="Today, or earlier; never in the future." />
            <FormField name="performedTime" label="At (time)" required help="Hours and minutes, 24-hour: 07:30.">
              {(p) => <input {...p} {...register('performedTime')} type="text" inputMode="numeric" autoComplete="off" className="time-input" />}
            </FormField>
            <FormField name="minutes" label="Time spent (minutes)">
              {(p) => <input {...p} {...register('minutes')} type="text" inputMode="numeric" autoComplete="off" className="narrow" />}
            </FormField>
          </div>
          <DateQuestion today={today} originalDay={originalDay} />
          {!original && daysLate(kit.watch('performedOn'), today, dates.setting) > form.lateEntryReasonAfterDays ? (
            <FormField
              name="lateReason"
              label="Why is this entered only now?"
              required
              help={`The work was done ${daysLate(kit.watch('performedOn'), today, dates.setting)} days ago. The record shows when it was entered and why.`}
            >
              {(p) => <textarea {...p} {...register('lateReason')} />}
            </FormField>
          ) : null}
          <FormField name="notes" label="Notes">
            {(p) => <textarea {...p} {...register('notes')} />}
          </FormField>
        </section>

        <section className="panel sign-block" aria-labelledby="sign-title">
          <h2 id="sign-title">Sign</h2>
          <p>
            <strong>{SIGNATURE_MEANING_LABELS[meaning]}</strong>: {form.signer.name} ({ROLE_LABELS[form.signer.role as Role] ?? form.signer.role}). Your PIN or
            password signs this record; it cannot be changed afterwards, only corrected.
          </p>
          <div className="form-actions">
            <FormField name="secret" label="Your PIN or password" required>
              {(p) => <input {...p} {...register('secret')} className="pin-input" type="password" autoComplete="current-password" />}
            </FormField>
            <SubmitButton className="primary sign-button" busyLabel="Saving…">
              {original ? 'Sign and save the correction' : 'Sign and save'}
            </SubmitButton>
          </div>
        </section>
      </KitForm>
    </div>
  );
}

const formKey = (f: LogForm): string => f.plan?.id ?? `${f.target.id}:${f.task.code}`;

/**
 * The form as read once, with the setting read again: when work counts as entered late is
 * Settings', and a change there (the days lowered) must reach a form seen before, or main asks
 * why with no field to say it in.
 */
function withLiveSettings(snapshot: LogForm, live: LogForm | undefined): LogForm {
  if (!live || formKey(live) !== formKey(snapshot) || live.lateEntryReasonAfterDays === snapshot.lateEntryReasonAfterDays) return snapshot;
  return { ...snapshot, lateEntryReasonAfterDays: live.lateEntryReasonAfterDays };
}

/**
 * Log work on a plan (#/log/:planId), unplanned work on a device (#/log/unplanned/:equipmentId/:task),
 * or correct a record (either, with ?amend=:completionId).
 */
export function LogScreen(props: { planId: string } | { equipmentId: string; task: string }) {
  const path = usePath();
  const amendId = queryParams(path).get('amend');
  const amends = amendId ? { amendsId: amendId } : {};
  const form = useChannelQuery('log.form', 'planId' in props ? { planId: props.planId, ...amends } : { equipmentId: props.equipmentId, task: props.task, ...amends });
  const original = useChannelQuery('completions.get', { id: amendId ?? '' }, { enabled: Boolean(amendId) });
  const equipmentId = form.data?.target.kind === 'equipment' ? form.data.target.id : null;
  const plans = useChannelQuery('plans.list', { equipmentId: equipmentId ?? '' }, { enabled: equipmentId !== null });
  // Read once: a later write (e.g. this record) must not reset the form under the technician's hands.
  const [snapshot, setSnapshot] = useState<{ form: LogForm; original: CompletionView | null } | null>(null);
  // Another task chosen in "Task" (an arrow key on the box chooses at once) while something is
  // typed: asked first, Stay focused, as for a scanned tag; the box keeps the task shown meanwhile.
  const [switching, setSwitching] = useState<{ planId: string; taskWords: string; unsaved: string } | null>(null);
  useEffect(() => {
    if (form.data && (!amendId || original.data) && (!snapshot || formKey(snapshot.form) !== formKey(form.data))) {
      setSnapshot({ form: form.data, original: amendId ? (original.data ?? null) : null });
    }
  }, [form.data, original.data, amendId, snapshot]);

  if (form.error) return <ErrorBanner error={form.error} />;
  if (original.error) return <ErrorBanner error={original.error} />;
  if (!snapshot) return <p className="muted">Loading…</p>;
  const { target } = snapshot.form;
  const otherPlans = (plans.data?.plans ?? []).filter((p) => p.active);
  return (
    <>
      <p className="back-link">{target.kind === 'equipment' ? <Link to={`/equipment/${target.id}`}>‹ {target.name}</Link> : <Link to={`/stock/locations/${target.id}`}>‹ {target.name}</Link>}</p>
      <div className="page-head">
        <h1>
          {amendId ? 'Correct a record' : 'Log work'}: {target.name} {target.kind === 'equipment' ? <span className="tag-chip mono">{target.assetTag}</span> : null}
        </h1>
        <span className="muted">{target.locationPath}</span>
      </div>
      {!amendId && snapshot.form.plan && otherPlans.length > 1 ? (
        <div className="task-switch">
          <Field label="Task">
            {(p) => (
              <select
                {...p}
                value={snapshot.form.plan?.id ?? ''}
                onChange={(e) => {
                  const next = otherPlans.find((pl) => pl.id === e.target.value);
                  const unsaved = unsavedInput();
                  if (next && unsaved) setSwitching({ planId: next.id, taskWords: `the ${lowerFirst(next.taskLabel)} form`, unsaved });
                  else navigate(`/log/${e.target.value}`);
                }}
              >
                {otherPlans.map((pl) => (
                  <option key={pl.id} value={pl.id}>
                    {pl.taskLabel} ({pl.status === 'overdue' ? `overdue ${pl.daysOverdue} days` : pl.status})
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
      ) : null}
      <LogFormBody key={`${formKey(snapshot.form)}:${amendId ?? ''}`} form={withLiveSettings(snapshot.form, form.data)} original={snapshot.original} />
      {switching ? (
        <LeaveDialog unsaved={switching.unsaved} where={switching.taskWords} onStay={() => setSwitching(null)} onLeave={() => navigate(`/log/${switching.planId}`)}>
          Opening {switching.taskWords} now throws away what you typed here and have not saved.
        </LeaveDialog>
      ) : null}
    </>
  );
}
