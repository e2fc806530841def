import { useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useFieldArray } from 'react-hook-form';
import { useEffect, useState } from 'react';
import { z } from 'zod';
import type { Procedure, ProcedureDefinition, ToleranceKind } from '../../../../shared/domain/procedure';
import { ChecklistSteps, MAX_CHECKLIST_STEPS, MeasurementPoints, SafetyChecks, TOLERANCE_KINDS } from '../../../../shared/domain/procedure';
import { Banner } from '../../components/Banner';
import { FormActions, FormField, KitForm, SubmitButton, useFieldError, useFormValues } from '../../components/Form';
import type { KitForm as KitFormApi } from '../../lib/form';
import { cellNumber, judgedBy, useKitForm } from '../../lib/form';
import { channelQuery, useChannelMutation, useChannelQuery } from '../../lib/query';
import { useDates } from '../../lib/settings';

/**
 * A category's procedures: the inspection checklist, the calibration points, the electrical
 * safety checks. Each editor is a kit form checked by the procedure's own schema (the one main
 * saves with): every problem at once, beside its cell and in the summary, before anything is sent.
 */

const text = (n: number | null) => (n === null ? '' : String(n));

/** Main names fields inside the definition (`definition.points.2.label`); the editors name them without it. */
const fieldOf = (f: string) => {
  if (f === 'definition' || f === 'baseVersion') return null;
  const name = f.startsWith('definition.') ? f.slice('definition.'.length) : f;
  // The checklist's steps are one text box: a step's problem is said beside it.
  return name.startsWith('steps.') ? 'steps' : name;
};

function Saved({ procedure, stale }: { procedure: Procedure | null | undefined; stale: boolean }) {
  if (!procedure) return <p className="muted">Not defined yet: work on this task is logged as a plain pass or fail.</p>;
  // Once another version is saved, this one is no longer what saving builds on.
  if (stale) return <p className="muted">Version {procedure.version}, saved by {procedure.createdBy}, is the one on screen here.</p>;
  return (
    <p className="muted">
      Version {procedure.version}, saved by {procedure.createdBy}. Saving makes version {procedure.version + 1}; records keep the version they were done against.
    </p>
  );
}

/**
 * The latest version of a category's procedure for a task, and a way to open the editor on it again:
 * the editor keeps the version it opened until it is reloaded (or saves), so a version saved
 * meanwhile by someone else is never taken as the one being edited.
 */
function useProcedureToEdit(categoryId: string, task: string) {
  const current = useChannelQuery('procedures.forCategory', { categoryId, task });
  const queryClient = useQueryClient();
  const [opening, setOpening] = useState(0);
  const reload = async () => {
    await queryClient.fetchQuery({ ...channelQuery('procedures.forCategory', { categoryId, task }), staleTime: 0 });
    setOpening((n) => n + 1);
  };
  return { procedure: current.data, opening, reload };
}

/** The frame of every procedure editor: its title, the saved version, the outcome of saving, the actions. */
function ProcedureForm<TIn extends Record<string, unknown>, TOut>({
  id,
  title,
  categoryId,
  task,
  procedure,
  reload,
  form,
  toDefinition,
  editable,
  note,
  add,
  saveLabel,
  children,
}: {
  id: string;
  title: string;
  categoryId: string;
  task: string;
  /** The latest version, as it is now. */
  procedure: Procedure | null | undefined;
  /** Opens the editor again on the latest version. */
  reload: () => Promise<void>;
  form: KitFormApi<TIn, TOut>;
  toDefinition: (values: TOut) => ProcedureDefinition;
  editable: boolean;
  note?: ReactNode;
  add?: { label: string; onClick: () => void };
  saveLabel: string;
  children: ReactNode;
}) {
  const save = useChannelMutation('procedures.save');
  const [saved, setSaved] = useState<number | null>(null);
  // The version the table was opened on (then the one saved from it): a save is made on top of it,
  // and refused when someone else has saved another since.
  const [opened, setOpened] = useState<Procedure | null>(procedure ?? null);
  const [refusedAsStale, setRefusedAsStale] = useState(false);
  const dates = useDates();
  // A version saved since by someone else, once this PC has heard of it (not this form's own save on its way).
  const newer = procedure && procedure.version > (opened?.version ?? 0) && !form.formState.isSubmitting ? procedure : null;
  return (
    <KitForm
      form={form}
      className="panel stack"
      labelledBy={id}
      fieldOf={fieldOf}
      // Each press of Save: the last save's "Saved as version N." is not left beside a refusal.
      onAttempt={() => setSaved(null)}
      onSubmit={async (v) => {
        const res = await save.run({ owner: { kind: 'category', categoryId }, task, definition: toDefinition(v), baseVersion: opened?.version ?? null });
        if (res.ok) {
          setSaved(res.value.version);
          setOpened(res.value);
        } else if (res.error.field === 'baseVersion') setRefusedAsStale(true);
        return res;
      }}
    >
      <h2 id={id}>{title}</h2>
      <Saved procedure={opened} stale={Boolean(newer) || refusedAsStale} />
      {editable && (newer || refusedAsStale) ? (
        <Banner kind="warn">
          {newer && !refusedAsStale ? `Version ${newer.version} was saved by ${newer.createdBy} at ${dates.dateTime(newer.createdAt)} since you opened this. ` : null}
          <button type="button" onClick={() => void reload()}>
            Reload
          </button>{' '}
          to edit the latest version (changes typed here are not kept).
        </Banner>
      ) : null}
      {note}
      {saved ? <Banner kind="ok">Saved as version {saved}.</Banner> : null}
      {children}
      {editable ? (
        <FormActions>
          {add ? (
            <button type="button" onClick={add.onClick}>
              {add.label}
            </button>
          ) : null}
          <SubmitButton busyLabel="Saving…">{saveLabel}</SubmitButton>
        </FormActions>
      ) : null}
    </KitForm>
  );
}

