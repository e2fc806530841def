import { createBackend } from '../main/core/backend';
import type { Actor, Core } from '../main/core/context';
import { inTransaction } from '../main/core/dispatcher/transaction';
import { uuidv7 } from '../main/core/ids';
import { listLocations } from '../main/core/locations/service';
import { bindRow } from '../main/core/permanent/bind';
import type { Session } from '../main/core/session';
import { recomputeItemStock } from '../main/core/stock/on-hand';
import { lotId } from '../main/core/sync/ids';
import { addDaysTo } from '../shared/scheduling';
import { signedInAdmin } from './backend';
import type { Line } from './lines';
import { judged } from './lines';
import { ADMIN, BENCH_TODAY } from './seed';
import { elapsed, timePairAsync } from './timing';

/**
 * Stock writes on a cart with a long history. Every stock write replays its item's history at its
 * place (main/core/stock/on-hand.ts: the last count's `counted` plus the movements after it, the
 * lots replayed alike), since 5 December 2026 carried on from where its last replay ended (the
 * item's point, migration 0015), so a use on an item used every hour for two years reads only what
 * came after that. The seeding's one replay leaves the point, as every write in the app does; the
 * first write of an item after the upgrade (no point yet) still reads its whole history.
 *
 * The bench's own seeding, on the hospital's working copy (any size): one crash cart on a ward, and
 * three items kept there, their rows written with plain SQL as seed.ts writes records, each with its
 * audit entry (bindRow, as the ledger binds it), then their figures replayed once by the app's rule:
 * - `LONG`: `movements` movements, none of them a count (a use of 1 an hour, each 20th movement a
 *   restock of 19 in a new lot: a lot every 20 hours, 2 or 3 holding stock at any time, the rest at 0;
 *   the last movement a delivery of 100 in a lot of its own);
 * - `COUNTED`: the same, with a count of the shelf (1 short) `afterCount` movements before its end;
 * - `SHORT`: the same pattern, `afterCount` movements in all: what a use costs apart from the history;
 * - `FLOOR`: only the delivery of 100, for the floor to write to.
 * Then `stock.use` (1 unit, the lot by the use order) through the app's channel as the dialog calls
 * it, beside its floor in the same rounds: the same transaction row inserted bare with the level's
 * and the lot's figures updated, in one transaction (inTransaction, committed, as the use is). The
 * floor writes to `FLOOR`, not to the item timed: figures changed beside the app's rule are what a
 * write takes for a hand edit (stock/on-hand.ts), and would make every timed use replay whole.
 */

interface Seeded {
  cart: string;
  items: { long: string; counted: string; short: string; floor: string };
}

const STEP_MS = 60 * 60_000;
const LOT_EVERY = 20;

type Movement = { kind: 'use' | 'restock' | 'count'; lot: string; delta: number; counted: number | null };

/** `n` movements of one item, oldest first: the pattern above (the last a delivery of 100), with the count at `countAt` when asked. */
function history(n: number, countAt: number | null): { movements: Movement[]; lots: string[] } {
  const lots: string[] = [];
  const held: number[] = [];
  const movements: Movement[] = [];
  let figure = 0;
  for (let k = 0; k < n - 1; k++) {
    if (k === countAt) {
      // The shelf found 1 short: one count row taking it from the lot that expires first.
      const from = held.findIndex((h) => h > 0);
      held[from]! -= 1;
      figure -= 1;
      movements.push({ kind: 'count', lot: lots[from]!, delta: -1, counted: figure });
      continue;
    }
    if (k % LOT_EVERY === 0) {
      const quantity = k === 0 ? 49 : LOT_EVERY - 1;
      lots.push(`B-${String(k / LOT_EVERY).padStart(5, '0')}`);
      held.push(quantity);
      figure += quantity;
      movements.push({ kind: 'restock', lot: lots[lots.length - 1]!, delta: quantity, counted: null });
    } else {
      const from = held.findIndex((h) => h > 0);
      held[from]! -= 1;
      figure -= 1;
      movements.push({ kind: 'use', lot: lots[from]!, delta: -1, counted: null });
    }
  }
  // Last, a delivery of 100 in a lot of its own: what the floor takes from, the uses taking the lots before it.
  lots.push('B-LAST');
  movements.push({ kind: 'restock', lot: 'B-LAST', delta: 100, counted: null });
  return { movements, lots };
}

