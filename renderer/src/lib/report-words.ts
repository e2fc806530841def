import type { ComplianceReport } from '../../../shared/domain/report-compliance';
import { formatRate } from '../../../shared/domain/report-compliance';
import type { ComplianceSummary } from '../../../shared/scheduling/compliance';

/** A day in the user's date format (Settings): the screen's `dates.date`, the printout's header format. */
type DayWords = (iso: string) => string;
/** What the words of a report need to know of it: its period, the day it was judged on, whether it is over. */
type ReportTimes = Pick<ComplianceReport, 'from' | 'to' | 'judgedOn' | 'periodOver'>;

const occurrences = (n: number) => `${n} occurrence${n === 1 ? '' : 's'}`;

/**
 * "96% on time (24 of 25; …)": the compliance rate in words, on screen and on paper alike. With
 * nothing decided yet but occurrences open, there is no rate, and it says why (never "nothing was due").
 */
export function rateSentence(s: ComplianceSummary, report: ReportTimes, date: DayWords): string {
  const counted = s.due - s.exempt;
  if (s.due === 0 && s.open > 0) {
    return report.periodOver
      ? `no rate (nothing was decided in the period; ${s.open} still open at its end, within grace)`
      : `no rate yet (nothing decided so far; ${s.open} not yet due by ${date(report.judgedOn)})`;
  }
  if (counted === 0) return s.due === 0 ? 'nothing was due in the period' : `nothing counted: all ${s.due} due were exempt`;
  return `${formatRate(s.completionRate)} on time (${s.onTime} of ${counted}; ${s.late} late, ${s.missed} missed, ${s.exempt} exempt)`;
}

/**
 * Said after a rate when the period is over and occurrences were still within their grace at its
 * end: rule 13 counts them in no period, so a rate must not stand alone (docs/scheduling.md). When
 * nothing was decided, `rateSentence` has already said so.
 */
export function openAtEnd(s: Pick<ComplianceSummary, 'due' | 'open'>, periodOver: boolean): string {
  if (!periodOver || s.open === 0 || s.due === 0) return '';
  return ` ${s.open} more ${s.open === 1 ? 'was' : 'were'} still open at the end of the period (within grace), counted in no rate.`;
}

/**
 * What the compliance report says above (or instead of) its table when no occurrence in the period
 * was decided, on screen and on paper alike; null when one was. `nothing-due`: no plan had an
 * occurrence in the period at all. `none-decided`: some did, but none is decided yet (due + open > 0).
 */
export function nothingDecided(
  report: ReportTimes & { total: Pick<ComplianceSummary, 'due' | 'open'> },
  date: DayWords,
): { kind: 'nothing-due' | 'none-decided'; text: string } | null {
  const { due, open } = report.total;
  if (due > 0) return null;
  const period = `${date(report.from)} to ${date(report.to)}`;
  if (open === 0) return { kind: 'nothing-due', text: `Nothing was due in this period (${period}), so there is no rate to report yet.` };
  return {
    kind: 'none-decided',
    text: report.periodOver
      ? `Nothing in this period (${period}) was decided by its end, so there is no rate: ${occurrences(open)} ${open === 1 ? 'was' : 'were'} still open at the end of the period (within grace), counted in no rate.`
      : `Nothing in this period (${period}) has been decided yet, so there is no rate yet: ${occurrences(open)} ${open === 1 ? 'is' : 'are'} not yet due by ${date(report.judgedOn)}.`,
  };
}

/**
 * The high-risk section when it lists no occurrence, on screen and on paper alike; null when it
 * lists some. An all-clear only when every occurrence in the period is decided and was on time: in a
 * period not over, those not yet due are said, never passed over.
 */
export function noHighRiskExceptions(
  report: ReportTimes & { highRisk: { summary: Pick<ComplianceSummary, 'due' | 'exempt' | 'open'>; exceptions: readonly unknown[] } },
  date: DayWords,
): { kind: 'none-due' | 'all-clear' | 'so-far'; text: string } | null {
  const { summary, exceptions } = report.highRisk;
  if (exceptions.length > 0) return null;
  const decided = summary.due - summary.exempt;
  if (summary.open === 0) {
    return decided === 0
      ? { kind: 'none-due', text: 'No occurrence of high-risk equipment was due in the period.' }
      : { kind: 'all-clear', text: 'Every occurrence of high-risk equipment in the period was done on time.' };
  }
  const notYet = report.periodOver
    ? `${summary.open} still open at the end of the period (within grace)`
    : `${summary.open} not yet due by ${date(report.judgedOn)}`;
  return decided === 0
    ? { kind: 'so-far', text: `No occurrence of high-risk equipment has been decided yet; ${notYet}.` }
    : { kind: 'so-far', text: `Every occurrence of high-risk equipment decided so far was done on time; ${notYet}.` };
}
