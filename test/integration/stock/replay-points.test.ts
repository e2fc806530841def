import type { Statement } from 'better-sqlite3';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Core } from '../../../main/core/context';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { writeTransactions } from '../../../main/core/stock/ledger';
import { recomputeItemStock, replayStock, TRANSACTIONS_FROM_POINT_SQL } from '../../../main/core/stock/on-hand';
import { lotId } from '../../../main/core/sync/ids';
import type { PlannedTransaction } from '../../../shared/domain/stock-check';
import { testActor, testCore } from '../../helpers/core';
import { item, ledgerProblems, level, stockLocation } from './fixtures';
import { queryPlan } from '../../helpers/query-plan';

/**
 * A stock write carries the item's replay on from where the last one ended (its point,
 * stock_replay_points, migration 0015) instead of reading its whole history: proof that it is the
 * same rule. Random histories of one item at one place, written through the ledger and arriving as
 * from another PC (earlier or later in the order than the point, lots after their movements, counts
 * that lacked a movement and their check's discards in a later batch), and changed behind the app's
 * back (a transaction changed or deleted, a lot changed or deleted, with the permanence triggers
 * dropped as sqlite3 could): after each write, the item's level and every lot's figure are what a
 * whole replay of its history makes them (replayStock), and the level what the test's own oracle
 * makes it (fixtures.ts, ledgerProblems).
 */

const HOUR = '2026-12-04T10';
/** Lots the ledger writes to by number; the last is the unrecorded one (no number, no expiry). */
const LEDGER_LOTS = [
  { lot: 'A', expiresOn: '2030-01-01' },
  { lot: 'B', expiresOn: '2029-06-01' },
  { lot: '', expiresOn: null },
] as const;
/** Lots that arrive from another PC by themselves, maybe after the movements that name them. */
const FOREIGN_LOTS = [
  { lot: 'R1', expiresOn: '2028-01-01' },
  { lot: 'R2', expiresOn: null },
] as const;
const ALL_LOTS = [...LEDGER_LOTS, ...FOREIGN_LOTS];

const clock = (minute: number, second: number) => `${HOUR}:${String(minute).padStart(2, '0')}:${String(second).padStart(2, '0')}.000Z`;

/** Which reads of an item's transactions a write made: from its point on, or its whole history (a spy on better-sqlite3's statements). */
function spyOnReads(core: Core): { sql: string; rows: number }[] {
  const reads: { sql: string; rows: number }[] = [];
  const proto = Object.getPrototypeOf(core.db.prepare('SELECT 1')) as Statement;
  const all = proto.all;
  vi.spyOn(proto, 'all').mockImplementation(function (this: Statement, ...args: unknown[]) {
    const rows = all.apply(this, args) as unknown[];
    if (/FROM stock_transactions\s+WHERE stock_location_id = @loc AND item_id = @item/.test(this.source))
      reads.push({ sql: this.source, rows: rows.length });
    return rows;
  });
  return reads;
}
const fromPointRead = (r: { sql: string }) => /at >= @minute/.test(r.sql);

/** Minutes from the step's own (time moves on 3 minutes a step): mostly after the writes before, sometimes among them. */
const minute = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 2 }), weight: 4 },
  { arbitrary: fc.integer({ min: -9, max: -1 }), weight: 1 },
);
const second = fc.integer({ min: 0, max: 59 });
const ledgerLot = fc.integer({ min: 0, max: LEDGER_LOTS.length - 1 });
const anyLot = fc.integer({ min: 0, max: ALL_LOTS.length - 1 });
const completion = fc.constantFrom('C1', 'C2');
/** A foreign row's id sorts before the ledger's (UUIDv7, `019…`) in its minute, or after. */
const idPrefix = fc.constantFrom('00', 'ff');