/** A cell of an editor table: the input named by its row and column, its problem under it. */
function Cell({ name, label, className, readOnly, inputMode }: { name: string; label: string; className?: string; readOnly: boolean; inputMode?: 'decimal' }) {
  const { register } = useFormValues();
  const error = useFieldError(name);
  const id = name.replace(/\./g, '-');
  return (
    <td className={error ? 'has-error' : undefined}>
      <input
        id={id}
        aria-label={label}
        className={className}
        readOnly={readOnly}
        aria-invalid={Boolean(error)}
        {...(error ? { 'aria-describedby': `${id}-error` } : {})}
        {...(inputMode ? { inputMode } : {})}
        {...register(name)}
      />
      {error ? (
        <span className="error" id={`${id}-error`}>
          <span className="sr-only">Error: </span>
          {error}
        </span>
      ) : null}
    </td>
  );
}

/** A problem with a whole row ("Check 2 needs a lower limit, an upper limit or both"), under it. */
function RowProblem({ name, span }: { name: string; span: number }) {
  const error = useFieldError(name);
  if (!error) return null;
  return (
    <tr className="row-problem">
      <td colSpan={span}>
        <span className="error">
          <span className="sr-only">Error: </span>
          {error}
        </span>
      </td>
    </tr>
  );
}

function RemoveCell({ label, onClick, disabled }: { label: string; onClick: () => void; disabled: boolean }) {
  return (
    <td>
      <button type="button" onClick={onClick} disabled={disabled}>
        Remove<span className="sr-only"> {label}</span>
      </button>
    </td>
  );
}

const checklistSchema = z.object({
  steps: z
    .string()
    .transform((t) =>
      t
        .split('\n')
        .map((s) => s.trim())
        .filter(Boolean)
        .map((s) => ({ text: s })),
    )
    .superRefine((steps, ctx) => {
      // One text box holds every step: its problems are said against it, naming the line.
      // The rule main saves with (a step twice is refused, naming it), in words for this box.
      const r = ChecklistSteps.safeParse(steps);
      if (!r.success) {
        for (const issue of r.error.issues) {
          const line = typeof issue.path[0] === 'number' ? `Step ${issue.path[0] + 1} ` : 'The checklist ';
          const message = issue.code === 'too_big' && issue.path.length === 0 ? `may have at most ${MAX_CHECKLIST_STEPS} steps` : issue.message;
          ctx.addIssue({ code: 'custom', message: `${line}${message}.`, params: { sentence: true } });
        }
      }
    }),
});

function ChecklistForm({ categoryId, procedure, reload, editable }: { categoryId: string; procedure: Procedure | null; reload: () => Promise<void>; editable: boolean }) {
  const initial = procedure?.definition.kind === 'checklist' ? procedure.definition.steps.map((s) => s.text).join('\n') : '';
  const form = useKitForm({ defaultValues: { steps: initial }, schema: checklistSchema });
  return (
    <ProcedureForm
      id="checklist-title"
      title="Inspection checklist"
      categoryId={categoryId}
      task="inspection"
      procedure={procedure}
      reload={reload}
      form={form}
      toDefinition={(v) => ({ kind: 'checklist', steps: v.steps })}
      editable={editable}
      saveLabel="Save checklist"
    >
      <FormField name="steps" label="Steps, one per line" help="Each step is marked pass, fail or n.a. when the inspection is logged.">
        {(p) => <textarea {...p} {...form.register('steps')} rows={6} readOnly={!editable} />}
      </FormField>
    </ProcedureForm>
  );
}

