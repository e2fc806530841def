import { createBackend } from '../../../main/core/backend';
import type { Core } from '../../../main/core/context';
import { newSession } from '../../../main/core/session';
import { ComplianceParams } from '../../../shared/domain/report-compliance';
import { bulkPlans } from '../../helpers/bulk-plans';
import { fixedClock, testCore } from '../../helpers/core';
import { signedInUser } from '../../helpers/users';
import { device, done, plan } from '../plans/fixtures';

/**
 * A ward whose compliance report the 'reports' workers work out (compliance-in-worker.test.ts,
 * compliance-kept.test.ts): one high-risk defibrillator calibrated monthly, a supervisor, and the
 * back end the window talks to.
 */
export function ward() {
  const clock = fixedClock('2025-01-01T12:00:00Z');
  const core = testCore({ clock });
  const hr = device(core, 'HR-1', { name: 'Defibrillator', location: 'General Hospital > Ward 4B > Bay 1', risk: 'high' });
  const cal = plan(core, hr, 'calibration', '1m', '2025-01-10', { mode: 'fixed', windowDays: 3, graceDays: 3 });
  clock.set('2025-01-10T18:00:00Z');
  done(core, cal.id, '2025-01-10T10:00:00Z');
  const backend = createBackend(core, {
    logError: (err) => {
      throw err;
    },
  });
  const user = signedInUser(core, 'supervisor', { name: 'Sam Supervisor' });
  // Signed in at the clock's time: a session left idle while the clock moves on is locked.
  const signedIn = () => {
    const session = newSession(clock.now().getTime());
    session.user = { ...user };
    return session;
  };
  return { core, clock, backend, signedIn, user };
}

export const Q1 = ComplianceParams.parse({ from: '2025-01-01', to: '2025-03-31' });

/**
 * `n` more high-risk devices in the ward's place, each with a monthly calibration due on the 10th, kept
 * up but for every seventh device (missed from February) and every fifth device (done late, on
 * the 15th): written directly, as a hospital's worth of plans through the services would take minutes.
 */
export function manyPlans(core: Core, n: number) {
  bulkPlans(core, {
    count: n,
    name: 'Infusion pump',
    tagPrefix: 'PUMP-',
    like: core.db.prepare("SELECT id FROM equipment WHERE asset_tag = 'HR-1'").pluck().get() as string,
    plan: {
      task: 'calibration',
      interval: [1, 'month'],
      startDate: '2025-01-10',
      windowDays: 3,
      graceDays: 3,
      nextDue: '2025-04-10',
      dueFrom: '2025-04-07',
    },
    time: '10:00',
    days: (d) => [1, 2, 3].filter((m) => d % 7 !== 0 || m === 1).map((m) => `2025-0${m}-${d % 5 === 0 ? '15' : '10'}`),
  });
}