const step = fc.oneof(
  {
    arbitrary: fc.record({ op: fc.constant('restock' as const), lot: ledgerLot, qty: fc.integer({ min: 1, max: 9 }), minute, second }),
    weight: 4,
  },
  {
    arbitrary: fc.record({ op: fc.constant('use' as const), lot: ledgerLot, qty: fc.integer({ min: 1, max: 4 }), minute, second }),
    weight: 4,
  },
  {
    arbitrary: fc.record({
      op: fc.constant('discard' as const),
      lot: ledgerLot,
      qty: fc.integer({ min: 1, max: 3 }),
      minute,
      second,
      completion: fc.option(completion),
    }),
    weight: 2,
  },
  {
    // A count through the ledger: its rows bring the figure to `counted` (D = 0), its discards after it.
    arbitrary: fc.record({
      op: fc.constant('count' as const),
      rows: fc.array(fc.record({ lot: ledgerLot, delta: fc.integer({ min: -3, max: 3 }) }), { minLength: 1, maxLength: 2 }),
      discard: fc.option(fc.record({ lot: ledgerLot, qty: fc.integer({ min: 1, max: 2 }) })),
      minute,
      second,
      completion: fc.option(completion),
    }),
    weight: 2,
  },
  {
    // Movements from another PC, in one batch.
    arbitrary: fc.record({
      op: fc.constant('foreign' as const),
      rows: fc.array(
        fc.record({
          kind: fc.constantFrom('use', 'restock', 'discard', 'adjust'),
          lot: anyLot,
          delta: fc.integer({ min: -4, max: 6 }),
          minute,
          second,
          prefix: idPrefix,
        }),
        { minLength: 1, maxLength: 3 },
      ),
      completion: fc.option(completion),
      recompute: fc.boolean(),
    }),
    weight: 3,
  },
  {
    // A count from another PC that may have lacked movements: any D.
    arbitrary: fc.record({
      op: fc.constant('foreignCount' as const),
      counted: fc.integer({ min: 0, max: 25 }),
      rows: fc.array(fc.record({ lot: anyLot, delta: fc.integer({ min: -3, max: 3 }) }), { minLength: 1, maxLength: 3 }),
      minute,
      second,
      prefix: idPrefix,
      completion: fc.option(completion),
      recompute: fc.boolean(),
    }),
    weight: 2,
  },
  { arbitrary: fc.record({ op: fc.constant('lotArrives' as const), lot: anyLot, recompute: fc.boolean() }), weight: 2 },
  {
    arbitrary: fc.record({
      op: fc.constant('rawTransaction' as const),
      change: fc.constantFrom('delta', 'at', 'delete'),
      pick: fc.nat(),
      delta: fc.integer({ min: -3, max: 5 }),
      minute,
      recompute: fc.boolean(),
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      op: fc.constant('rawLot' as const),
      change: fc.constantFrom('expiry', 'delete'),
      lot: anyLot,
      recompute: fc.boolean(),
    }),
    weight: 1,
  },
);
type Step = typeof step extends fc.Arbitrary<infer S> ? S : never;

interface Ctx {
  core: Core;
  loc: string;
  item: string;
  ids: number;
  /** The step's minute: what a row's `minute` is counted from. */
  now: number;
  /** Rows changed since the figures were last brought up to date (a raw change with no write after it). */
  stale: boolean;
}

const lotIdOf = (c: Ctx, i: number) => lotId(c.loc, c.item, ALL_LOTS[i]!.lot, ALL_LOTS[i]!.expiresOn);

function ledger(c: Ctx, when: string, completionId: string | null, txs: PlannedTransaction[]): void {
  try {
    inTransaction(c.core, (w) => writeTransactions(w, testActor, { stockLocationId: c.loc, at: when, completionId }, txs));
    c.stale = false;
  } catch (e) {
    // A use beyond what a lot holds is refused whole (nothing written): the history goes on without it.
    if (!(e instanceof Error && /below zero/.test(e.message))) throw e;
  }
}

function foreignRow(
  c: Ctx,
  row: { kind: string; lot: number | null; delta: number; counted: number | null; when: string; prefix: string; completion: string | null },
) {
  c.ids++;
  c.core.db
    .prepare(
      `INSERT INTO stock_transactions (id, stock_location_id, item_id, lot_id, kind, delta, counted, reason, completion_id, at, user_id, user_name, pc_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, NULL, 'Other PC', 'pc-b')`,
    )
    .run(
      `${row.prefix}-${c.item}-${String(c.ids).padStart(4, '0')}`,
      c.loc,
      c.item,
      row.lot === null ? null : lotIdOf(c, row.lot),
      row.kind,
      row.delta,
      row.counted,
      row.completion,
      row.when,
    );
}

const recompute = (c: Ctx) => inTransaction(c.core, (w) => recomputeItemStock(w, c.loc, c.item));

