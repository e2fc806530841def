import { z } from 'zod';

/** A number as typed read: blank is null; NaN when it is not a number; `problem` when it cannot be read safely. */
export interface NumberReading {
  value: number | null;
  problem?: string;
}

/** "1,000" and "12,500": a comma before groups of three digits, which may be a thousand or a decimal comma. */
const COMMA_GROUPED = /^[-+]?[1-9]\d{0,2}(,\d{3})+$/;
/** "1,234.5" and "1.234,5": a dot and a comma both, one of them grouping thousands. */
const DOT_AND_COMMA = /^[-+]?\d{1,3}([.,]\d{3})*[.,]\d+$/;

const decimalText = (n: number) => (Number.isInteger(n) ? n.toFixed(1) : String(n));

/**
 * A whole or decimal number as typed: a decimal point or a decimal comma ("0,5" is 0.5). A number
 * written with a thousands separator ("1,000") is refused, never read as 1: a value 1000 times too
 * small would be stored without a word.
 */
export function readNumber(text: string): NumberReading {
  const t = text.trim();
  if (t === '') return { value: null };
  if (COMMA_GROUPED.test(t)) {
    const whole = t.replace(/,/g, '');
    // One group ("1,000") may be a decimal comma: both readings are offered.
    const groups = t.split(',').length - 1;
    const choices = groups === 1 ? `${whole} or ${decimalText(Number(t.replace(',', '.')))}` : whole;
    return { value: Number.NaN, problem: `is unclear: write ${choices}, without a thousands separator` };
  }
  if (t.includes(',') && t.includes('.') && DOT_AND_COMMA.test(t)) {
    // The last of the two marks the decimals.
    const decimal = t.lastIndexOf(',') > t.lastIndexOf('.') ? ',' : '.';
    const plain = t.replace(decimal === ',' ? /\./g : /,/g, '').replace(',', '.');
    return { value: Number.NaN, problem: `is unclear: write ${Number(plain)}, without a thousands separator` };
  }
  const n = t.replace(',', '.');
  return { value: /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(n) ? Number(n) : Number.NaN };
}

/**
 * A count typed (a quantity of stock, a par level): read as readNumber reads it, and a number in
 * powers of ten ("1e3") refused in words too, never taken as 1000: nobody counts a shelf that way.
 */
export function readCount(text: string): NumberReading {
  const t = text.trim();
  if (COMMA_GROUPED.test(t)) {
    // A count is whole: "1,000" is 1000 or 1 (not "1.0"), "1,500" can only be 1500.
    const comma = Number(t.replace(',', '.'));
    const choices = t.split(',').length === 2 && Number.isInteger(comma) ? `${t.replace(/,/g, '')} or ${comma}` : t.replace(/,/g, '');
    return { value: Number.NaN, problem: `is unclear: write ${choices}, without a thousands separator` };
  }
  const r = readNumber(text);
  if (r.problem || r.value === null || Number.isNaN(r.value) || !/e/i.test(text)) return r;
  return { value: Number.NaN, problem: `is unclear: write ${r.value} in plain digits` };
}

/** numberText for a count: readCount's refusals in words. */
export function countText() {
  return z.string().transform((text, ctx) => {
    const r = readCount(text);
    if (r.problem) {
      ctx.addIssue({ code: 'custom', message: r.problem });
      return z.NEVER;
    }
    return r.value;
  });
}

/**
 * A whole or decimal number typed in a field: blank is null; anything else a number (NaN when it is
 * not one, for the field's own rule to name). A thousands separator is refused here, in words.
 */
export function numberText() {
  return z.string().transform((text, ctx) => {
    const r = readNumber(text);
    if (r.problem) {
      ctx.addIssue({ code: 'custom', message: r.problem });
      return z.NEVER;
    }
    return r.value;
  });
}

/**
 * A number cell of an editor table read inside the table's own transform: its refusal (a thousands
 * separator) is added at `path` and the cell goes on as NaN, so the table's rule still says every
 * other problem at once (this cell's own sentence comes first, and is the one shown).
 */
export function cellNumber(text: string, ctx: z.RefinementCtx, path: (string | number)[]): number | null {
  const r = readNumber(text);
  if (r.problem) ctx.addIssue({ code: 'custom', message: r.problem, path });
  return r.value;
}