export function ChecklistEditor({ categoryId, editable }: { categoryId: string; editable: boolean }) {
  const { procedure, opening, reload } = useProcedureToEdit(categoryId, 'inspection');
  // The form starts from the version saved when the page opened (or was reloaded); saving keeps what was typed on screen.
  return procedure === undefined ? null : <ChecklistForm key={opening} categoryId={categoryId} procedure={procedure} reload={reload} editable={editable} />;
}

interface PointRow {
  label: string;
  unit: string;
  nominal: string;
  toleranceKind: ToleranceKind;
  tolerance: string;
}

/**
 * Each row's text made into numbers, then the shared rule for the points: every problem at once, a
 * number cell's own refusal (a thousands separator) with the rule's for the other cells.
 */
const pointsSchema = z
  .object({
    points: z.array(
      z.object({ label: z.string(), unit: z.string(), nominal: z.string(), toleranceKind: z.enum(TOLERANCE_KINDS), tolerance: z.string() }),
    ),
  })
  .transform((v, ctx) => {
    const points = v.points.map((p, i) => ({
      ...p,
      nominal: cellNumber(p.nominal, ctx, ['points', i, 'nominal']),
      tolerance: cellNumber(p.tolerance, ctx, ['points', i, 'tolerance']),
    }));
    return { points: judgedBy(MeasurementPoints, points, ctx, ['points']) };
  });

/**
 * The rows of an editor table, with the keyboard focus kept in the table: a new row starts at its
 * name; a removed row's focus goes to the row that takes its place (or the one before), not to the page.
 */
function useRowFocus(form: { setFocus: (name: never) => void }, table: 'points' | 'checks') {
  const [focusAfter, setFocusAfter] = useState<number | null>(null);
  useEffect(() => {
    if (focusAfter === null) return;
    form.setFocus(`${table}.${focusAfter}.label` as never);
    setFocusAfter(null);
  }, [focusAfter, form, table]);
  return {
    /** The option of useFieldArray's append: the new row's name takes the focus. */
    appended: (count: number) => ({ focusName: `${table}.${count}.label` }),
    /** After row `index` of `count` is removed. */
    removed: (index: number, count: number) => setFocusAfter(Math.min(index, count - 2)),
  };
}

