import type { Spell } from '../../../shared/repairs/downtime';
import { outOfServiceOn } from '../../../shared/repairs/downtime';
import { STATUS_LABELS } from '../../../shared/domain/equipment';
import type { CompletionFact, OccurrenceVerdict } from '../../../shared/scheduling';

/**
 * Compliance and the status history (issue 16): an occurrence due on a day its device was out of
 * service (or missing, or retired) was not the ward's to do, so a late or missed verdict becomes
 * exempt ("out of service"): listed, counted neither for nor against. Work done on time anyway
 * stays on time; an occurrence not yet decided stays open.
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
    const spell = v.verdict === 'late' || v.verdict === 'missed' ? outOfServiceOn(spells, v.dueOn) : null;
    return spell ? { ...v, verdict: 'exempt', outOfService: spell } : v;
  });
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
