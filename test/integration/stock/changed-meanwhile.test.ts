import { describe, expect, it } from 'vitest';
import type { StockLocationHead, SupplyItem } from '../../../shared/domain/stock-catalog';
import { count } from '../equipment/fixtures';
import { fixedClock, testBackend } from '../../helpers/core';
import { call } from '../../helpers/invoke';
import { place } from '../plans/fixtures';
import { item, level, stockLocation } from './fixtures';

/**
 * A stock dialog (or the page's "No longer in use") acting on what it opened with, after someone else
 * changed the record meanwhile (another window, another PC through the hub): refused in words naming
 * what it is now, nothing written, never their change undone unseen; the next press, made on the
 * record as it now is, goes through.
 */
/** What the page or dialog showed, sent as `expected` (written out, as the screens send it). */
const shownPlace = (l: StockLocationHead) => ({ name: l.name, kind: l.kind, locationId: l.locationId, equipmentId: l.equipment?.id ?? null, active: l.active });
const shownItem = (i: SupplyItem) => ({ name: i.name, code: i.code, unit: i.unit, defaultSupplier: i.defaultSupplier, active: i.active });

const setup = () => testBackend('supervisor', { clock: fixedClock('2026-03-10T10:00:00Z') });

describe('stock locations changed meanwhile', () => {
  it('"No longer in use" on the name and place the page showed, after a rename, is refused naming the new name; the rename stays', async () => {
    const { backend, session, core } = setup();
    const cart = stockLocation(core, 'Crash cart');
    const shown = (await call(backend, session, 'stock.locations.get', { id: cart })).location;
    // Renamed meanwhile, in another window or at another PC.
    await call(backend, session, 'stock.locations.update', { id: cart, name: 'Crash cart 4B', kind: shown.kind, locationId: shown.locationId, equipmentId: null });
    const auditBefore = count(core, 'audit_log');
    const retire = (loc: typeof shown) =>
      backend.invoke(session, 'stock.locations.update', {
        id: loc.id,
        name: loc.name,
        kind: loc.kind,
        locationId: loc.locationId,
        equipmentId: loc.equipment?.id ?? null,
        active: false,
        expected: shownPlace(loc),
      });
    expect(await retire(shown)).toMatchObject({
      ok: false,
      error: {
        code: 'conflict',
        field: 'expected.name',
        message: 'Crash cart was changed by someone else since you opened this (now called "Crash cart 4B"): check it, and try again if you still mean to.',
      },
    });
    expect(count(core, 'audit_log')).toBe(auditBefore);
    expect((await call(backend, session, 'stock.locations.get', { id: cart })).location).toMatchObject({ name: 'Crash cart 4B', active: true });
    // Pressed again on the page as it now reads: retired, under the name it now has.
    const now = (await call(backend, session, 'stock.locations.get', { id: cart })).location;
    expect(await retire(now)).toMatchObject({ ok: true, value: { name: 'Crash cart 4B', active: false } });
  });

  it('Change… opened before the stock location was moved and retired elsewhere says both, and keeps them', async () => {
    const { backend, session, core } = setup();
    const cart = stockLocation(core, 'Crash cart', { location: 'General Hospital > Ward 4B' });
    const ward5 = place(core, 'General Hospital > Ward 5');
    const opened = (await call(backend, session, 'stock.locations.get', { id: cart })).location;
    await call(backend, session, 'stock.locations.update', { id: cart, name: 'Crash cart', kind: 'crash_cart', locationId: ward5, equipmentId: null, active: false });
    const res = await backend.invoke(session, 'stock.locations.update', {
      id: cart,
      name: 'Crash cart',
      kind: 'store',
      locationId: opened.locationId,
      equipmentId: null,
      active: true,
      expected: shownPlace(opened),
    });
    expect(res).toMatchObject({
      ok: false,
      error: {
        field: 'expected.locationId',
        message:
          'Crash cart was changed by someone else since you opened this (now at General Hospital > Ward 5, no longer in use now): check it, and try again if you still mean to.',
      },
    });
    expect((await call(backend, session, 'stock.locations.get', { id: cart })).location).toMatchObject({ kind: 'crash_cart', locationId: ward5, active: false });
  });
});

