import { describe, expect, it } from 'vitest';
import { warmToday } from '../../../main/core/due/today';
import { TODAY_START_INPUT } from '../../../shared/today';
import { testCore } from '../../helpers/core';
import { statementsRun } from '../../helpers/statements-run';
import { repairsWorld } from '../repairs/fixture';

/**
 * Issue 17: while the window loads, main answers Today's first question once and throws the answer
 * away (warmToday, called by the app's start and by the e2e harness), so the first Today after
 * signing in finds its code compiled, its statements prepared and its pages read. It runs before
 * anyone has signed in, so it must only read, and it must be the question Today asks.
 */
describe("Today's first question, answered while the window loads", () => {
  it('runs every statement Today then runs, writes nothing, and leaves Today answering the same', async () => {
    const w = await repairsWorld();
    await w.call('equipment.setStatus', { id: w.pump.id, status: 'out_of_service', reason: 'Cracked casing' });
    const written = () => ({
      changes: w.core.db.prepare('SELECT total_changes() AS n').get() as { n: number },
      entries: w.core.db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number },
    });
    const before = written();
    const cold = await w.backend.invoke(w.admin, 'due.today', TODAY_START_INPUT);

    const warmed = await statementsRun(async () => warmToday(w.core));
    expect(written()).toEqual(before);
    let warm: unknown;
    const asked = await statementsRun(async () => {
      warm = await w.backend.invoke(w.admin, 'due.today', TODAY_START_INPUT);
    });
    expect(warm).toEqual(cold);
    expect(warm).toMatchObject({ ok: true, value: { outOfServiceTotal: 1 } });
    // The administrator has no place of their own: Today opens on this PC's, as the warm-up does.
    expect(asked.size).toBeGreaterThan(2);
    // All but who is asking (the session's account, and a place of the person's own), which the
    // warm-up, for no one, cannot know: single rows by key.
    const notWarmed = [...asked].filter((sql) => !warmed.has(sql));
    expect(notWarmed.length).toBeLessThanOrEqual(2);
    for (const sql of notWarmed)
      expect(sql, 'a read of who is asking').toMatch(/^SELECT .* FROM users\b.* WHERE (u\.)?id = @(id|userId)\b/);
  });

  it('does nothing on a database already closed (Wardkeep quitting as it starts), and throws nothing', () => {
    const core = testCore();
    core.close();
    expect(() => warmToday(core)).not.toThrow();
  });
});
