import { describe, expect, it } from 'vitest';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { complianceReport } from '../../../main/core/reports/compliance';
import { changeServiceStatus } from '../../../main/core/status/history';
import { ComplianceParams } from '../../../shared/domain/report-compliance';
import { fixedClock, testActor, testCore } from '../../helpers/core';
import { device, done, plan } from '../plans/fixtures';

/**
 * Which occurrences "out of service on the due date" makes exempt (docs/scheduling.md, rule 13):
 * those due on a day the device was out of service from its start to its end, and those whose test
 * failed by the due date with the device out when that day ended (rule 12's tag-out). A device in
 * service at some moment of its due date had the work due: a return that morning, ten minutes out,
 * or a night out across the due date's midnight excuse nothing. The integration tests run in
 * America/New_York (UTC−5 in February).
 */
function setup() {
  const clock = fixedClock('2024-12-01T12:00:00Z');
  const core = testCore({ clock });
  const d = device(core, 'OS-1', { risk: 'high' });
  const p = plan(core, d, 'electrical_safety', '1m', '2025-01-01', { mode: 'fixed', windowDays: 3, graceDays: 0 }).id;
  const status = (instant: string, to: 'out_of_service' | 'in_service') => {
    clock.set(instant);
    inTransaction(core, (c) => changeServiceStatus(c, testActor, d, { status: to, reason: to === 'in_service' ? null : 'Fan noise' }, { cause: 'fault' }));
  };
  const february = () => {
    clock.set('2025-06-01T12:00:00Z');
    return complianceReport(core, ComplianceParams.parse({ from: '2025-02-01', to: '2025-02-28' })).highRisk.exceptions.map((x) => `${x.dueOn} ${x.verdict}`);
  };
  return { core, clock, p, status, february };
}

describe('out of service on the due date', () => {
  it('a device back in service at 08:00 on its due date, the work never done: missed, not exempt', () => {
    const { status, february } = setup();
    status('2025-01-20T14:00:00Z', 'out_of_service');
    status('2025-02-01T13:00:00Z', 'in_service'); // 08:00 on 1 February
    expect(february()).toEqual(['2025-02-01 missed']);
  });

  it('a device out of service for ten minutes on its due date, the work never done: missed, not exempt', () => {
    const { status, february } = setup();
    status('2025-02-01T15:00:00Z', 'out_of_service');
    status('2025-02-01T15:10:00Z', 'in_service');
    expect(february()).toEqual(['2025-02-01 missed']);
  });

  it("a device out for a night across its due date's midnight, the work never done: missed, not exempt", () => {
    const { status, february } = setup();
    status('2025-02-02T04:00:00Z', 'out_of_service'); // 23:00 on 1 February
    status('2025-02-02T13:00:00Z', 'in_service'); // 08:00 on 2 February
    expect(february()).toEqual(['2025-02-01 missed']);
  });

  it('a device out of service from before its due date to after it: exempt, "Out of service on the due date"', () => {
    const { core, status, february } = setup();
    status('2025-01-20T14:00:00Z', 'out_of_service');
    status('2025-02-10T14:00:00Z', 'in_service');
    expect(february()).toEqual(['2025-02-01 exempt']);
    const x = complianceReport(core, ComplianceParams.parse({ from: '2025-02-01', to: '2025-02-28' })).highRisk.exceptions[0]!;
    expect(x.note).toBe('Out of service on the due date: Fan noise');
  });

  it('a test that failed on its due date and took the device out of service: exempt, as the work was done in time', () => {
    const { core, clock, p, february } = setup();
    clock.set('2025-02-01T18:00:00Z');
    done(core, p, '2025-02-01T15:00:00Z', 'fail'); // 10:00 on 1 February: tagged out (rule 12)
    expect(february()).toEqual(['2025-02-01 exempt']);
  });
});