describe('supply items changed meanwhile', () => {
  it('"Stop using…" confirmed after someone renamed the item is refused naming the new name; the next press keeps it', async () => {
    const { backend, session, core } = setup();
    const gel = item(core, 'GEL', 'Ultrasound gel', 'bottle');
    const shown = (await call(backend, session, 'stock.items.list', {})).find((i) => i.id === gel)!;
    await call(backend, session, 'stock.items.update', { id: gel, name: 'Ultrasound gel 250 ml', code: 'GEL', unit: 'bottle', defaultSupplier: 'Medisupply' });
    const stop = (i: typeof shown) =>
      backend.invoke(session, 'stock.items.update', { id: i.id, name: i.name, code: i.code, unit: i.unit, defaultSupplier: i.defaultSupplier, active: false, expected: shownItem(i) });
    expect(await stop(shown)).toMatchObject({
      ok: false,
      error: {
        code: 'conflict',
        field: 'expected.name',
        message:
          'Ultrasound gel was changed by someone else since you opened this (now called "Ultrasound gel 250 ml", supplied by Medisupply now): check it, and try again if you still mean to.',
      },
    });
    expect((await call(backend, session, 'stock.items.list', {})).find((i) => i.id === gel)).toMatchObject({ name: 'Ultrasound gel 250 ml', active: true });
    const now = (await call(backend, session, 'stock.items.list', {})).find((i) => i.id === gel)!;
    expect(await stop(now)).toMatchObject({ ok: true, value: { name: 'Ultrasound gel 250 ml', defaultSupplier: 'Medisupply', active: false } });
  });
});

describe('levels changed meanwhile', () => {
  it('a minimum saved in a dialog opened before someone changed the par is refused naming the levels now; the par stays; the next save keeps both', async () => {
    const { backend, session, core } = setup();
    const cart = stockLocation(core, 'Crash cart 4B');
    const pads = item(core, 'PAD', 'Defib pads');
    level(core, cart, pads, 6, 1);
    await call(backend, session, 'stock.levels.set', { stockLocationId: cart, itemId: pads, par: 10, minimum: 1 });
    const res = await backend.invoke(session, 'stock.levels.set', { stockLocationId: cart, itemId: pads, par: 6, minimum: 2, expected: { par: 6, minimum: 1 } });
    expect(res).toMatchObject({
      ok: false,
      error: {
        code: 'conflict',
        field: 'expected.par',
        message: 'The levels of Defib pads at Crash cart 4B were changed by someone else since you opened this (now par 10, minimum 1): check them, and save again if you still mean to.',
      },
    });
    expect(await call(backend, session, 'stock.locations.get', { id: cart })).toMatchObject({ items: [{ par: 10, minimum: 1 }] });
    expect(await backend.invoke(session, 'stock.levels.set', { stockLocationId: cart, itemId: pads, par: 10, minimum: 2, expected: { par: 10, minimum: 1 } })).toMatchObject({
      ok: true,
      value: { par: 10, minimum: 2 },
    });
  });

  it('levels saved for an item someone else took off the list meanwhile are refused once, saying who took it off and when; nothing is put back', async () => {
    const { backend, session, core } = setup();
    const cart = stockLocation(core, 'Crash cart 4B');
    const pads = item(core, 'PAD', 'Defib pads');
    level(core, cart, pads, 6, 1);
    await call(backend, session, 'stock.levels.remove', { stockLocationId: cart, itemId: pads });
    const auditBefore = count(core, 'audit_log');
    const res = await backend.invoke(session, 'stock.levels.set', { stockLocationId: cart, itemId: pads, par: 6, minimum: 2, expected: { par: 6, minimum: 1 } });
    expect(res).toMatchObject({
      ok: false,
      error: {
        code: 'not_found',
        field: 'expected',
        message:
          'Defib pads is no longer kept at Crash cart 4B: Test supervisor took it off the list at 03/10/2026 06:00, so it has no levels to save. Close this; keep it here again below the list if it is needed.',
      },
    });
    expect(count(core, 'audit_log')).toBe(auditBefore);
    expect((await call(backend, session, 'stock.locations.get', { id: cart })).items).toEqual([]);
  });

  it('levels saved for an item taken off the list and no longer used since are refused once, saying who stopped using it', async () => {
    const { backend, session, core } = setup();
    const cart = stockLocation(core, 'Crash cart 4B');
    const pads = item(core, 'PAD', 'Defib pads');
    level(core, cart, pads, 6, 1);
    await call(backend, session, 'stock.levels.remove', { stockLocationId: cart, itemId: pads });
    await call(backend, session, 'stock.items.update', { id: pads, name: 'Defib pads', code: 'PAD', unit: 'each', defaultSupplier: null, active: false });
    const res = await backend.invoke(session, 'stock.levels.set', { stockLocationId: cart, itemId: pads, par: 6, minimum: 2, expected: { par: 6, minimum: 1 } });
    expect(res).toMatchObject({
      ok: false,
      error: {
        code: 'not_found',
        field: 'expected',
        message:
          'Defib pads is no longer used: Test supervisor stopped using it at 03/10/2026 06:00, and no longer kept at Crash cart 4B, so it has no levels to save here. Close this; it can be put back in use under Supply items if it is needed.',
      },
    });
    expect((await call(backend, session, 'stock.locations.get', { id: cart })).items).toEqual([]);
  });
});

