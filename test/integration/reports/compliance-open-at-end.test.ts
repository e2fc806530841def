import { describe, expect, it } from 'vitest';
import { complianceDocument, complianceReport } from '../../../main/core/reports/compliance';
import type { ComplianceParamsValue } from '../../../shared/domain/report-compliance';
import { ComplianceParams, exceptionNote, OPEN_AT_END_LABEL, openLabel, rateWithOpen, VERDICT_LABELS } from '../../../shared/domain/report-compliance';
import { formatDate } from '../../../shared/date-format';
import { fixedClock, testActor, testCore } from '../../helpers/core';
import { device, done, plan } from '../plans/fixtures';
import { filterLines } from '../../helpers/print-header';

const params = (p: Partial<ComplianceParamsValue> & { from: string; to: string }): ComplianceParamsValue => ComplianceParams.parse(p);
const dotted = (iso: string) => formatDate(iso, 'dd.MM.yyyy');

/**
 * A high-risk calibration due at the very end of a quarter (28 March, a week's grace) is still
 * open when the quarter ends: rule 13 counts it in neither Q1 nor Q2 (docs/scheduling.md,
 * "Compliance"). The figures stay so; what a supervisor reads must not say all was done.
 */
function ventilator() {
  const clock = fixedClock('2025-01-01T12:00:00Z');
  const core = testCore({ clock });
  const hr = device(core, 'HR-9', { name: 'Ventilator', location: 'General Hospital > ICU > Bay 1', risk: 'high' });
  // Monthly, due on the 28th, a week's grace: January and February done on the day.
  const cal = plan(core, hr, 'calibration', '1m', '2025-01-28', { mode: 'fixed', windowDays: 0, graceDays: 7 });
  clock.set('2025-01-28T18:00:00Z');
  done(core, cal.id, '2025-01-28T10:00:00Z');
  clock.set('2025-02-28T18:00:00Z');
  done(core, cal.id, '2025-02-28T10:00:00Z');
  return { core, clock, cal };
}

const Q1 = params({ from: '2025-01-01', to: '2025-03-31', risks: ['high'] });

describe('compliance: an occurrence still open at the end of a period that is over', () => {
  it('Q1 asked for in June: the March calibration never done is listed, "Not done: 79 days overdue today", and the page says it is in no rate', () => {
    const { core, clock } = ventilator();
    clock.set('2025-06-15T12:00:00Z');
    const doc = complianceDocument(core, testActor, Q1);
    const { report } = doc;
    // Rule 13's figures are kept: two on time, the March one open and in no rate.
    expect(report.highRisk.summary).toMatchObject({ due: 2, onTime: 2, missed: 0, open: 1, completionRate: 1 });
    expect(report.periodOver).toBe(true);
    // What the supervisor sees: no all-clear (there is an exception), the rate not bare, the open one labelled and explained.
    const x = report.highRisk.exceptions;
    expect(x).toHaveLength(1);
    expect(x[0]).toMatchObject({ assetTag: 'HR-9', dueOn: '2025-03-28', verdict: 'open', doneOn: null });
    expect(VERDICT_LABELS[x[0]!.verdict]).toBe('Open at the end of the period (within grace)');
    expect(openLabel(report)).toBe(OPEN_AT_END_LABEL);
    expect(exceptionNote(x[0]!, dotted)).toBe('Not done: 79 days overdue today');
    expect(x[0]!.note).toBe('Not done: 79 days overdue today');
    expect(rateWithOpen(report.highRisk.summary, report)).toBe('100% (1 open)');
    expect(filterLines(doc.header)).toContain(
      'Open at the end of the period (within grace): 1 occurrence, in no rate; 1 of high-risk equipment, listed with what has happened since',
    );
  });

  it('done late in April: listed as "Done on 20.04.2025 (late)"; the figures are the same as before it was done', () => {
    const { core, clock, cal } = ventilator();
    clock.set('2025-04-20T18:00:00Z');
    done(core, cal.id, '2025-04-20T10:00:00Z');
    clock.set('2025-06-15T12:00:00Z');
    const report = complianceReport(core, Q1);
    expect(report.highRisk.summary).toMatchObject({ due: 2, onTime: 2, open: 1 });
    const [x] = report.highRisk.exceptions;
    expect(x).toMatchObject({ dueOn: '2025-03-28', verdict: 'open', since: { verdict: 'late', doneOn: '2025-04-20' } });
    expect(exceptionNote(x!, dotted)).toBe('Done on 20.04.2025 (late)');
    // The bounded read and the whole history agree (issue 17).
    expect(complianceReport(core, Q1, { wholeHistory: true })).toEqual(report);
  });

  it('the day after the quarter, still within its grace: "Not done yet, within its grace until 04.04.2025"', () => {
    const { core, clock } = ventilator();
    clock.set('2025-04-01T12:00:00Z');
    const [x] = complianceReport(core, Q1).highRisk.exceptions;
    expect(exceptionNote(x!, dotted)).toBe('Not done yet, within its grace until 04.04.2025');
  });

  it('a period not over lists nothing open: its open occurrences are not yet due', () => {
    const { core, clock } = ventilator();
    clock.set('2025-03-30T12:00:00Z');
    const report = complianceReport(core, Q1);
    expect(report.periodOver).toBe(false);
    expect(report.highRisk.summary.open).toBe(1);
    expect(report.highRisk.exceptions).toEqual([]);
    expect(openLabel(report)).toBe('Not yet due');
    expect(rateWithOpen(report.highRisk.summary, report)).toBe('100%');
  });
});
