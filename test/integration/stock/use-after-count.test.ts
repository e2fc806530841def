import { describe, expect, it } from 'vitest';
import type { Backend } from '../../../main/core/backend';
import { createBackend } from '../../../main/core/backend';
import { newSession } from '../../../main/core/session';
import { formatDateTime, localTime } from '../../../shared/date-format';
import { fixedClock, testCore } from '../../helpers/core';
import { caller } from '../../helpers/invoke';
import { device } from '../plans/fixtures';
import { repairsWorld } from '../repairs/fixture';
import { item, ledgerProblems, level, onHand, stock, stockLocation } from './fixtures';

const PIN = '2468';

/**
 * An admin at a PC whose clock the test moves, dates written dd/MM/yyyy; a crash cart on Ward 4B
 * holding 5 pairs of defibrillator pads, and a pump whose safety test uses them.
 */
async function world() {
  const clock = fixedClock('2026-03-10T08:00:00Z');
  const core = testCore({ clock });
  const backend: Backend = createBackend(core, {
    logError: (e) => {
      throw e;
    },
  });
  const session = newSession(core.clock.now().getTime());
  expect(await backend.invoke(session, 'auth.setupFirstAdmin', { name: 'Ada Admin', password: 'correct horse battery', pin: PIN })).toMatchObject({ ok: true });
  const call = caller(backend, session);
  await call('settings.update', { dateFormat: 'dd/MM/yyyy' });
  const cart = stockLocation(core, 'Crash cart 4B');
  const pads = item(core, 'PADS', 'Defibrillator pads', 'pair');
  level(core, cart, pads, 6, 2);
  stock(core, cart, pads, 5, 'P-1', '2027-05-01');
  const plan = await call('plans.create', { equipmentId: device(core, 'PUMP-1'), task: 'electrical_safety', every: '1y', startDate: '2026-03-10' });
  /** The PC's clock moves on; Ada signs in again (the idle lock signed her out meanwhile). */
  const at = async (iso: string) => {
    clock.set(iso);
    expect(await backend.invoke(session, 'auth.signIn', { name: 'Ada Admin', secret: PIN })).toMatchObject({ ok: true });
  };
  const logWork = (performedAt: string, quantity: number) =>
    backend.invoke(session, 'completions.log', {
      planId: plan.id,
      performedAt,
      result: { kind: 'outcome', outcome: 'pass' },
      suppliesUsed: [{ stockLocationId: cart, itemId: pads, quantity }],
      secret: PIN,
    });
  const counts = () => core.db.prepare('SELECT (SELECT count(*) FROM stock_transactions) AS tx, (SELECT count(*) FROM completions) AS c').get();
  return { core, call, cart, pads, at, logWork, counts };
}

describe('supplies used, entered late, dated before a count already recorded', () => {
  it('are refused beside their quantity, naming the count and the use, and nothing is taken off twice', async () => {
    const w = await world();
    // 09:00: 2 pairs used on the pump (3 left on the shelf); the work is logged only later.
    // 10:00: the shelf is counted: 3 pairs. The record is set to 3.
    await w.at('2026-03-10T10:00:00Z');
    await w.call('stock.count', { stockLocationId: w.cart, itemId: w.pads, counted: 3, note: null });
    expect(onHand(w.core, w.cart, w.pads)).toBe(3);
    // 14:00: the 09:00 work is logged with the 2 pairs it used.
    await w.at('2026-03-10T14:00:00Z');
    const before = w.counts();
    const res = await w.logWork('2026-03-10T09:00:00Z', 2);
    expect(res).toEqual({
      ok: false,
      error: {
        code: 'invalid_input',
        field: 'suppliesUsed.0.quantity',
        // The count in the Settings date format and the PC's local time; the use on the same day by its time.
        message:
          `Defibrillator pads (PADS): the shelf was counted at ${formatDateTime('2026-03-10T10:00:00Z', 'dd/MM/yyyy')}, ` +
          `after this use (${localTime(new Date('2026-03-10T09:00:00Z'))}), so the count already took it off: remove it here.`,
      },
    });
    expect(w.counts()).toEqual(before);
    // The shelf holds 3, and so does the record: no false "below minimum", no reorder of pads.
    expect(onHand(w.core, w.cart, w.pads)).toBe(3);
    expect(ledgerProblems(w.core)).toEqual([]);
  });

  it('a use within the minute of a later count is taken to be in it no more than a movement within a count\'s minute; a use after the count stands', async () => {
    const w = await world();
    await w.at('2026-03-10T10:00:30Z');
    await w.call('stock.count', { stockLocationId: w.cart, itemId: w.pads, counted: 5, note: null });
    await w.at('2026-03-10T14:00:00Z');
    // Used at 10:00 (the minute of the count): taken off.
    expect(await w.logWork('2026-03-10T10:00:00Z', 1)).toMatchObject({ ok: true });
    expect(onHand(w.core, w.cart, w.pads)).toBe(4);
    // Used at 09:59: before the count, refused.
    expect(await w.logWork('2026-03-10T09:59:00Z', 1)).toMatchObject({ ok: false, error: { field: 'suppliesUsed.0.quantity', message: expect.stringContaining('the shelf was counted at') } });
    // Used at 11:00, after the count: taken off.
    expect(await w.logWork('2026-03-10T11:00:00Z', 1)).toMatchObject({ ok: true });
    expect(onHand(w.core, w.cart, w.pads)).toBe(3);
    expect(ledgerProblems(w.core)).toEqual([]);
  });

  it('on another day, the use is written with its date', async () => {
    const w = await world();
    await w.at('2026-03-11T10:00:00Z');
    await w.call('stock.count', { stockLocationId: w.cart, itemId: w.pads, counted: 3, note: null });
    const res = await w.logWork('2026-03-10T09:00:00Z', 2);
    expect(res).toMatchObject({
      ok: false,
      error: {
        message: expect.stringContaining(
          `counted at ${formatDateTime('2026-03-11T10:00:00Z', 'dd/MM/yyyy')}, after this use (${formatDateTime('2026-03-10T09:00:00Z', 'dd/MM/yyyy')})`,
        ),
      },
    });
  });
});