/** Applies one step: a write through the ledger, or rows written behind it, then recomputed as a sync's are (or not). */
function apply(c: Ctx, s: Step): void {
  const db = c.core.db;
  const onHandNow = () =>
    (db.prepare('SELECT on_hand FROM stock_levels WHERE stock_location_id = ? AND item_id = ?').pluck().get(c.loc, c.item) as number) ?? 0;
  const ref = (i: number) => ({ lot: LEDGER_LOTS[i]!.lot, expiresOn: LEDGER_LOTS[i]!.expiresOn });
  const at = (minute: number, second: number) => clock(Math.max(0, c.now + minute), second);
  switch (s.op) {
    case 'restock':
      ledger(c, at(s.minute, s.second), null, [
        { itemId: c.item, kind: 'restock', lot: ref(s.lot), delta: s.qty, counted: null, reason: null },
      ]);
      return;
    case 'use':
      ledger(c, at(s.minute, s.second), null, [
        { itemId: c.item, kind: 'use', lot: ref(s.lot), delta: -s.qty, counted: null, reason: null },
      ]);
      return;
    case 'discard':
      ledger(c, at(s.minute, s.second), s.completion, [
        { itemId: c.item, kind: 'discard', lot: ref(s.lot), delta: -s.qty, counted: null, reason: 'expired' },
      ]);
      return;
    case 'count': {
      const counted = onHandNow() + s.rows.reduce((n, r) => n + r.delta, 0);
      const txs: PlannedTransaction[] = s.rows.map((r) => ({
        itemId: c.item,
        kind: 'count',
        lot: ref(r.lot),
        delta: r.delta,
        counted,
        reason: null,
      }));
      if (s.discard)
        txs.push({ itemId: c.item, kind: 'discard', lot: ref(s.discard.lot), delta: -s.discard.qty, counted: null, reason: 'expired' });
      ledger(c, at(s.minute, s.second), s.completion, txs);
      return;
    }
    case 'foreign':
      for (const r of s.rows)
        foreignRow(c, {
          kind: r.kind,
          lot: r.lot,
          delta: r.delta,
          counted: null,
          when: at(r.minute, r.second),
          prefix: r.prefix,
          completion: s.completion,
        });
      break;
    case 'foreignCount':
      for (const r of s.rows)
        foreignRow(c, {
          kind: 'count',
          lot: r.lot,
          delta: r.delta,
          counted: s.counted,
          when: at(s.minute, s.second),
          prefix: s.prefix,
          completion: s.completion,
        });
      break;
    case 'lotArrives': {
      const l = ALL_LOTS[s.lot]!;
      db.prepare(
        `INSERT OR IGNORE INTO stock_lots (id, stock_location_id, item_id, lot, expires_on, on_hand, created_at, updated_at, pc_id)
         VALUES (?, ?, ?, ?, ?, 0, '2026-12-04T10:00:00.000Z', '2026-12-04T10:00:00.000Z', 'pc-b')`,
      ).run(lotIdOf(c, s.lot), c.loc, c.item, l.lot, l.expiresOn);
      break;
    }
    case 'rawTransaction': {
      const ids = db
        .prepare('SELECT id FROM stock_transactions WHERE stock_location_id = ? AND item_id = ? ORDER BY id')
        .pluck()
        .all(c.loc, c.item) as string[];
      const id = ids[s.pick % Math.max(1, ids.length)];
      if (id === undefined) break;
      if (s.change === 'delta') db.prepare('UPDATE stock_transactions SET delta = ? WHERE id = ?').run(s.delta, id);
      if (s.change === 'at') db.prepare('UPDATE stock_transactions SET at = ? WHERE id = ?').run(at(s.minute, 30), id);
      if (s.change === 'delete') db.prepare('DELETE FROM stock_transactions WHERE id = ?').run(id);
      break;
    }
    case 'rawLot':
      // A lot the ledger finds by number and expiry keeps them (it would make the lot again); a foreign one's changes.
      if (s.change === 'expiry')
        db.prepare("UPDATE stock_lots SET expires_on = '2027-01-01' WHERE id = ?").run(
          lotIdOf(c, LEDGER_LOTS.length + (s.lot % FOREIGN_LOTS.length)),
        );
      else db.prepare('DELETE FROM stock_lots WHERE id = ?').run(lotIdOf(c, s.lot));
      break;
  }
  if (s.recompute) recompute(c);
  c.stale = !s.recompute;
}