async function seedCart(core: Core, session: Session, options: { movements: number; afterCount: number }): Promise<Seeded> {
  const backend = createBackend(core);
  const ok = <T>(what: string, res: { ok: true; value: T } | { ok: false; error: { message: string } }): T => {
    if (!res.ok) throw new Error(`${what}: ${res.error.message}`);
    return res.value;
  };
  const ward = listLocations(core).find((l) => l.kind === 'ward');
  if (!ward) throw new Error('The hospital has no ward for the cart.');
  const cart = ok(
    'The bench cart',
    await backend.invoke(session, 'stock.locations.create', { name: 'Crash cart (bench)', kind: 'crash_cart', locationId: ward.id }),
  ).id;
  const kept = async (code: string) => {
    const id = ok(code, await backend.invoke(session, 'stock.items.create', { name: `Bench item ${code}`, code, unit: 'each' })).id;
    ok(code, await backend.invoke(session, 'stock.levels.set', { stockLocationId: cart, itemId: id, par: 50, minimum: 5 }));
    return id;
  };
  const long = await kept('BENCH-LONG');
  const counted = await kept('BENCH-COUNTED');
  const short = await kept('BENCH-SHORT');
  const floor = await kept('BENCH-FLOOR');
  const admin = core.db.prepare('SELECT id FROM users WHERE name = ?').pluck().get(ADMIN.name) as string;
  const actor: Actor = { userId: admin, name: ADMIN.name, role: 'admin', via: 'app' };
  const insertLot = core.db.prepare(
    `INSERT INTO stock_lots (id, stock_location_id, item_id, lot, expires_on, on_hand, created_at, updated_at, pc_id)
     VALUES (@id, @loc, @item, @lot, @expires_on, 0, @at, @at, @pc)`,
  );
  const insertTx = core.db.prepare(
    `INSERT INTO stock_transactions (id, stock_location_id, item_id, lot_id, kind, delta, counted, reason, completion_id, at, user_id, user_name, pc_id)
     VALUES (@id, @loc, @item, @lot_id, @kind, @delta, @counted, @reason, NULL, @at, @user_id, @user_name, @pc)`,
  );
  // The history ends the evening before the bench's today (its clock reads 12:00), an hour apart.
  const end = Date.parse(`${addDaysTo(BENCH_TODAY, -1)}T20:00:00.000Z`);
  const plan = [
    { item: long, ...history(options.movements, null) },
    // The count row, then `afterCount` movements after it.
    { item: counted, ...history(options.movements + 1, options.movements - options.afterCount) },
    { item: short, ...history(options.afterCount, null) },
    { item: floor, ...history(1, null) },
  ];
  for (const p of plan) {
    const start = end - (p.movements.length - 1) * STEP_MS;
    const expiry = new Map<string, string>();
    inTransaction(core, (w) => {
      p.movements.forEach((m, k) => {
        const at = new Date(start + k * STEP_MS).toISOString();
        if (!expiry.has(m.lot)) {
          const expires_on = addDaysTo(at.slice(0, 10), 730);
          expiry.set(m.lot, expires_on);
          insertLot.run({ id: lotId(cart, p.item, m.lot, expires_on), loc: cart, item: p.item, lot: m.lot, expires_on, at, pc: core.pcId });
        }
        const id = uuidv7(Date.parse(at));
        insertTx.run({
          id,
          loc: cart,
          item: p.item,
          lot_id: lotId(cart, p.item, m.lot, expiry.get(m.lot)!),
          kind: m.kind,
          delta: m.delta,
          counted: m.counted,
          reason: m.kind === 'count' ? 'Bench: one missing' : null,
          at,
          user_id: admin,
          user_name: ADMIN.name,
          pc: core.pcId,
        });
        bindRow(w, actor, 'stock_transactions', { id }, m.kind);
      });
      recomputeItemStock(w, cart, p.item);
    });
  }
  return { cart, items: { long, counted, short, floor } };
}

