import { describe, expect, it } from 'vitest';
import type { Change } from '../../../main/core/sync/protocol';
import type { Pc } from '../../../main/hub/store';
import { HubHttpError } from '../../../main/hub/errors';
import { testHub } from './harness';

const HLC = (ms: number, node = 'r1') => `${String(ms).padStart(15, '0')}.000000.${node}`;
const T0 = Date.parse('2026-01-10T09:00:00Z');

function setting(seq: number, key: string, value: string, ms = T0 + seq, op: Change['op'] = 'insert'): Change {
  return { seq, hlc: HLC(ms), tbl: 'settings', pk: JSON.stringify([key]), op, data: { value: JSON.stringify(value) }, base: null };
}

async function pcAt(hub: Awaited<ReturnType<typeof testHub>>, id: string): Promise<Pc> {
  await hub.pool.query("INSERT INTO hub_pcs (pc_id, name, public_key) VALUES ($1, $1, 'none') ON CONFLICT DO NOTHING", [id]);
  return { pcId: id, name: id };
}

describe('the hub', () => {
  it('never passes over a log entry whose transaction commits after a later one', async () => {
    const hub = await testHub();
    const reader = await pcAt(hub, 'reader');
    const insert = `INSERT INTO hub_log (tbl, pk, entry, origin_replica, echo) VALUES ('settings', $1, $2, 'w', true) RETURNING pos`;
    const entry = (key: string) =>
      JSON.stringify({
        tbl: 'settings',
        pk: JSON.stringify([key]),
        data: { value: '"x"', _exists: 1 },
        clocks: { value: HLC(T0), _exists: HLC(T0) },
      });
    const early = await hub.pool.connect();
    const late = await hub.pool.connect();
    try {
      await early.query('BEGIN');
      const first = (await early.query<{ pos: number }>(insert, [JSON.stringify(['first']), entry('first')])).rows[0]!.pos;
      await late.query('BEGIN');
      const second = (await late.query<{ pos: number }>(insert, [JSON.stringify(['second']), entry('second')])).rows[0]!.pos;
      await late.query('COMMIT');
      expect(second).toBeGreaterThan(first);
      // A reader following positions alone would now see position `second` and move past `first` for good.
      const visible = (await hub.pool.query<{ pos: number }>('SELECT pos FROM hub_log ORDER BY pos')).rows.map((r) => r.pos);
      expect(visible).toEqual([second]);
      const before = await hub.store.pull(reader, { replica: 'reader', cursor: '', limit: 100 });
      expect(before.entries).toEqual([]);
      await early.query('COMMIT');
      const after = await hub.store.pull(reader, { replica: 'reader', cursor: before.cursor, limit: 100 });
      expect(after.entries.map((e) => e.pk)).toEqual([JSON.stringify(['first']), JSON.stringify(['second'])]);
    } finally {
      early.release();
      late.release();
    }
  });

  it("hands the log out in its keys' order across batches, however many digits a key has (a version-1 hub's entries, keyed by plain transaction ids, beside later ones)", async () => {
    const hub = await testHub();
    const reader = await pcAt(hub, 'reader');
    const entry = (key: string) => JSON.stringify({ tbl: 'settings', pk: key, data: { value: '"x"', _exists: 1 }, clocks: {} });
    for (const key of ['v1-a', 'v1-b', 'v1-c'])
      await hub.pool.query(
        `INSERT INTO hub_log (xid, tbl, pk, entry, origin_replica, echo) VALUES ('750', 'settings', $1, $2, 'w', true)`,
        [key, entry(key)],
      );
    for (const key of ['later-a', 'later-b', 'later-c'])
      await hub.pool.query(`INSERT INTO hub_log (tbl, pk, entry, origin_replica, echo) VALUES ('settings', $1, $2, 'w', true)`, [
        key,
        entry(key),
      ]);
    const keys = (await hub.pool.query<{ xid: string }>('SELECT xid::text AS xid FROM hub_log ORDER BY pos')).rows.map((r) => r.xid.length);
    expect(keys).toEqual([3, 3, 3, 19, 19, 19]);
    const got: string[] = [];
    let cursor = '';
    for (let more = true; more;) {
      const batch = await hub.store.pull(reader, { replica: 'reader', cursor, limit: 2 });
      got.push(...batch.entries.map((e) => e.pk));
      ({ cursor, more } = batch);
    }
    expect(got).toEqual(['v1-a', 'v1-b', 'v1-c', 'later-a', 'later-b', 'later-c']);
  });

  it('takes a batch sent twice once, and a batch sent twice at the same moment once', async () => {
    const hub = await testHub();
    const pc = await pcAt(hub, 'pc1');
    const batch = [setting(1, 'a', '1'), setting(2, 'b', '2')];
    const one = await hub.store.push(pc, { replica: 'r1', changes: batch });
    const again = await hub.store.push(pc, { replica: 'r1', changes: batch });
    expect(one.acceptedThrough).toBe(2);
    expect(again.acceptedThrough).toBe(2);
    const both = await Promise.all([3, 3].map(() => hub.store.push(pc, { replica: 'r1', changes: [setting(3, 'c', '3')] })));
    expect(both.map((b) => b.acceptedThrough)).toEqual([3, 3]);
    const log = await hub.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM hub_log WHERE tbl = 'settings'");
    expect(log.rows[0]!.n).toBe(3);
    const received = await hub.pool.query<{ seq: number }>("SELECT seq FROM hub_received WHERE replica = 'r1' ORDER BY seq");
    expect(received.rows.map((r) => r.seq)).toEqual([1, 2, 3]);
  });

  it('refuses a gap and a rewrite, saying where it stands', async () => {
    const hub = await testHub();
    const pc = await pcAt(hub, 'pc1');
    await hub.store.push(pc, { replica: 'r1', changes: [setting(1, 'a', '1'), setting(2, 'b', '2')] });
    const gap = await hub.store.push(pc, { replica: 'r1', changes: [setting(4, 'd', '4')] }).catch((e: unknown) => e);
    expect(gap).toBeInstanceOf(HubHttpError);
    expect((gap as HubHttpError).code).toBe('gap');
    expect((gap as Error).message).toMatch(/up to 2; send from 3/);
    const fork = await hub.store.push(pc, { replica: 'r1', changes: [setting(2, 'b', 'something else')] }).catch((e: unknown) => e);
    expect((fork as HubHttpError).code).toBe('fork');
    // Another PC cannot write into this PC's history.
    const other = await pcAt(hub, 'pc2');
    const stolen = await hub.store.push(other, { replica: 'r1', changes: [setting(3, 'c', '3')] }).catch((e: unknown) => e);
    expect((stolen as HubHttpError).code).toBe('forbidden');
  });

  it('quarantines what it cannot take, reports it, and carries on with the rest', async () => {
    const hub = await testHub();
    const pc = await pcAt(hub, 'pc1');
    const bad: Change = {
      seq: 2,
      hlc: HLC(T0),
      tbl: 'task_types',
      pk: JSON.stringify(['x']),
      op: 'insert',
      data: { label: 'X', target: 'spaceship', fail_tags_out: 0, overdue_blocks_use: 0, sort_order: 9 },
      base: null,
    };
    const future: Change = { ...setting(3, 'c', '3'), hlc: HLC(Date.now() + 10 * 24 * 3600 * 1000) };
    const unknown: Change = { ...setting(4, 'd', '4'), tbl: 'rockets' };
    const r = await hub.store.push(pc, { replica: 'r1', changes: [setting(1, 'a', '1'), bad, future, unknown, setting(5, 'e', '5')] });
    expect(r.acceptedThrough).toBe(5);
    expect(r.quarantined.map((x) => [x.seq, x.reason])).toEqual([
      [2, 'target must be one of equipment, stock_location, not "spaceship"'],
      [3, expect.stringMatching(/more than four days ahead of the hub's time/)],
      [4, 'the hub does not keep a table called rockets (is the PC newer than the hub?)'],
    ]);
    const kept = await hub.pool.query<{ key: string }>('SELECT key FROM settings ORDER BY key');
    expect(kept.rows.map((x) => x.key)).toEqual(['a', 'e']);
    const q = await hub.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM hub_quarantine');
    expect(q.rows[0]!.n).toBe(3);
  });

  it('merges concurrent edits of one field by clock, keeps the loser, and resolves a status clash to the more restrictive', async () => {
    const hub = await testHub();
    const a = await pcAt(hub, 'pcA');
    const b = await pcAt(hub, 'pcB');
    await hub.store.push(a, {
      replica: 'ra',
      changes: [setting(1, 'hospitalName', 'St Elsewhere', T0, 'insert')].map((c) => ({ ...c, hlc: HLC(T0, 'ra') })),
    });
    const clocks = { value: HLC(T0, 'ra'), _exists: HLC(T0, 'ra') };
    // Both had the first value; B writes later, A writes earlier but arrives later.
    await hub.store.push(b, {
      replica: 'rb',
      changes: [{ ...setting(1, 'hospitalName', 'General', T0 + 2000, 'update'), hlc: HLC(T0 + 2000, 'rb'), base: clocks }],
    });
    await hub.store.push(a, {
      replica: 'ra',
      changes: [{ ...setting(2, 'hospitalName', 'County', T0 + 1000, 'update'), hlc: HLC(T0 + 1000, 'ra'), base: clocks }],
    });
    const row = await hub.pool.query<{ value: string }>("SELECT value FROM settings WHERE key = 'hospitalName'");
    expect(row.rows[0]!.value).toBe(JSON.stringify('General'));
    const conflicts = await hub.pool.query<{ winner_value: string; loser_value: string; loser_pc: string; rule: string }>(
      'SELECT winner_value, loser_value, loser_pc, rule FROM sync_conflicts',
    );
    expect(conflicts.rows).toEqual([
      {
        winner_value: JSON.stringify({ value: JSON.stringify('General') }),
        loser_value: JSON.stringify({ value: JSON.stringify('County') }),
        loser_pc: 'pcA',
        rule: 'latest',
      },
    ]);
  });
});
