import { toNestErrors } from '@hookform/resolvers';
import type { DefaultValues, FieldError, FieldErrors, FieldValues, Path, Resolver, UseFormReturn } from 'react-hook-form';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { dateFormatProblem, parseDate } from '../../../shared/date-format';
import type { DateFormatSetting } from '../../../shared/domain/settings';
import type { AppErrorValue } from '../../../shared/result';
import { issueProblems } from '../../../shared/validation';

/**
 * The form half of the renderer's kit: react-hook-form, checked by zod schemas built from the
 * same shared/ rules main applies (a text-to-value step per field piped into the channel's own
 * field schema), worded by the same shared/validation.ts. Every problem is found at once on
 * submit; a problem disappears as soon as the field is fixed (no stale message); the back end's
 * refusals land beside the fields they name, the rest at the top of the form.
 */

/** A resolver giving every problem at once, as the sentences main would give. */
export function kitResolver<TIn extends FieldValues, TOut>(schema: z.ZodType<TOut>): Resolver<TIn, unknown, TOut> {
  return async (values, _context, options) => {
    const parsed = await schema.safeParseAsync(values);
    if (parsed.success) return { values: parsed.data, errors: {} };
    const flat: Record<string, FieldError> = {};
    for (const p of issueProblems(parsed.error.issues)) {
      const name = p.field ?? 'root.form';
      if (!(name in flat)) flat[name] = { type: 'validation', message: p.message };
    }
    return { values: {}, errors: toNestErrors(flat, options) as FieldErrors<TIn> };
  };
}

export type KitForm<TIn extends FieldValues, TOut> = UseFormReturn<TIn, unknown, TOut>;

/** A form of the kit: validation on submit, then again on every change once submitted. */
export function useKitForm<TIn extends FieldValues, TOut = TIn>(options: {
  defaultValues: DefaultValues<TIn>;
  /** Checks the form's values (TIn) and makes what is sent of them (TOut). */
  schema?: z.ZodType<TOut>;
}): KitForm<TIn, TOut> {
  return useForm<TIn, unknown, TOut>({
    defaultValues: options.defaultValues,
    ...(options.schema ? { resolver: kitResolver(options.schema) } : {}),
    mode: 'onSubmit',
    reValidateMode: 'onChange',
    // The error summary takes the focus (GOV.UK's pattern); its links move it to each field.
    shouldFocusError: false,
  });
}

/** Where a refused save's problems go: each named field beside itself, the rest at the top. */
export function applyServerError<TIn extends FieldValues>(
  form: UseFormReturn<TIn, unknown, never> | UseFormReturn<TIn, unknown, unknown>,
  error: AppErrorValue,
  fieldOf: (serverField: string) => string | null = (f) => f,
): void {
  const items = error.details && error.details.length > 0 ? [...error.details] : [];
  if (!items.some((d) => d.field === error.field && d.message === error.message)) items.unshift({ message: error.message, ...(error.field ? { field: error.field } : {}) });
  const placed = new Set<string>();
  let general = 0;
  for (const item of items) {
    const name = item.field ? fieldOf(item.field) : null;
    if (name && !placed.has(name) && hasField(form, name)) {
      placed.add(name);
      form.setError(name as Path<TIn>, { type: 'server', message: item.message });
    } else if (!name || !placed.has(name)) {
      form.setError(`root.server${general++}` as `root.${string}`, { type: 'server', message: item.message });
    }
  }
}

/**
 * After a save refused because someone else changed the record since the dialog opened (a field
 * `expected.…`): each field this person left as it opened takes the value saved since, and what they
 * typed stays, so the next save keeps both changes. `opened` and `now` are the record's form values
 * as the dialog opened with it and as it is now (flat values: text, choices, ticks).
 */
export function takeValuesSavedMeanwhile<TIn extends FieldValues>(form: UseFormReturn<TIn, unknown, never> | UseFormReturn<TIn, unknown, unknown>, opened: TIn, now: TIn): void {
  const typed = form.getValues();
  for (const name of Object.keys(now) as Path<TIn>[]) {
    if (typed[name] === opened[name]) form.setValue(name, now[name]);
  }
}

