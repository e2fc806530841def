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
export type WithService<C extends CompletionFact> = OccurrenceVerdict<C> & { outOfService: Spell | null };

export function exemptWhileOutOfService<C extends CompletionFact>(verdicts: readonly OccurrenceVerdict<C>[], spells: readonly Spell[] | undefined): WithService<C>[] {
  return verdicts.map((v) => {
    const spell = spells && (v.verdict === 'late' || v.verdict === 'missed') ? outOfServiceOn(spells, v.dueOn) : null;
    return spell ? { ...v, verdict: 'exempt', outOfService: spell } : { ...v, outOfService: null };
  });
}

/** The words an exempt occurrence is listed with: "Out of service on the due date: <why>". */
export function outOfServiceNote(spell: Spell): string {
  const why = spell.reason ? `: ${spell.reason}` : '';
  return `${STATUS_LABELS[spell.status]} on the due date${spell.workOrderRef ? ` (${spell.workOrderRef})` : ''}${why}`;
}
