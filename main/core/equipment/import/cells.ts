import { isIsoDate } from '../../../../shared/domain/common';
import type { EquipmentStatus, Ownership, Risk } from '../../../../shared/domain/equipment';
import { foldWord, OWNERSHIPS, RISKS, statusFromWord } from '../../../../shared/domain/equipment';

/**
 * Reading one cell of an import file. Each returns the value, or the end of a sentence saying
 * what is wrong with it; the caller puts "Row 7, column "Status": " in front.
 */
export type Cell<T> = { ok: true; value: T } | { ok: false; why: string };

/** How much of a wrong value a message quotes: enough to find it in the file, one line on a terminal. */
const QUOTED_MAX = 40;

/** A value as a message quotes it, trimmed and cut after 40 characters ("…"), as the location and category messages do. */
export function quoted(raw: string): string {
  const chars = [...raw.trim()];
  return `"${chars.length > QUOTED_MAX ? `${chars.slice(0, QUOTED_MAX).join('')}…` : chars.join('')}"`;
}

/**
 * `read` with its answers kept for the texts it is given again, up to `kept` different ones (issue
 * 17: an import's columns repeat a few words, makers and models on thousands of rows, and each read
 * folded the text again). For pure functions of the text only; past `kept`, texts are read as before.
 */
export function remembered<T>(read: (text: string) => T, kept: number): (text: string) => T {
  const known = new Map<string, T>();
  return (text) => {
    let answer = known.get(text);
    if (answer === undefined) {
      answer = read(text);
      if (known.size < kept) known.set(text, answer);
    }
    return answer;
  };
}

/** A cell is never changed once read (frozen), so one answer serves every row that holds the word. */
const rememberedCell = <T>(read: (raw: string) => Cell<T>) => remembered((raw: string) => Object.freeze(read(raw)), 256);

export const readStatus = rememberedCell(statusCell);
export const readRisk = rememberedCell(riskCell);
export const readOwnership = rememberedCell(ownershipCell);
export const readYesNo = rememberedCell(yesNoCell);

function statusCell(raw: string): Cell<EquipmentStatus> {
  const status = statusFromWord(raw);
  return status
    ? { ok: true, value: status }
    : {
        ok: false,
        why: `${quoted(raw)} is not a known status (use in_service, out_of_service, retired or missing, or a synonym such as Operational).`,
      };
}

function riskCell(raw: string): Cell<Risk | null> {
  const key = foldWord(raw);
  if (key === '') return { ok: true, value: null };
  const risk = RISKS.find((r) => r === key);
  return risk ? { ok: true, value: risk } : { ok: false, why: `${quoted(raw)} is not a risk level (use high, medium or low).` };
}

function ownershipCell(raw: string): Cell<Ownership | null> {
  const key = foldWord(raw);
  if (key === '') return { ok: true, value: null };
  const ownership = OWNERSHIPS.find((o) => o === key);
  return ownership
    ? { ok: true, value: ownership }
    : { ok: false, why: `${quoted(raw)} is not an ownership (use owned, leased, rental or demo).` };
}

const YES = new Set(['yes', 'y', 'true', '1']);
const NO = new Set(['no', 'n', 'false', '0', '']);

function yesNoCell(raw: string): Cell<boolean> {
  const key = foldWord(raw);
  if (YES.has(key)) return { ok: true, value: true };
  if (NO.has(key)) return { ok: true, value: false };
  return { ok: false, why: `${quoted(raw)} is not yes or no.` };
}

export function readDate(raw: string): Cell<string | null> {
  const s = raw.trim();
  if (s === '') return { ok: true, value: null };
  return isIsoDate(s) ? { ok: true, value: s } : { ok: false, why: `${quoted(raw)} is not a date written YYYY-MM-DD.` };
}

/** `PREFIX-00001`: five digits, more only past 99,999. */
export function generatedTag(prefix: string, n: number): string {
  return `${prefix}-${String(n).padStart(5, '0')}`;
}

/** The number of a tag made by `generatedTag` with this prefix (any case), or null. */
export function generatedNumber(prefix: string, tag: string): number | null {
  const head = `${prefix}-`.toUpperCase();
  const t = tag.trim().toUpperCase();
  if (!t.startsWith(head)) return null;
  const digits = t.slice(head.length);
  return /^\d{1,9}$/.test(digits) ? Number(digits) : null;
}