function hasField(form: { control: unknown }, name: string): boolean {
  // react-hook-form keeps its registered fields here; a field that is not on screen cannot show its error.
  const fields = (form.control as { _fields?: Record<string, unknown> })._fields ?? {};
  let node: unknown = fields;
  for (const part of name.split('.')) {
    if (!node || typeof node !== 'object' || !(part in node)) return false;
    node = (node as Record<string, unknown>)[part];
  }
  return node !== undefined;
}

/** One problem of a form, for the summary: the field it belongs to ('' for the form as a whole) and the sentence. */
export interface FormProblem {
  name: string;
  message: string;
}

/** Every problem in react-hook-form's error tree, root problems first. */
export function formProblems(errors: FieldErrors): FormProblem[] {
  const out: FormProblem[] = [];
  const root: FormProblem[] = [];
  const walk = (node: unknown, path: string[]) => {
    if (!node || typeof node !== 'object') return;
    const e = node as { message?: unknown; type?: unknown; ref?: unknown };
    if (typeof e.message === 'string' && e.message !== '' && (e.type !== undefined || e.ref !== undefined)) {
      if (path[0] === 'root') root.push({ name: '', message: e.message });
      else out.push({ name: path.join('.'), message: e.message });
    }
    for (const [k, v] of Object.entries(node)) if (k !== 'ref' && k !== 'message' && k !== 'type' && k !== 'types') walk(v, [...path, k]);
  };
  walk(errors, []);
  return [...root, ...out];
}

/** A date typed in the user's format, as `YYYY-MM-DD` (null when blank), or a problem worded in that format. */
export function dateText(setting: DateFormatSetting, options: { required?: boolean } = {}) {
  return z.string().transform((text, ctx) => {
    if (text.trim() === '') {
      if (!options.required) return null;
      ctx.addIssue({ code: 'custom', message: 'is required' });
      return z.NEVER;
    }
    const parsed = parseDate(text, setting);
    if (parsed.ok) return parsed.value;
    ctx.addIssue({ code: 'custom', message: dateFormatProblem(parsed.reason, text, setting) });
    return z.NEVER;
  });
}

/**
 * A field's text made into a value (`first`), then judged by the channel's own rule for that field
 * (`rule`, from shared/), so the form and main refuse the same things in the same words.
 */
export function then<I, O>(first: z.ZodType<I, string>, rule: z.ZodType<O, I | undefined>): z.ZodType<O, string> {
  // The rule accepts more than `first` gives (undefined too): narrowing its input is safe.
  return first.pipe(rule as z.ZodType<O, I>);
}

/**
 * Judged by the channel's rule, but sent as typed: for fields the channel itself reads from text
 * (an interval "1y"), so the same rule runs here and in main.
 */
export function checkedBy<T>(rule: z.ZodType<unknown, T>) {
  return z.custom<T>().superRefine((value, ctx) => {
    const r = rule.safeParse(value);
    if (!r.success) for (const issue of r.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
  });
}

// The number fields' reader lives apart, so it can be tested without react-hook-form (this module
// exports `then`, which makes its namespace look like a promise to a dynamic import).
export { cellNumber, numberText, readNumber } from './numbers';
export type { NumberReading } from './numbers';

/** `value` judged by `rule` inside a transform: each refusal added under `path` as the rule worded it; the rule's output, or z.NEVER. */
export function judgedBy<T>(rule: z.ZodType<T>, value: unknown, ctx: z.RefinementCtx, path: (string | number)[]): T {
  const r = rule.safeParse(value);
  if (r.success) return r.data;
  for (const issue of r.error.issues) {
    const sentence = issue.code === 'custom' && (issue.params as { sentence?: boolean } | undefined)?.sentence;
    ctx.addIssue({
      code: 'custom',
      message: issue.message,
      path: [...path, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))],
      ...(sentence ? { params: { sentence: true } } : {}),
    });
  }
  return z.NEVER;
}