describe('"Keep another item here" over an item put on the list meanwhile', () => {
  it('is refused beside the item, naming who added it, when, and its levels; they stay', async () => {
    const { backend, session, core } = setup();
    const cart = stockLocation(core, 'Crash cart 4B');
    const pads = item(core, 'PAD', 'Defib pads');
    // Added in another window (or at another PC, arriving through the hub) after this page was read.
    await call(backend, session, 'stock.levels.set', { stockLocationId: cart, itemId: pads, par: 6, minimum: 1 });
    const auditBefore = count(core, 'audit_log');
    const res = await backend.invoke(session, 'stock.levels.set', { stockLocationId: cart, itemId: pads, par: 10, minimum: 2, expected: null });
    expect(res).toMatchObject({
      ok: false,
      error: {
        code: 'conflict',
        field: 'itemId',
        message:
          'Defib pads is already kept at Crash cart 4B: Test supervisor added it at 03/10/2026 06:00, with par 6, minimum 1. Change them with its Levels… if they should be otherwise.',
      },
    });
    expect(count(core, 'audit_log')).toBe(auditBefore);
    expect((await call(backend, session, 'stock.locations.get', { id: cart })).items).toMatchObject([{ par: 6, minimum: 1 }]);
  });

  it('an item added by sync with no audit entry here yet is refused all the same, without a name', async () => {
    const { backend, session, core } = setup();
    const cart = stockLocation(core, 'Crash cart 4B');
    const pads = item(core, 'PAD', 'Defib pads');
    core.db
      .prepare("INSERT INTO stock_levels (stock_location_id, item_id, par, minimum, on_hand, created_at, updated_at, pc_id) VALUES (?, ?, 6, 1, 0, '2026-03-10T09:00:00.000Z', '2026-03-10T09:00:00.000Z', 'other')")
      .run(cart, pads);
    expect(await backend.invoke(session, 'stock.levels.set', { stockLocationId: cart, itemId: pads, par: 10, minimum: 2, expected: null })).toMatchObject({
      ok: false,
      error: {
        field: 'itemId',
        message:
          'Defib pads is already kept at Crash cart 4B: someone else added it since this page was read, with par 6, minimum 1. Change them with its Levels… if they should be otherwise.',
      },
    });
  });

  it('an item not kept there is added as before', async () => {
    const { backend, session, core } = setup();
    const cart = stockLocation(core, 'Crash cart 4B');
    const pads = item(core, 'PAD', 'Defib pads');
    expect(await backend.invoke(session, 'stock.levels.set', { stockLocationId: cart, itemId: pads, par: 10, minimum: 2, expected: null })).toMatchObject({
      ok: true,
      value: { par: 10, minimum: 2, onHand: 0 },
    });
  });
});
