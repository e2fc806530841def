import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../../main/core/audit';
import { newSession } from '../../../main/core/session';
import { fixedClock, testBackend } from '../../helpers/core';
import { place } from '../plans/fixtures';
import { item, ledgerProblems, level, lotOnHand, onHand, stock, stockLocation } from './fixtures';
import { signedInUser } from '../../helpers/users';
import { call } from '../../helpers/invoke';

const NOW = '2026-03-10T10:00:00Z';

const ok = call;

function setup() {
  const t = testBackend('supervisor', { clock: fixedClock(NOW) });
  return t;
}

describe('supply items, stock locations and par levels', () => {
  it('keeps codes unique whatever their case, and minimum ≤ par', async () => {
    const { backend, session, core } = setup();
    await ok(backend, session, 'stock.items.create', { name: 'Defibrillator pads', code: 'DEF-PAD', unit: 'pair', defaultSupplier: 'MedSupply' });
    const clash = await backend.invoke(session, 'stock.items.create', { name: 'Pads again', code: ' def-pad ', unit: 'pair' });
    expect(clash).toMatchObject({ ok: false, error: { code: 'conflict', field: 'code', message: 'The code DEF-PAD is already used by Defibrillator pads; choose another.' } });
    const cart = stockLocation(core);
    const pads = item(core, 'PADS');
    const bad = await backend.invoke(session, 'stock.levels.set', { stockLocationId: cart, itemId: pads, par: 2, minimum: 3 });
    expect(bad).toMatchObject({ ok: false, error: { field: 'minimum', message: 'The minimum (3) must not be more than the par level (2).' } });
    const view = await ok(backend, session, 'stock.levels.set', {
      stockLocationId: cart,
      itemId: pads,
      par: 4,
      minimum: 2,
    });
    expect(view).toMatchObject({ par: 4, onHand: 0, flags: { belowMinimum: true, reorderQuantity: 4 } });
  });

  it('lets technicians see and work stock, not change the catalogue', async () => {
    const { backend, core } = setup();
    const tech = newSession(core.clock.now().getTime());
    signedInUser(core, 'technician', { name: 'Tess Tech', session: tech });
    expect(await backend.invoke(tech, 'stock.items.create', { name: 'Gauze', code: 'G', unit: 'pack' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await backend.invoke(tech, 'stock.locations.list', {})).toMatchObject({ ok: true });
    const cart = stockLocation(core);
    const gauze = item(core, 'GAUZE');
    level(core, cart, gauze, 5, 2);
    expect(await backend.invoke(tech, 'stock.adjust', { stockLocationId: cart, itemId: gauze, delta: 1, reason: 'found' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });

  it('refuses a stock location in a place that does not exist, and a second one of the same name there', async () => {
    const { backend, session, core } = setup();
    const ward = place(core, 'General Hospital > Ward 4B');
    await ok(backend, session, 'stock.locations.create', { name: 'Crash cart', kind: 'crash_cart', locationId: ward });
    expect(await backend.invoke(session, 'stock.locations.create', { name: 'crash CART', kind: 'crash_cart', locationId: ward })).toMatchObject({
      ok: false,
      error: { code: 'conflict', field: 'name' },
    });
    expect(await backend.invoke(session, 'stock.locations.create', { name: 'Store', kind: 'store', locationId: '01900000-0000-7000-8000-000000000001' })).toMatchObject({
      ok: false,
      error: { code: 'not_found', field: 'locationId' },
    });
  });
});

describe('on hand is derived from transactions', () => {
  it('restock, use, discard a whole lot, adjust and count: every figure is the sum of its transactions', async () => {
    const { backend, session, core } = setup();
    const cart = stockLocation(core);
    const pads = item(core, 'PADS', 'Defibrillator pads', 'pair');
    level(core, cart, pads, 4, 2);
    const key = { stockLocationId: cart, itemId: pads };
    await ok(backend, session, 'stock.restock', { ...key, quantity: 2, lot: 'OLD', expiresOn: '2026-03-31' });
    await ok(backend, session, 'stock.restock', { ...key, quantity: 3, lot: 'NEW', expiresOn: '2027-01-31' });
    expect(onHand(core, cart, pads)).toBe(5);

    // Use takes the unexpired lot soonest to expire first.
    let view = await ok(backend, session, 'stock.use', { ...key, quantity: 1 });
    expect(view.lots.map((l) => [l.lot, l.onHand])).toEqual([['OLD', 1], ['NEW', 3]]);

    // Discard the whole OLD lot (quantity null).
    const old = view.lots.find((l) => l.lot === 'OLD')!;
    view = await ok(backend, session, 'stock.discard', { lotId: old.id, quantity: null, reason: null });
    expect(view.lots.map((l) => l.lot)).toEqual(['NEW']);
    expect(lotOnHand(core, old.id)).toBe(0);
    expect(view.onHand).toBe(3);

    // A supervisor's adjustment goes to the unrecorded lot; a count that finds fewer takes from the soonest lot.
    await ok(backend, session, 'stock.adjust', { ...key, delta: 2, reason: 'Found in the drawer' });
    view = await ok(backend, session, 'stock.count', { ...key, counted: 4 });
    expect(view.onHand).toBe(4);
    expect(view.lots.map((l) => [l.lot, l.onHand])).toEqual([['NEW', 2], [null, 2]]);

    const kinds = core.db.prepare('SELECT kind, delta, counted FROM stock_transactions ORDER BY rowid').all();
    expect(kinds).toEqual([
      { kind: 'restock', delta: 2, counted: null },
      { kind: 'restock', delta: 3, counted: null },
      { kind: 'use', delta: -1, counted: null },
      { kind: 'discard', delta: -1, counted: null },
      { kind: 'adjust', delta: 2, counted: null },
      { kind: 'count', delta: -1, counted: 4 },
    ]);
    expect(ledgerProblems(core)).toEqual([]);
    // Never an overwrite: the transactions are permanent.
    expect(() => core.db.prepare('UPDATE stock_transactions SET delta = 0').run()).toThrow(/permanent/);
    expect(verifyAuditChain(core.db)).toMatchObject({ ok: true });
  });

  it('refuses to use more than is on hand, naming the item and the stock location, and writes nothing', async () => {
    const { backend, session, core } = setup();
    const cart = stockLocation(core, 'Crash cart 4B');
    const pads = item(core, 'PADS', 'Defibrillator pads', 'pair');
    level(core, cart, pads, 4, 2);
    stock(core, cart, pads, 2, 'A', '2027-01-01');
    const before = core.db.prepare('SELECT count(*) AS n FROM stock_transactions').get();
    const res = await backend.invoke(session, 'stock.use', { stockLocationId: cart, itemId: pads, quantity: 3 });
    expect(res).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', field: 'quantity', message: 'Only 2 pair of Defibrillator pads (PADS) are on hand at Crash cart 4B, so 3 cannot be taken from there.' },
    });
    expect(core.db.prepare('SELECT count(*) AS n FROM stock_transactions').get()).toEqual(before);
  });

  it('refuses to put expired stock on the shelf', async () => {
    const { backend, session, core } = setup();
    const cart = stockLocation(core);
    const pads = item(core, 'PADS');
    level(core, cart, pads, 4, 2);
    expect(await backend.invoke(session, 'stock.restock', { stockLocationId: cart, itemId: pads, quantity: 1, lot: 'X', expiresOn: '2026-03-09' })).toMatchObject({
      ok: false,
      error: { field: 'expiresOn' },
    });
  });

  it('property: after any sequence of stock operations, every figure equals the sum of its transactions and none is negative', async () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('restock' as const), item: fc.nat(2), quantity: fc.integer({ min: 1, max: 8 }), lot: fc.constantFrom('A', 'B', ''), expires: fc.option(fc.integer({ min: 0, max: 90 }), { nil: null }) }),
      fc.record({ kind: fc.constant('use' as const), item: fc.nat(2), quantity: fc.integer({ min: 1, max: 8 }) }),
      fc.record({ kind: fc.constant('count' as const), item: fc.nat(2), counted: fc.integer({ min: 0, max: 20 }) }),
      fc.record({ kind: fc.constant('discard' as const), item: fc.nat(2), pick: fc.nat(5), whole: fc.boolean() }),
      fc.record({ kind: fc.constant('adjust' as const), item: fc.nat(2), delta: fc.integer({ min: -5, max: 5 }).filter((n) => n !== 0) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
        const { backend, session, core } = setup();
        const cart = stockLocation(core);
        const items = [item(core, 'I0'), item(core, 'I1'), item(core, 'I2')];
        for (const i of items) level(core, cart, i, 10, 3);
        const sums = new Map(items.map((i) => [i, 0]));
        for (const o of ops) {
          const itemId = items[o.item]!;
          const key = { stockLocationId: cart, itemId };
          let res;
          if (o.kind === 'restock') {
            const expiresOn = o.expires === null ? null : new Date(Date.UTC(2026, 2, 10 + o.expires)).toISOString().slice(0, 10);
            res = await backend.invoke(session, 'stock.restock', { ...key, quantity: o.quantity, lot: o.lot, expiresOn });
          } else if (o.kind === 'use') res = await backend.invoke(session, 'stock.use', { ...key, quantity: o.quantity });
          else if (o.kind === 'count') res = await backend.invoke(session, 'stock.count', { ...key, counted: o.counted });
          else if (o.kind === 'adjust') res = await backend.invoke(session, 'stock.adjust', { ...key, delta: o.delta, reason: 'property' });
          else {
            const lots = core.db.prepare('SELECT id, on_hand FROM stock_lots WHERE item_id = ? AND on_hand > 0 ORDER BY rowid').all(itemId) as { id: string; on_hand: number }[];
            const lot = lots[o.pick % Math.max(1, lots.length)];
            if (!lot) continue;
            res = await backend.invoke(session, 'stock.discard', { lotId: lot.id, quantity: o.whole ? null : 1, reason: null });
          }
          // Refusals are sentences (too many used, an adjustment below zero), never internal errors.
          if (!res.ok) expect(res.error.code).toBe('invalid_input');
          sums.set(itemId, onHand(core, cart, itemId));
        }
        expect(ledgerProblems(core)).toEqual([]);
        for (const [itemId, n] of sums) {
          const tx = core.db.prepare('SELECT coalesce(sum(delta), 0) AS n FROM stock_transactions WHERE item_id = ?').get(itemId) as { n: number };
          expect(tx.n).toBe(n);
        }
        core.close();
      }),
      { numRuns: 40 },
    );
  });
});

