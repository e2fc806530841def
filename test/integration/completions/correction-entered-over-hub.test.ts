import { describe, expect, it } from 'vitest';
import { recordCompletion } from '../../../main/core/completions/record';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { checkPermanentRows } from '../../../main/core/permanent/check';
import { testActor } from '../../helpers/core';
import { device, done, plan } from '../plans/fixtures';
import { testHub, testPc } from '../sync/harness';

/**
 * When a correction says the work was entered is a column of its synced, bound row, set once by the
 * PC that made it: another PC shows the same value (nothing recomputes it on arrival), and the row
 * agrees with the audit entry that holds it on both.
 */
describe('a correction made on one PC, read on another', () => {
  it('keeps when the work was first entered on every PC', async () => {
    const hub = await testHub();
    const a = await testPc(hub, 'Ward 4B');
    const b = await testPc(hub, 'Emergency');
    const id = device(a.core, 'DF-0001', { name: 'Defibrillator' });
    const p = plan(a.core, id, 'electrical_safety', '1y', '2025-01-01');
    const original = done(a.core, p.id, new Date(Date.now() - 60_000).toISOString(), 'pass');
    await a.sync();
    await b.sync();
    // B's clock is an hour ahead: the correction is made "later", and keeps A's entry.
    b.clockAhead(3_600_000);
    const fixed = inTransaction(b.core, (w) =>
      recordCompletion(w, testActor, { planId: p.id, performedAt: original.performedAt, outcome: 'pass', notes: 'Serial corrected', source: 'app', amendsId: original.id, amendReason: 'Typo' }),
    );
    await b.sync();
    await a.sync();
    const entered = (core: typeof a.core, rowId: string) => core.db.prepare('SELECT entered_at, created_at FROM completions WHERE id = ?').get(rowId) as { entered_at: string; created_at: string };
    const first = entered(a.core, original.id).entered_at;
    expect(entered(b.core, fixed.id).entered_at).toBe(first);
    expect(entered(a.core, fixed.id)).toEqual(entered(b.core, fixed.id));
    expect(entered(a.core, fixed.id).created_at > first).toBe(true);
    for (const pc of [a, b]) expect(checkPermanentRows(pc.core.db).findings).toEqual([]);
  }, 60_000);
});
