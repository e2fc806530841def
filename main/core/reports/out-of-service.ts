import type { Spell } from '../../../shared/repairs/downtime';
import { periodBounds } from '../../../shared/repairs/downtime';
import { STATUS_LABELS } from '../../../shared/domain/equipment';
import type { CompletionFact, OccurrenceVerdict } from '../../../shared/scheduling';

/**
 * Compliance and the status history (issue 16): an occurrence due on a day its device was out of
 * service (or missing, or retired) for the whole day was not the ward's to do, so a late or missed
 * verdict becomes exempt ("out of service"): listed, counted neither for nor against. So is one
 * whose test failed by its due date, the device out of service when that day ended (rule 12's
 * tag-out: the work was done in time, and the device kept from use until it is repaired). Work done
 * on time anyway stays on time; an occurrence not yet decided stays open.
 *
 * Not any moment of the day: a device back in service on its due date had its plans due again at
 * once (rule 11), and one taken out during it (but for its own failed test) was in service, and
 * the work due, when the day began; an auditor would not let ten minutes out of service on the due
 * date, a night out across its midnight, or a return at 08:00 that morning excuse work never done.
 */
export type WithService<C extends CompletionFact> = OccurrenceVerdict<C> & {
  /** The spell that made a late or missed occurrence exempt; absent when it was not (in service, or done on time). */
  outOfService?: Spell;
};

/**
 * The verdicts with those due while out of service made exempt. The verdicts given are not changed:
 * an exempt one is a copy, the others are given back as they are (issue 17: a copy of every
 * verdict, a year's half a million of them at 50,000 devices, was most of this step's cost).
 */
export function exemptWhileOutOfService<C extends CompletionFact>(
  verdicts: readonly OccurrenceVerdict<C>[],
  spells: readonly Spell[] | undefined,
): readonly WithService<C>[] {
  if (!spells || spells.length === 0) return verdicts;
  return verdicts.map((v): WithService<C> => {
    const spell = v.verdict === 'late' || v.verdict === 'missed' ? exemptingSpell(spells, v) : null;
    return spell ? { ...v, verdict: 'exempt', outOfService: spell } : v;
  });
}

/**
 * The spell that makes an occurrence exempt (see WithService), or null: one the device was in for
 * the whole of the due day (begun at or before its first instant, lasting to its end or beyond, or
 * still lasting at the end of what was read); or, when a test of the occurrence failed on or before
 * its due date, one it was in when that day ended. A day of a daylight-saving change is its real 23
 * or 25 hours (periodBounds).
 */
export function exemptingSpell(spells: readonly Spell[], v: Pick<OccurrenceVerdict<CompletionFact>, 'dueOn' | 'entries'>): Spell | null {
  const { start, end } = periodBounds(v.dueOn, v.dueOn);
  const lasts = (s: Spell) => s.end === null || s.end >= end;
  const allDay = spells.find((s) => s.start <= start && lasts(s));
  if (allDay) return allDay;
  if (!v.entries.some((e) => e.outcome === 'fail' && e.performedOn <= v.dueOn)) return null;
  return spells.find((s) => s.start < end && lasts(s)) ?? null;
}

/**
 * The words an exempt occurrence is listed with: "Out of service on the due date: <why>". A tag-out's
 * reason starts "Tagged out: " (tagOutReason), which after "Out of service" says it twice, and ends
 * "Do not use.", the ward's instruction at the time, not a reason: both left off, and the last full
 * stop (the note goes on after a semicolon). Days stay `YYYY-MM-DD` (the CSV's form); the screen
 * and the printout write them the reader's way (exceptionNote).
 */
export function outOfServiceNote(spell: Spell): string {
  const reason = spell.reason
    ?.replace(/^Tagged out:\s*/i, '')
    .replace(/\s*Do not use\.?\s*$/i, '')
    .replace(/\.\s*$/, '')
    .trim();
  const why = reason ? `: ${reason}` : '';
  return `${STATUS_LABELS[spell.status]} on the due date${spell.workOrderRef ? ` (${spell.workOrderRef})` : ''}${why}`;
}