/**
 * The same cart with a daily stock check: pads (3 pairs, lot P-1) and ECG gel (4 expired tubes of
 * lot G-OLD, 3 good ones), dates written dd/MM/yyyy.
 */
async function checkWorld() {
  const clock = fixedClock('2026-03-10T08:00:00Z');
  const core = testCore({ clock });
  const backend: Backend = createBackend(core, {
    logError: (e) => {
      throw e;
    },
  });
  const session = newSession(core.clock.now().getTime());
  expect(await backend.invoke(session, 'auth.setupFirstAdmin', { name: 'Ada Admin', password: 'correct horse battery', pin: PIN })).toMatchObject({ ok: true });
  const call = caller(backend, session);
  await call('settings.update', { dateFormat: 'dd/MM/yyyy' });
  const cart = stockLocation(core, 'Crash cart 4B');
  const pads = item(core, 'PADS', 'Defibrillator pads', 'pair');
  const gel = item(core, 'GEL', 'ECG gel', 'tube');
  level(core, cart, pads, 8, 2);
  level(core, cart, gel, 4, 1);
  stock(core, cart, pads, 3, 'P-1', '2027-05-01');
  const expiredGel = stock(core, cart, gel, 4, 'G-OLD', '2026-03-01');
  stock(core, cart, gel, 3, 'G-NEW', '2027-01-01');
  const plan = await call('plans.create', { stockLocationId: cart, task: 'stock_check', every: '1d', startDate: '2026-03-10' });
  const at = async (iso: string) => {
    clock.set(iso);
    expect(await backend.invoke(session, 'auth.signIn', { name: 'Ada Admin', secret: PIN })).toMatchObject({ ok: true });
  };
  const logCheck = (performedAt: string, lines: unknown[]) =>
    backend.invoke(session, 'completions.log', { planId: plan.id, performedAt, result: { kind: 'stock_check', lines }, suppliesUsed: [], secret: PIN });
  const counts = () => core.db.prepare('SELECT (SELECT count(*) FROM stock_transactions) AS tx, (SELECT count(*) FROM completions) AS c').get();
  return { core, call, cart, pads, gel, expiredGel, at, logCheck, counts };
}