function PointsForm({ categoryId, procedure, reload, editable }: { categoryId: string; procedure: Procedure | null; reload: () => Promise<void>; editable: boolean }) {
  const def = procedure?.definition;
  const initial: PointRow[] =
    def?.kind === 'measurements'
      ? def.points.map((p) => ({ label: p.label, unit: p.unit, nominal: text(p.nominal), toleranceKind: p.toleranceKind, tolerance: text(p.tolerance) }))
      : [{ label: '', unit: '', nominal: '', toleranceKind: 'percent', tolerance: '' }];
  const form = useKitForm({ defaultValues: { points: initial }, schema: pointsSchema });
  const rows = useFieldArray({ control: form.control, name: 'points' });
  const focus = useRowFocus(form, 'points');
  const { register } = form;
  const last = () => form.getValues(`points.${rows.fields.length - 1}`);
  return (
    <ProcedureForm
      id="points-title"
      title="Calibration points"
      categoryId={categoryId}
      task="calibration"
      procedure={procedure}
      reload={reload}
      form={form}
      toDefinition={(v) => ({ kind: 'measurements', points: v.points })}
      editable={editable}
      add={{
        label: 'Add a point',
        onClick: () =>
          rows.append(
            { label: '', unit: last()?.unit ?? '', nominal: '', toleranceKind: last()?.toleranceKind ?? 'percent', tolerance: '' },
            focus.appended(rows.fields.length),
          ),
      }}
      saveLabel="Save points"
    >
      <table className="data compact editor-table">
        <thead>
          <tr>
            <th scope="col">Point</th>
            <th scope="col">Unit</th>
            <th scope="col">Nominal</th>
            <th scope="col">Tolerance</th>
            <th scope="col">±</th>
            {editable ? (
              <th scope="col">
                <span className="sr-only">Remove</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {rows.fields.map((row, i) => [
            <tr key={row.id}>
              <Cell name={`points.${i}.label`} label={`Point ${i + 1} name`} readOnly={!editable} />
              <Cell name={`points.${i}.unit`} label={`Point ${i + 1} unit`} className="narrow" readOnly={!editable} />
              <Cell name={`points.${i}.nominal`} label={`Point ${i + 1} nominal value`} className="narrow" inputMode="decimal" readOnly={!editable} />
              <Cell name={`points.${i}.tolerance`} label={`Point ${i + 1} tolerance`} className="narrow" inputMode="decimal" readOnly={!editable} />
              <td>
                <select aria-label={`Point ${i + 1} tolerance kind`} disabled={!editable} {...register(`points.${i}.toleranceKind`)}>
                  <option value="percent">% of nominal</option>
                  <option value="absolute">in the unit</option>
                </select>
              </td>
              {editable ? (
                <RemoveCell
                  label={`point ${i + 1}`}
                  onClick={() => {
                    focus.removed(i, rows.fields.length);
                    rows.remove(i);
                  }}
                  disabled={rows.fields.length === 1}
                />
              ) : null}
            </tr>,
            <RowProblem key={`${row.id}-problem`} name={`points.${i}`} span={editable ? 6 : 5} />,
          ])}
        </tbody>
      </table>
    </ProcedureForm>
  );
}

export function PointsEditor({ categoryId, editable }: { categoryId: string; editable: boolean }) {
  const { procedure, opening, reload } = useProcedureToEdit(categoryId, 'calibration');
  return procedure === undefined ? null : <PointsForm key={opening} categoryId={categoryId} procedure={procedure} reload={reload} editable={editable} />;
}

interface CheckRow {
  label: string;
  unit: string;
  min: string;
  max: string;
}

const checksSchema = z
  .object({ checks: z.array(z.object({ label: z.string(), unit: z.string(), min: z.string(), max: z.string() })) })
  .transform((v, ctx) => {
    const checks = v.checks.map((c, i) => ({
      ...c,
      min: cellNumber(c.min, ctx, ['checks', i, 'min']),
      max: cellNumber(c.max, ctx, ['checks', i, 'max']),
    }));
    return { checks: judgedBy(SafetyChecks, checks, ctx, ['checks']) };
  });

function ChecksForm({ categoryId, procedure, reload, editable }: { categoryId: string; procedure: Procedure | null; reload: () => Promise<void>; editable: boolean }) {
  const def = procedure?.definition;
  const initial: CheckRow[] =
    def?.kind === 'safety'
      ? def.checks.map((c) => ({ label: c.label, unit: c.unit, min: text(c.min), max: text(c.max) }))
      : [
          { label: 'Protective earth resistance', unit: 'Ω', min: '', max: '0.2' },
          { label: 'Earth leakage current', unit: 'µA', min: '', max: '500' },
          { label: 'Insulation resistance', unit: 'MΩ', min: '2', max: '' },
        ];
  const form = useKitForm({ defaultValues: { checks: initial }, schema: checksSchema });
  const rows = useFieldArray({ control: form.control, name: 'checks' });
  const focus = useRowFocus(form, 'checks');
  return (
    <ProcedureForm
      id="safety-title"
      title="Electrical safety checks"
      categoryId={categoryId}
      task="electrical_safety"
      procedure={procedure}
      reload={reload}
      form={form}
      toDefinition={(v) => ({ kind: 'safety', checks: v.checks })}
      editable={editable}
      note={!procedure ? <p className="muted">The suggested checks below are typical limits for a class I device (IEC 62353); adjust them before saving.</p> : null}
      add={{ label: 'Add a check', onClick: () => rows.append({ label: '', unit: '', min: '', max: '' }, focus.appended(rows.fields.length)) }}
      saveLabel="Save checks"
    >
      <table className="data compact editor-table">
        <thead>
          <tr>
            <th scope="col">Check</th>
            <th scope="col">Unit</th>
            <th scope="col">At least</th>
            <th scope="col">At most</th>
            {editable ? (
              <th scope="col">
                <span className="sr-only">Remove</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {rows.fields.map((row, i) => [
            <tr key={row.id}>
              <Cell name={`checks.${i}.label`} label={`Check ${i + 1} name`} readOnly={!editable} />
              <Cell name={`checks.${i}.unit`} label={`Check ${i + 1} unit`} className="narrow" readOnly={!editable} />
              <Cell name={`checks.${i}.min`} label={`Check ${i + 1} lower limit`} className="narrow" inputMode="decimal" readOnly={!editable} />
              <Cell name={`checks.${i}.max`} label={`Check ${i + 1} upper limit`} className="narrow" inputMode="decimal" readOnly={!editable} />
              {editable ? (
                <RemoveCell
                  label={`check ${i + 1}`}
                  onClick={() => {
                    focus.removed(i, rows.fields.length);
                    rows.remove(i);
                  }}
                  disabled={rows.fields.length === 1}
                />
              ) : null}
            </tr>,
            <RowProblem key={`${row.id}-problem`} name={`checks.${i}`} span={editable ? 5 : 4} />,
          ])}
        </tbody>
      </table>
    </ProcedureForm>
  );
}

export function SafetyChecksEditor({ categoryId, editable }: { categoryId: string; editable: boolean }) {
  const { procedure, opening, reload } = useProcedureToEdit(categoryId, 'electrical_safety');
  return procedure === undefined ? null : <ChecksForm key={opening} categoryId={categoryId} procedure={procedure} reload={reload} editable={editable} />;
}
