import { formatRate } from '../../../shared/domain/report-compliance';
import type { ComplianceSummary } from '../../../shared/scheduling/compliance';

/** "96% on time (24 of 25; …)": the compliance rate in words, on screen and on paper alike. */
export function rateSentence(s: ComplianceSummary): string {
  const counted = s.due - s.exempt;
  if (counted === 0) return s.due === 0 ? 'nothing was due in the period' : `nothing counted: all ${s.due} due were exempt`;
  return `${formatRate(s.completionRate)} on time (${s.onTime} of ${counted}; ${s.late} late, ${s.missed} missed, ${s.exempt} exempt)`;
}

/**
 * Said after a rate when the period is over and occurrences were still within their grace at its
 * end: rule 13 counts them in no period, so a rate must not stand alone (docs/scheduling.md).
 */
export function openAtEnd(open: number, periodOver: boolean): string {
  if (!periodOver || open === 0) return '';
  return ` ${open} more ${open === 1 ? 'was' : 'were'} still open at the end of the period (within grace), counted in no rate.`;
}