/** The three use lines (and the seeding's time), each beside the bare insert and updates. */
export async function stockLines(core: Core, log: (l: string) => void, options: { movements: number; afterCount: number; runs: number }): Promise<Line[]> {
  const backend = createBackend(core);
  const session = await signedInAdmin(backend, core);
  const t0 = performance.now();
  const seeded = await seedCart(core, session, options);
  log(`  stock: seeded the cart's ${(2 * options.movements + 2 + options.afterCount).toLocaleString('en')} movements in ${Math.round(performance.now() - t0)} ms`);

  // The floor: the row the use writes, inserted bare, and the figures it changes, in one transaction.
  const lastLot = core.db.prepare("SELECT id FROM stock_lots WHERE stock_location_id = ? AND item_id = ? AND lot = 'B-LAST'").pluck();
  const insert = core.db.prepare(
    `INSERT INTO stock_transactions (id, stock_location_id, item_id, lot_id, kind, delta, counted, reason, completion_id, at, user_id, user_name, pc_id)
     VALUES (?, ?, ?, ?, 'use', -1, NULL, NULL, NULL, ?, NULL, ?, ?)`,
  );
  const level = core.db.prepare('UPDATE stock_levels SET on_hand = on_hand - 1, updated_at = ?, pc_id = ? WHERE stock_location_id = ? AND item_id = ?');
  const lot = core.db.prepare('UPDATE stock_lots SET on_hand = on_hand - 1, updated_at = ?, pc_id = ? WHERE id = ?');
  const bare = (item: string, lotId: string) =>
    inTransaction(core, () => {
      const at = core.clock.now().toISOString();
      insert.run(uuidv7(), seeded.cart, item, lotId, at, ADMIN.name, core.pcId);
      level.run(at, core.pcId, seeded.cart, item);
      lot.run(at, core.pcId, lotId);
    });
  const cases = [
    { item: seeded.items.long, what: `stock: record one use on an item whose place has a long history (${options.movements.toLocaleString('en')} movements, no count)` },
    {
      item: seeded.items.counted,
      what: `stock: record one use on an item whose place has a long history (${options.movements.toLocaleString('en')} movements, the last count ${options.afterCount} movements before its end)`,
    },
    { item: seeded.items.short, what: `stock: record one use, beside them: an item with ${options.afterCount} movements in all, on the same cart` },
  ];
  const lines: Line[] = [];
  const lotForFloor = lastLot.get(seeded.cart, seeded.items.floor) as string;
  for (const c of cases) {
    const t = await timePairAsync(
      () =>
        elapsed(async () => {
          const r = await backend.invoke(session, 'stock.use', { stockLocationId: seeded.cart, itemId: c.item, quantity: 1, lotId: null });
          if (!r.ok) throw new Error(`stock.use failed: ${r.error.message}`);
        }),
      async () => elapsed(() => bare(seeded.items.floor, lotForFloor)),
      options.runs,
      3,
    );
    lines.push({
      group: 'stock',
      what: c.what,
      unit: 'ms',
      value: t.ms,
      floor: t.floor,
      floorWhat: 'the same row inserted bare (another item of the cart), level and lot updated',
      // The use also writes its audit entry (a hash on the chain) and answers with the item's view:
      // a fixed cost the bare insert has not, so the ratio to it is reported, not judged.
      target: '< 50 ms (instant)',
      ok: judged(t.ms, t.floor, 50, null),
      rows: 1,
    });
    log(`  ${c.what}: ${t.ms.toFixed(2)} ms (floor ${t.floor.toFixed(2)} ms)`);
  }
  return lines;
}