describe('the reorder and expiry lists', () => {
  it('lists items below minimum with the quantity to reach par, expired and expiring lots, and exports them as CSV', async () => {
    const { backend, session, core } = setup();
    const cart = stockLocation(core, 'Crash cart', { location: 'General Hospital > Ward 4B' });
    const store = stockLocation(core, 'Ward store', { kind: 'store', location: 'General Hospital > Ward 5' });
    const pads = item(core, 'PADS', 'Defibrillator pads', 'pair');
    const adrenaline = item(core, 'ADR-1MG', 'Adrenaline 1 mg', 'ampoule');
    const gloves = item(core, 'GLOVES-M', 'Gloves, medium', 'box');
    level(core, cart, pads, 4, 2);
    level(core, cart, adrenaline, 10, 6);
    level(core, store, gloves, 20, 5);
    stock(core, cart, pads, 1, 'P1', '2027-01-01'); // below minimum: order 3
    stock(core, cart, adrenaline, 3, 'OLD', '2026-03-01'); // expired
    stock(core, cart, adrenaline, 5, 'SOON', '2026-03-25'); // expiring within 30 days; usable 5 < 6
    stock(core, store, gloves, 30, 'G', null); // above par

    const reorder = await ok(backend, session, 'stock.reorderList', {});
    expect(reorder.scope).toBe('all stock locations');
    expect(reorder.rows.map((r) => [r.name, r.usable, r.expired, r.orderQuantity])).toEqual([
      ['Adrenaline 1 mg', 5, 3, 5],
      ['Defibrillator pads', 1, 0, 3],
    ]);
    const expiry = await ok(backend, session, 'stock.expiryList', { stockLocationId: cart });
    expect(expiry.rows.map((r) => [r.name, r.lot, r.status, r.days, r.onHand])).toEqual([
      ['Adrenaline 1 mg', 'OLD', 'expired', -9, 3],
      ['Adrenaline 1 mg', 'SOON', 'expiring', 15, 5],
    ]);
    const ward5 = place(core, 'General Hospital > Ward 5');
    expect((await ok(backend, session, 'stock.reorderList', { locationId: ward5 })).rows).toEqual([]);

    const csv = await ok(backend, session, 'stock.export', { list: 'reorder' });
    expect(csv.fileName).toBe('wardkeep-reorder-2026-03-10.csv');
    expect(csv.content).toBe(
      'Stock location,Location,Code,Item,Unit,Usable on hand,Expired on hand,Minimum,Par,Order quantity,Supplier\r\n' +
        'Crash cart,General Hospital > Ward 4B,ADR-1MG,Adrenaline 1 mg,ampoule,5,3,6,10,5,\r\n' +
        'Crash cart,General Hospital > Ward 4B,PADS,Defibrillator pads,pair,1,0,2,4,3,\r\n',
    );
    const exp = await ok(backend, session, 'stock.export', { list: 'expiry' });
    expect(exp.content.split('\r\n')[1]).toBe('Crash cart,General Hospital > Ward 4B,ADR-1MG,Adrenaline 1 mg,ampoule,OLD,2026-03-01,3,Expired,-9');

    // The threshold is a setting: at 7 days the SOON lot is no longer flagged.
    const admin = newSession(core.clock.now().getTime());
    signedInUser(core, 'admin', { name: 'Admin', session: admin });
    await ok(backend, admin, 'settings.update', { stockExpiringWithinDays: 7 });
    expect((await ok(backend, session, 'stock.expiryList', {})).rows).toHaveLength(1);

    const list = await ok(backend, session, 'stock.locations.list', {});
    expect(list.map((l) => [l.name, l.belowMinimum, l.expired, l.expiringSoon])).toEqual([
      ['Crash cart', 2, 1, 0],
      ['Ward store', 0, 0, 0],
    ]);
  });
});
