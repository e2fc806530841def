import { describe, expect, it } from 'vitest';
import { TODAY_START_INPUT } from '../../../renderer/src/lib/today';
import { repairsWorld } from '../repairs/fixture';
import { queryPlan } from '../../helpers/query-plan';
import { statementsRun } from '../../helpers/statements-run';

/**
 * Issue 17: opening Today must not read a hospital's big tables whole. Every statement the
 * channels Home asks at start run is recorded as it runs (a statement is prepared once and kept,
 * so it is recorded where it runs, not where it is prepared), and its query plan may not scan the
 * plans, the equipment, the records or the audit trail: at 200,000 devices one such scan (the
 * stock plans, read with `IS NOT NULL` that SQLite took for no narrowing) cost 136 ms on every
 * refresh of Today.
 */
const BIG_TABLES = ['plans', 'equipment', 'completions', 'audit_log', 'status_changes', 'work_orders', 'signatures'];

/** The channels Home asks when it opens (renderer/src/features/today/Home.tsx and the shell around it). */
const HOME_CHANNELS = [
  ['auth.status', {}],
  ['due.today', TODAY_START_INPUT],
  ['sync.status', {}],
  ['app.health', {}],
  ['sync.changes', {}],
  ['locations.list', {}],
  ['settings.get', {}],
  ['stock.locations.list', {}],
] as const;

/** Each parameter of a statement bound to null: only its plan is asked for, not its rows. */
function nullParams(sql: string): unknown[] {
  const named = [...sql.matchAll(/[@:$]([A-Za-z_]\w*)/g)].map((m) => m[1]!);
  if (named.length > 0) return [Object.fromEntries(named.map((n) => [n, null]))];
  return Array.from(sql.matchAll(/\?/g), () => null);
}

describe("Today's reads (issue 17)", () => {
  it('never scan a big table whole: each statement Home runs at start seeks an index', async () => {
    const w = await repairsWorld();
    // Something in every list: a due plan, a device out of service, a stock location with a plan.
    await w.call('equipment.setStatus', { id: w.pump.id, status: 'out_of_service', reason: 'Cracked casing' });
    await w.call('plans.create', { stockLocationId: w.store.id, task: 'stock_check', every: '1m', startDate: '2026-01-01' });
    const answers: unknown[] = [];
    const ran = await statementsRun(async () => {
      for (const [channel, input] of HOME_CHANNELS) answers.push(await w.backend.invoke(w.admin, channel, input as never));
    });
    for (const a of answers) expect(a).toMatchObject({ ok: true });
    expect(ran.size).toBeGreaterThan(5);
    const scans: string[] = [];
    for (const sql of ran) {
      if (!/^\s*(SELECT|WITH)\b/i.test(sql)) continue;
      for (const detail of queryPlan(w.core.db, sql, ...nullParams(sql))) {
        const scanned = /^SCAN (\w+)/.exec(detail)?.[1];
        if (scanned && BIG_TABLES.includes(scanned)) scans.push(`${detail} in: ${sql.replace(/\s+/g, ' ').slice(0, 160)}`);
      }
    }
    expect(scans).toEqual([]);
  });
});
