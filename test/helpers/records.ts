import type { Core } from '../../main/core/context';
import { recordCompletion } from '../../main/core/completions/record';
import { inTransaction } from '../../main/core/dispatcher/transaction';
import type { Outcome } from '../../shared/scheduling';

/**
 * A past record put straight into the core, for a test that needs history it does not sign
 * (the app has no unsigned write channel). Attributed to `by`, as the app's own record.
 */
export function seedRecord(core: Core, planId: string, performedAt: string, outcome: Outcome = 'pass', by = 'Test Runner'): string {
  return inTransaction(core, (writable) =>
    recordCompletion(writable, { userId: null, name: by, role: null, via: 'system' }, { planId, performedAt, outcome, source: 'app' }),
  ).id;
}

/**
 * Test setup for history that predates the test: the device was added to the inventory on `day`
 * (a record cannot be dated before its device was in the inventory, issue 13 item 12).
 */
export function inInventorySince(core: Core, equipmentId: string, day: string): void {
  core.db.prepare('UPDATE equipment SET created_at = ? WHERE id = ?').run(`${day}T00:00:00.000Z`, equipmentId);
}
