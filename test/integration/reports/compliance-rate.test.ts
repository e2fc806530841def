import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { complianceCsv, complianceReport } from '../../../main/core/reports/compliance';
import { ComplianceParams, formatRate } from '../../../shared/domain/report-compliance';
import { bulkPlans } from '../../helpers/bulk-plans';
import { fixedClock, testCore } from '../../helpers/core';
import { device, done, plan } from '../plans/fixtures';

describe('the completion rate on screen and in the CSV', () => {
  it('is the same figure: 2 of 3 is 66.6% on screen and 66.66 in the CSV, never rounded up', () => {
    const core = testCore({ clock: fixedClock('2024-02-01T12:00:00Z') });
    const pump = device(core, 'IP-1', { location: 'General Hospital > Ward 1', risk: 'high' });
    const weekly = plan(core, pump, 'cleaning', '1w', '2024-01-01', { mode: 'fixed', windowDays: 0 });
    done(core, weekly.id, '2024-01-01T15:00:00Z');
    done(core, weekly.id, '2024-01-08T15:00:00Z');
    // 15 January's cleaning was never done.
    const params = ComplianceParams.parse({ from: '2024-01-01', to: '2024-01-21' });
    const report = complianceReport(core, params);
    expect([report.total.due, report.total.onTime, report.total.missed]).toEqual([3, 2, 1]);
    expect(formatRate(report.total.completionRate)).toBe('66.6%');
    const csv = Papa.parse<Record<string, string>>(complianceCsv(core, params, 'summary').content, { header: true, skipEmptyLines: true }).data;
    expect(csv.at(-1)!.completion_rate_percent).toBe('66.66');
  });

  it('just under 100% is not written as 100.00 in the CSV, as the screen never says 100% with one occurrence missed', () => {
    const clock = fixedClock('2025-06-01T12:00:00Z');
    const core = testCore({ clock });
    const first = device(core, 'BULK-00000', { location: 'General Hospital > Ward 1', risk: 'high' });
    const template = plan(core, first, 'cleaning', '1w', '2024-01-01', { mode: 'fixed', windowDays: 0 });
    const weeks = (n: number) => Array.from({ length: n }, (_, w) => new Date(Date.UTC(2024, 0, 1 + w * 7)).toISOString().slice(0, 10));
    for (const on of weeks(9)) done(core, template.id, `${on}T15:00:00Z`); // the 10th week (4 Mar 2024) is missed
    bulkPlans(core, {
      count: 2000,
      like: first,
      plan: { task: 'cleaning', interval: [1, 'week'], startDate: '2024-01-01', windowDays: 0, graceDays: 0, nextDue: '2024-03-11', dueFrom: '2024-03-11' },
      time: '15:00',
      days: () => weeks(10),
    });
    const params = ComplianceParams.parse({ from: '2024-01-01', to: '2024-03-10' });
    const report = complianceReport(core, params);
    expect([report.total.due, report.total.onTime, report.total.missed]).toEqual([20010, 20009, 1]);
    const screen = formatRate(report.total.completionRate);
    expect(screen).toBe('99.9%');
    const csv = Papa.parse<Record<string, string>>(complianceCsv(core, params, 'summary').content, { header: true, skipEmptyLines: true }).data;
    const all = csv.at(-1)!;
    // The CSV must not claim 100% when one occurrence was missed (the screen is careful never to).
    expect(all.completion_rate_percent).toBe('99.99');
  }, 120_000);
});
