import { describe, expect, it } from 'vitest';
import { fixedClock, testBackend } from '../../helpers/core';
import { call } from '../../helpers/invoke';
import { item, ledgerProblems, level, lotOnHand, onHand, stock, stockLocation } from './fixtures';

const NOW = '2026-03-10T10:00:00Z';
const setup = () => testBackend('supervisor', { clock: fixedClock(NOW) });
const txCount = (core: { db: { prepare: (s: string) => { get: () => unknown } } }) =>
  (core.db.prepare('SELECT count(*) AS n FROM stock_transactions').get() as { n: number }).n;

describe('stock operations refused with a sentence, and figures that add up', () => {
  it('discard whole lot, more than lot, adjust below zero, remove with stock', async () => {
    const { backend, session, core } = setup();
    const cart = stockLocation(core);
    const pads = item(core, 'PADS');
    level(core, cart, pads, 10, 2);
    const a = stock(core, cart, pads, 3, 'A', '2026-12-01');
    const b = stock(core, cart, pads, 4, 'B', '2027-12-01');
    const n0 = txCount(core);
    const more = await backend.invoke(session, 'stock.discard', { lotId: a, quantity: 4, reason: null });
    expect(more).toMatchObject({ ok: false, error: { field: 'quantity' } });
    expect(txCount(core)).toBe(n0);
    await call(backend, session, 'stock.discard', { lotId: a, quantity: null, reason: 'damaged' });
    expect(lotOnHand(core, a)).toBe(0);
    expect(onHand(core, cart, pads)).toBe(4);
    const below = await backend.invoke(session, 'stock.adjust', { stockLocationId: cart, itemId: pads, lotId: b, delta: -5, reason: 'x' });
    expect(below).toMatchObject({ ok: false, error: { field: 'delta' } });
    const rm = await backend.invoke(session, 'stock.levels.remove', { stockLocationId: cart, itemId: pads });
    expect(rm).toMatchObject({ ok: false, error: { code: 'conflict' } });
    // a lot at another location in a stock check / use
    const store = stockLocation(core, 'Store', { kind: 'store' });
    level(core, store, pads, 10, 2);
    const use = await backend.invoke(session, 'stock.use', { stockLocationId: store, itemId: pads, quantity: 1, lotId: b });
    expect(use).toMatchObject({ ok: false, error: { field: 'lotId' } });
    const adj = await backend.invoke(session, 'stock.adjust', { stockLocationId: store, itemId: pads, lotId: b, delta: -1, reason: 'x' });
    expect(adj).toMatchObject({ ok: false, error: { field: 'lotId' } });
    expect(ledgerProblems(core)).toEqual([]);
  });

  it('a whole-lot discard chosen on a screen that showed another figure is refused, naming the figure now; with the figure shown it goes', async () => {
    const { backend, session, core } = testBackend('admin', { clock: fixedClock(NOW) });
    await call(backend, session, 'settings.update', { dateFormat: 'dd/MM/yyyy' });
    const cart = stockLocation(core, 'Crash cart 4B');
    const adr = item(core, 'ADR-1MG', 'Adrenaline 1 mg', 'ampoule');
    level(core, cart, adr, 10, 1);
    const lot = stock(core, cart, adr, 4, 'ADR-7', '2027-01-31');
    // The technician saw 4; meanwhile a colleague put 3 more of the lot on the cart.
    stock(core, cart, adr, 3, 'ADR-7', '2027-01-31');
    const n0 = txCount(core);
    const stale = await backend.invoke(session, 'stock.discard', { lotId: lot, quantity: null, reason: 'Box dropped', expectedOnHand: 4 });
    expect(stale).toEqual({
      ok: false,
      error: {
        code: 'conflict',
        field: 'lotId',
        message:
          'Adrenaline 1 mg (ADR-1MG): lot ADR-7 (expires 31/01/2027) now holds 7 ampoule on record, not the 4 shown: it was changed meanwhile. ' +
          'Check the shelf, then save again to discard from what it holds now.',
      },
    });
    expect(txCount(core)).toBe(n0);
    expect(lotOnHand(core, lot)).toBe(7);
    await call(backend, session, 'stock.discard', { lotId: lot, quantity: null, reason: 'Box dropped', expectedOnHand: 7 });
    expect(lotOnHand(core, lot)).toBe(0);
    expect(ledgerProblems(core)).toEqual([]);
  });

  it('the reorder and expiry lists say how many items the stock in view keeps, inside a location as the lists go', async () => {
    const { backend, session, core } = setup();
    const lists = async (scope: { stockLocationId?: string; locationId?: string }) => [
      (await call(backend, session, 'stock.reorderList', scope)).itemsKept,
      (await call(backend, session, 'stock.expiryList', scope)).itemsKept,
    ];
    // A PC that keeps no stock: nothing is kept, not "nothing below its minimum".
    expect(await lists({})).toEqual([0, 0]);
    const cart = stockLocation(core, 'Crash cart 4B', { location: 'General Hospital > Ward 4B > Bay 2' });
    const store = stockLocation(core, 'Ward 4B store', { kind: 'store', location: 'General Hospital > Ward 4B' });
    level(core, cart, item(core, 'PADS'), 4, 2);
    level(core, cart, item(core, 'ADR'), 6, 4);
    level(core, store, item(core, 'GEL'), 6, 2);
    const ward = (await call(backend, session, 'locations.list', {})).find((l) => l.path === 'General Hospital > Ward 4B')!;
    const bay = (await call(backend, session, 'locations.list', {})).find((l) => l.path === 'General Hospital > Ward 4B > Bay 2')!;
    expect(await lists({})).toEqual([3, 3]);
    // The ward's lists cover the cart in its bay too; the bay's only the cart.
    expect(await lists({ locationId: ward.id })).toEqual([3, 3]);
    expect(await lists({ locationId: bay.id })).toEqual([2, 2]);
    expect(await lists({ stockLocationId: store })).toEqual([1, 1]);
    // A stock location kept at no longer in use is on no list.
    await call(backend, session, 'stock.locations.update', { id: store, name: 'Ward 4B store', kind: 'store', locationId: ward.id, equipmentId: null, active: false });
    expect(await lists({ locationId: ward.id })).toEqual([2, 2]);
  });

  it('restock expiry in the past is refused; today allowed; same lot different expiries', async () => {
    const { backend, session, core } = setup();
    const cart = stockLocation(core);
    const pads = item(core, 'PADS');
    level(core, cart, pads, 10, 2);
    const key = { stockLocationId: cart, itemId: pads };
    const past = await backend.invoke(session, 'stock.restock', { ...key, quantity: 1, lot: 'X', expiresOn: '2026-03-09' });
    expect(past).toMatchObject({ ok: false, error: { field: 'expiresOn' } });
    expect(txCount(core)).toBe(0);
    await call(backend, session, 'stock.restock', { ...key, quantity: 1, lot: 'X', expiresOn: '2026-03-10' });
    await call(backend, session, 'stock.restock', { ...key, quantity: 2, lot: 'L1', expiresOn: '2026-06-01' });
    const v = await call(backend, session, 'stock.restock', { ...key, quantity: 3, lot: 'L1', expiresOn: '2026-09-01' });
    expect(v.lots.map((l) => [l.lot, l.expiresOn, l.onHand])).toEqual([
      ['X', '2026-03-10', 1],
      ['L1', '2026-06-01', 2],
      ['L1', '2026-09-01', 3],
    ]);
    expect(v.lots[0]!.expiry).toBe('expiring');
  });

  it('FEFO with undated lots, in count and in use', async () => {
    const { backend, session, core } = setup();
    const cart = stockLocation(core);
    const pads = item(core, 'PADS');
    level(core, cart, pads, 10, 2);
    const und = stock(core, cart, pads, 2, 'U', null);
    const late = stock(core, cart, pads, 2, 'LATE', '2027-01-01');
    const soon = stock(core, cart, pads, 2, 'SOON', '2026-05-01');
    await call(backend, session, 'stock.use', { stockLocationId: cart, itemId: pads, quantity: 3, lotId: null });
    expect([lotOnHand(core, soon), lotOnHand(core, late), lotOnHand(core, und)]).toEqual([0, 1, 2]);
    await call(backend, session, 'stock.count', { stockLocationId: cart, itemId: pads, counted: 2, note: null });
    expect([lotOnHand(core, late), lotOnHand(core, und)]).toEqual([0, 2]);
    expect(ledgerProblems(core)).toEqual([]);
  });

  it('reorder quantity and expiry list boundaries; CSV equals screen', async () => {
    const { backend, session, core } = setup();
    const cart = stockLocation(core);
    const pads = item(core, 'PADS');
    level(core, cart, pads, 10, 5);
    stock(core, cart, pads, 1, 'EXP', '2026-03-09');
    stock(core, cart, pads, 1, 'TODAY', '2026-03-10');
    stock(core, cart, pads, 1, 'LAST', '2026-04-09');
    stock(core, cart, pads, 1, 'AFTER', '2026-04-10');
    const r = await call(backend, session, 'stock.reorderList', {});
    expect(r.rows.map((x) => [x.usable, x.expired, x.orderQuantity])).toEqual([[3, 1, 7]]);
    const e = await call(backend, session, 'stock.expiryList', {});
    expect(e.rows.map((x) => [x.lot, x.status, x.days])).toEqual([
      ['EXP', 'expired', -1],
      ['TODAY', 'expiring', 0],
      ['LAST', 'expiring', 30],
    ]);
    const csv = await call(backend, session, 'stock.export', { list: 'reorder' });
    expect(csv.content).toContain(',3,1,5,10,7,');
    const csv2 = await call(backend, session, 'stock.export', { list: 'expiry' });
    expect(csv2.count).toBe(3);
  });

  it('a retired stock location whose ward has since gone: saving it where it was names the ward and asks where it is now; nothing is written', async () => {
    const { backend, session, core } = testBackend('admin', { clock: fixedClock(NOW) });
    const site = await call(backend, session, 'locations.create', { name: 'General Hospital' });
    const old = await call(backend, session, 'locations.create', { name: 'Ward 9', parentId: site.id });
    const ward = await call(backend, session, 'locations.create', { name: 'Ward 4B', parentId: site.id });
    const cart = await call(backend, session, 'stock.locations.create', { name: 'Crash cart 2', kind: 'crash_cart', locationId: old.id });
    const fields = { id: cart.id, name: 'Crash cart 2', kind: 'crash_cart' as const, locationId: old.id, equipmentId: null };
    await call(backend, session, 'stock.locations.update', { ...fields, active: false });
    await call(backend, session, 'locations.deactivate', { id: old.id });
    const before = core.db.prepare('SELECT location_id, active FROM stock_locations WHERE id = ?').get(cart.id);
    const back = await backend.invoke(session, 'stock.locations.update', { ...fields, active: true });
    expect(back).toMatchObject({
      ok: false,
      error: { field: 'locationId', message: 'General Hospital > Ward 9 is no longer in use: choose where Crash cart 2 is now.' },
    });
    expect(core.db.prepare('SELECT location_id, active FROM stock_locations WHERE id = ?').get(cart.id)).toEqual(before);
    // Put where it is now, it is back in use there.
    const moved = await call(backend, session, 'stock.locations.update', { ...fields, locationId: ward.id, active: true });
    expect(moved).toMatchObject({ active: true, locationPath: 'General Hospital > Ward 4B' });
  });

  it('supply codes differing in case/space on update', async () => {
    const { backend, session } = setup();
    await call(backend, session, 'stock.items.create', { name: 'ECG pads', code: 'ECG PAD', unit: 'each' });
    const b = await call(backend, session, 'stock.items.create', { name: 'Gauze', code: 'GZ', unit: 'each' });
    const clash = await backend.invoke(session, 'stock.items.update', { id: b.id, name: 'Gauze', code: ' ecg   pad ', unit: 'each' });
    expect(clash).toMatchObject({ ok: false, error: { code: 'conflict', field: 'code' } });
  });
});