/** The figures held, beside a whole replay of the item's history read by the test's own SQL. */
function figures(c: Ctx) {
  const db = c.core.db;
  const txs = db
    .prepare(
      `SELECT id, kind, lot_id, delta, counted, at, pc_id, completion_id FROM stock_transactions
       WHERE stock_location_id = ? AND item_id = ? ORDER BY substr(at, 1, 16), id`,
    )
    .all(c.loc, c.item) as Parameters<typeof replayStock>[2][number][];
  const lots = db
    .prepare('SELECT id, lot, expires_on, on_hand FROM stock_lots WHERE stock_location_id = ? AND item_id = ? ORDER BY id')
    .all(c.loc, c.item) as Parameters<typeof replayStock>[3][number][];
  const whole = replayStock(c.loc, c.item, txs, lots);
  const held = {
    onHand: db.prepare('SELECT on_hand FROM stock_levels WHERE stock_location_id = ? AND item_id = ?').pluck().get(c.loc, c.item) as number,
    lots: Object.fromEntries(lots.map((l) => [l.id, l.on_hand])),
  };
  return { held, whole: { onHand: whole.onHand, lots: Object.fromEntries(whole.lots) } };
}

/** The oracle's word on the level (fixtures.ts): its last count and the movements after it. */
const levelProblems = (c: Ctx, code: string) =>
  ledgerProblems(c.core).filter((p) => p.includes(`(${code})`) && p.includes('its last count and the movements after it'));

/** A database where rows arrive as a sync applies them (foreign keys off, engine.ts) and transactions can be changed as sqlite3 could (permanence triggers dropped). */
function openCore(): Core {
  const core = testCore();
  core.db.pragma('foreign_keys = OFF');
  core.db.exec('DROP TRIGGER stock_transactions_no_update; DROP TRIGGER stock_transactions_no_delete;');
  return core;
}

const rawLot = (c: Ctx, i: number, expiresOn: string | null = ALL_LOTS[i]!.expiresOn) =>
  c.core.db
    .prepare(
      `INSERT INTO stock_lots (id, stock_location_id, item_id, lot, expires_on, on_hand, created_at, updated_at, pc_id)
       VALUES (?, ?, ?, ?, ?, 0, '2026-12-04T10:00:00.000Z', '2026-12-04T10:00:00.000Z', 'pc-b')`,
    )
    .run(lotIdOf(c, i), c.loc, c.item, ALL_LOTS[i]!.lot, expiresOn);

const R1 = LEDGER_LOTS.length;
const [A, B, UNRECORDED] = [0, 1, 2];

/**
 * Changes to what came before the point, each of which the point must not survive (a trigger) or
 * the carried replay must give up on (replayStock). The history: the unrecorded lot 1 (so the rest
 * lot stays the same), A 5 (expires 2030), B 5 (2029); B 1 used; 4 of R1 (2032) restocked on another
 * PC; then a count there of 11 (of check C1) made before R1's restock reached it (D = −3: taken back
 * from the lots soonest to expire, B first). Then the change, and a use of A.
 */
const PAST_CHANGES: { name: string; r1OnRecord: boolean; change: (c: Ctx) => void }[] = [
  {
    name: 'a movement from another PC dated before the point',
    r1OnRecord: true,
    change: (c) => foreignRow(c, { kind: 'use', lot: A, delta: -1, counted: null, when: clock(2, 0), prefix: 'ff', completion: null }),
  },
  {
    name: 'a lot arriving after its movements (the count takes from it first)',
    r1OnRecord: false,
    change: (c) => void rawLot(c, R1, '2028-01-01'),
  },
  {
    name: "a lot's expiry changed (the count takes from it first)",
    r1OnRecord: true,
    change: (c) => void c.core.db.prepare("UPDATE stock_lots SET expires_on = '2027-01-01' WHERE id = ?").run(lotIdOf(c, R1)),
  },
  {
    name: 'a lot deleted (the count no longer takes from it)',
    r1OnRecord: true,
    change: (c) => void c.core.db.prepare('DELETE FROM stock_lots WHERE id = ?').run(lotIdOf(c, B)),
  },
  {
    name: "a transaction changed (R1's restock 1, not 4: the count no longer takes from B)",
    r1OnRecord: true,
    change: (c) => void c.core.db.prepare('UPDATE stock_transactions SET delta = 1 WHERE lot_id = ?').run(lotIdOf(c, R1)),
  },
  {
    name: "a transaction deleted (R1's restock: the count gives the use of B back)",
    r1OnRecord: true,
    change: (c) => void c.core.db.prepare('DELETE FROM stock_transactions WHERE lot_id = ?').run(lotIdOf(c, R1)),
  },
  {
    name: "the count's check discarding B in a later batch (what the count took back leaves it)",
    r1OnRecord: true,
    change: (c) => foreignRow(c, { kind: 'discard', lot: B, delta: -3, counted: null, when: clock(3, 0), prefix: 'ff', completion: 'C1' }),
  },
  {
    name: 'a count after the point that lacked the use of B (D > 0: given back to B, before the point)',
    r1OnRecord: true,
    change: (c) => foreignRow(c, { kind: 'count', lot: A, delta: 0, counted: 12, when: clock(4, 0), prefix: 'ff', completion: null }),
  },
];