describe('a stock check entered late, its restocks and discards dated before a later count of the item', () => {
  it('a restock at 10:00 entered after the shelf was counted at 11:00 is refused beside its quantity, naming the count and who made it; the record stays as counted', async () => {
    const w = await checkWorld();
    // 10:00 at the shelf: gel counted (7), 4 pairs of pads put on the cart (3 + 4 = 7 on the shelf).
    // 11:00: a colleague counts the pads from the stock dialog: 7 pairs. The record is set to 7.
    await w.at('2026-03-10T11:00:00Z');
    await w.call('stock.count', { stockLocationId: w.cart, itemId: w.pads, counted: 7, note: null });
    // 14:00: the 10:00 check is entered.
    await w.at('2026-03-10T14:00:00Z');
    const before = w.counts();
    const gelCounted = { itemId: w.gel, counted: 7, restock: [], discards: [], note: null };
    const res = await w.logCheck('2026-03-10T10:00:00Z', [
      { itemId: w.pads, counted: null, restock: [{ quantity: 4, lot: 'P-2', expiresOn: '2027-09-01' }], discards: [], note: null },
      gelCounted,
    ]);
    expect(res).toEqual({
      ok: false,
      error: {
        code: 'invalid_input',
        field: 'result.lines.0.restock.0.quantity',
        message:
          `Defibrillator pads (PADS): the shelf was counted at ${formatDateTime('2026-03-10T11:00:00Z', 'dd/MM/yyyy')} by Ada Admin, ` +
          `after this restock (${localTime(new Date('2026-03-10T10:00:00Z'))}), so the count already includes it: remove it here.`,
      },
    });
    expect(w.counts()).toEqual(before);
    expect(onHand(w.core, w.cart, w.pads)).toBe(7);
    // Removed as asked, the check is signed, and the shelf's 7 pairs are what the record says.
    expect(await w.logCheck('2026-03-10T10:00:00Z', [gelCounted])).toMatchObject({ ok: true });
    expect([onHand(w.core, w.cart, w.pads), onHand(w.core, w.cart, w.gel)]).toEqual([7, 7]);
    expect(ledgerProblems(w.core)).toEqual([]);
  });

  it('a discard at 10:00 entered after the shelf was counted at 11:00 is refused beside its quantity: the count already took it off', async () => {
    const w = await checkWorld();
    // 10:00 at the shelf: pads counted (3), 2 of the 4 expired tubes of gel thrown away (5 left).
    // 11:00: a colleague counts the gel from the stock dialog: 5 tubes. The record is set to 5.
    await w.at('2026-03-10T11:00:00Z');
    await w.call('stock.count', { stockLocationId: w.cart, itemId: w.gel, counted: 5, note: null });
    await w.at('2026-03-10T14:00:00Z');
    const before = w.counts();
    const res = await w.logCheck('2026-03-10T10:00:00Z', [
      { itemId: w.pads, counted: 3, restock: [], discards: [], note: null },
      { itemId: w.gel, counted: null, restock: [], discards: [{ lotId: w.expiredGel, quantity: 2 }], note: null },
    ]);
    expect(res).toEqual({
      ok: false,
      error: {
        code: 'invalid_input',
        field: 'result.lines.1.discards.0.quantity',
        message:
          `ECG gel (GEL): the shelf was counted at ${formatDateTime('2026-03-10T11:00:00Z', 'dd/MM/yyyy')} by Ada Admin, ` +
          `after this discard (${localTime(new Date('2026-03-10T10:00:00Z'))}), so the count already took it off: remove it here.`,
      },
    });
    expect(w.counts()).toEqual(before);
    expect(onHand(w.core, w.cart, w.gel)).toBe(5);
    expect(ledgerProblems(w.core)).toEqual([]);
  });

  it('a restock within the minute of a later count comes after it, as for a use; one after the count is added', async () => {
    const w = await checkWorld();
    await w.at('2026-03-10T11:00:30Z');
    await w.call('stock.count', { stockLocationId: w.cart, itemId: w.pads, counted: 3, note: null });
    await w.at('2026-03-10T14:00:00Z');
    const restock = (quantity: number) => [{ itemId: w.pads, counted: null, restock: [{ quantity, lot: 'P-2', expiresOn: '2027-09-01' }], discards: [], note: null }];
    expect(await w.logCheck('2026-03-10T11:00:00Z', restock(2))).toMatchObject({ ok: true });
    expect(await w.logCheck('2026-03-10T12:00:00Z', restock(1))).toMatchObject({ ok: true });
    expect(onHand(w.core, w.cart, w.pads)).toBe(6);
    expect(ledgerProblems(w.core)).toEqual([]);
  });
});

describe('parts used on a repair, after a later count of the part', () => {
  it('are refused beside the part\'s row in the repair dialog (partsUsed), and nothing is written', async () => {
    const w = await repairsWorld();
    const now = w.clock.now().toISOString();
    // Another PC whose clock runs ahead counted the store's sensors at a later time.
    w.clock.set(new Date(Date.parse(now) + 3_600_000).toISOString());
    w.admin.lastActivityMs = w.clock.now().getTime();
    await w.call('stock.count', { stockLocationId: w.store.id, itemId: w.sensor.id, counted: 2, note: null });
    w.clock.set(now);
    for (const s of [w.tom, w.nia]) s.lastActivityMs = w.clock.now().getTime();
    const { workOrder } = await w.as(w.nia)('workOrders.report', { equipmentId: w.pump.id, problem: 'Occlusion alarm', takeOutOfUse: true, secret: '3579' });
    await w.as(w.tom)('workOrders.take', { id: workOrder.id, secret: '1357' });
    const before = ['completions', 'stock_transactions', 'work_order_steps'].map((t) => w.count(t));
    const res = await w.backend.invoke(w.tom, 'workOrders.repair', {
      id: workOrder.id,
      workDone: 'Sensor replaced',
      failureCodeId: w.code('failure', 'Mechanical'),
      causeCodeId: w.code('cause', 'Wear'),
      partsUsed: [{ stockLocationId: w.store.id, itemId: w.sensor.id, quantity: 1 }],
      secret: '1357',
    });
    expect(res).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'partsUsed.0.quantity', message: expect.stringMatching(/^Occlusion sensor \(OCC-S\): the shelf was counted at /) } });
    expect(['completions', 'stock_transactions', 'work_order_steps'].map((t) => w.count(t))).toEqual(before);
  });
});