describe('stock replay points (migration 0015)', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('property: after every write, carrying the replay on from the point gives what a whole replay gives, whatever arrives and whatever is changed by hand', () => {
    const core = openCore();
    const loc = stockLocation(core, 'Crash cart 4B');
    const reads = spyOnReads(core);
    let run = 0;
    let writes = 0;
    let carried = 0;
    let bailed = 0;
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 16 /* the minutes stay within the hour */ }), (steps) => {
        run++;
        const code = `P${run}`;
        const c: Ctx = { core, loc, item: item(core, code), ids: 0, now: 0, stale: false };
        level(core, loc, c.item, 50, 1);
        for (const [k, s] of steps.entries()) {
          c.now = 3 * k + 9;
          reads.length = 0;
          apply(c, s);
          // A write carried on from the point when it read from it and not the whole history after.
          if (reads.length > 0) writes++;
          if (reads.some(fromPointRead) && !reads.some((r) => !fromPointRead(r))) carried++;
          // Or read from it, found what follows changes what came before (replayStock), and read the whole history.
          if (reads.some(fromPointRead) && reads.some((r) => !fromPointRead(r))) bailed++;
          if (c.stale) continue;
          const { held, whole } = figures(c);
          expect(held, JSON.stringify(s)).toEqual(whole);
          expect(levelProblems(c, code)).toEqual([]);
        }
      }),
      { numRuns: 150 },
    );
    // Many writes carried on from the point (not a proof made of whole replays only), and some gave up on it.
    expect(carried).toBeGreaterThan(writes / 5);
    expect(bailed).toBeGreaterThan(0);
  });

  it.each(PAST_CHANGES)('a write after $name gives what a whole replay gives', ({ r1OnRecord, change }) => {
    const core = openCore();
    const loc = stockLocation(core, 'Crash cart 4B');
    const c: Ctx = { core, loc, item: item(core, 'PADS'), ids: 0, now: 0, stale: false };
    level(core, loc, c.item, 50, 1);
    const write = (minute: number, lot: number, kind: 'restock' | 'use', delta: number) =>
      ledger(c, clock(minute, 0), null, [
        {
          itemId: c.item,
          kind,
          lot: { lot: LEDGER_LOTS[lot]!.lot, expiresOn: LEDGER_LOTS[lot]!.expiresOn },
          delta,
          counted: null,
          reason: null,
        },
      ]);
    write(1, UNRECORDED, 'restock', 1);
    write(1, A, 'restock', 5);
    write(1, B, 'restock', 5);
    write(2, B, 'use', -1);
    if (r1OnRecord) rawLot(c, R1, '2032-01-01');
    foreignRow(c, { kind: 'restock', lot: R1, delta: 4, counted: null, when: clock(2, 30), prefix: '00', completion: null });
    foreignRow(c, { kind: 'count', lot: A, delta: 0, counted: 11, when: clock(3, 0), prefix: '00', completion: 'C1' });
    recompute(c);
    expect(core.db.prepare('SELECT level FROM stock_replay_points WHERE item_id = ?').pluck().get(c.item)).toBe(11);
    change(c);
    const reads = spyOnReads(core);
    write(5, A, 'use', -1);
    const { held, whole } = figures(c);
    expect(held).toEqual(whole);
    // Replayed whole: the point was gone, or the replay carried on from it gave up.
    expect(reads.at(-1)).toMatchObject({
      rows: core.db.prepare('SELECT count(*) FROM stock_transactions WHERE item_id = ?').pluck().get(c.item),
    });
    expect(fromPointRead(reads.at(-1)!)).toBe(false);
  });

  it('reads only the transactions after the point: after a use, the next use reads its own row and the point’s, and a whole replay again only once the point is gone', () => {
    const core = testCore();
    const loc = stockLocation(core, 'Crash cart 4B');
    const pads = item(core, 'PADS', 'Defibrillator pads', 'pair');
    level(core, loc, pads, 50, 1);
    const use = (minute: number, lot: number) =>
      inTransaction(core, (w) =>
        writeTransactions(w, testActor, { stockLocationId: loc, at: clock(minute, 0), completionId: null }, [
          {
            itemId: pads,
            kind: lot === 0 ? 'restock' : 'use',
            lot: { lot: 'A', expiresOn: '2030-01-01' },
            delta: lot === 0 ? 5 : -1,
            counted: null,
            reason: null,
          },
        ]),
      );
    // 40 restocks of 5, then uses: the first write of all replayed whole.
    for (let k = 0; k < 40; k++) use(0, 0);
    const reads = spyOnReads(core);
    for (let k = 1; k <= 5; k++) use(k, 1);
    expect(reads.map((r) => r.rows)).toEqual([2, 2, 2, 2, 2]);
    expect(reads.every(fromPointRead)).toBe(true);
    // A range of the item's index from the point's minute on, not a scan of its history.
    const plan = queryPlan(core.db, TRANSACTIONS_FROM_POINT_SQL, { loc, item: pads, minute: '', lastId: '' });
    expect(plan[0]).toBe('SEARCH stock_transactions USING INDEX stock_transactions_level (stock_location_id=? AND item_id=? AND at>?)');
    const point = core.db.prepare('SELECT last_id, level FROM stock_replay_points WHERE item_id = ?').get(pads) as {
      last_id: string;
      level: number;
    };
    expect(point).toEqual({ last_id: core.db.prepare('SELECT max(id) FROM stock_transactions').pluck().get(), level: 195 });
    // With the point gone (as after an upgrade), the next write reads the whole history, 46 rows with its own.
    core.db.prepare('DELETE FROM stock_replay_points').run();
    reads.length = 0;
    use(6, 1);
    expect(reads.map((r) => [fromPointRead(r), r.rows])).toEqual([[false, 46]]);
  });

  it('does not carry on from a point edited by hand (sqlite3): the next write replays whole and the figures are the movements\' again', () => {
    const core = testCore();
    const loc = stockLocation(core, 'Crash cart 4B');
    const pads = item(core, 'PADS', 'Defibrillator pads', 'pair');
    level(core, loc, pads, 50, 1);
    const write = (minute: number, kind: 'restock' | 'use', delta: number) =>
      inTransaction(core, (w) =>
        writeTransactions(w, testActor, { stockLocationId: loc, at: clock(minute, 0), completionId: null }, [
          { itemId: pads, kind, lot: { lot: 'A', expiresOn: '2030-01-01' }, delta, counted: null, reason: null },
        ]),
      );
    write(0, 'restock', 10);
    write(1, 'use', -1);
    const lotA = lotId(loc, pads, 'A', '2030-01-01');
    const held = () => ({
      level: core.db.prepare('SELECT on_hand FROM stock_levels WHERE item_id = ?').pluck().get(pads),
      lot: core.db.prepare('SELECT on_hand FROM stock_lots WHERE id = ?').pluck().get(lotA),
    });
    expect(held()).toEqual({ level: 9, lot: 9 });
    // Someone with sqlite3 puts 100 pairs on the shelf by editing the saved replay, not the movements.
    core.db.prepare('UPDATE stock_replay_points SET level = 100, figures = json_object(?, 100) WHERE item_id = ?').run(lotA, pads);
    const reads = spyOnReads(core);
    write(2, 'use', -1);
    // The point no longer matches the figures it left: the history is read whole (3 rows), and the 100 is gone.
    expect(reads.filter((r) => !fromPointRead(r)).map((r) => r.rows)).toEqual([3]);
    expect(held()).toEqual({ level: 8, lot: 8 });
  });
});
