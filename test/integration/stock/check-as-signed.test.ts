import { describe, expect, it } from 'vitest';
import type { Backend } from '../../../main/core/backend';
import { createBackend } from '../../../main/core/backend';
import { recordCompletion } from '../../../main/core/completions/record';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { newSession } from '../../../main/core/session';
import { previewStockCheck } from '../../../main/core/stock/checks';
import type { StockCheckLine } from '../../../shared/domain/stock';
import { fixedClock, testActor, testCore } from '../../helpers/core';
import { caller } from '../../helpers/invoke';
import { item, ledgerProblems, level, stock, stockLocation } from './fixtures';

const NOW = '2026-03-10T10:00:00Z';
const PIN = '2468';

/** A supervisor's PC with a crash cart on a daily check, signed through the record form's channel. */
async function cartWorld() {
  const core = testCore({ clock: fixedClock(NOW) });
  const backend: Backend = createBackend(core, {
    logError: (e) => {
      throw e;
    },
  });
  const session = newSession(core.clock.now().getTime());
  expect(await backend.invoke(session, 'auth.setupFirstAdmin', { name: 'Ada Admin', password: 'correct horse battery', pin: PIN })).toMatchObject({ ok: true });
  const call = caller(backend, session);
  const cart = stockLocation(core, 'Crash cart 4B');
  const pads = item(core, 'PADS', 'Defibrillator pads', 'pair');
  level(core, cart, pads, 4, 2);
  const plan = await call('plans.create', { stockLocationId: cart, task: 'stock_check', every: '1d', startDate: '2026-03-10' });
  const sign = (lines: StockCheckLine[]) => call('completions.log', { planId: plan.id, result: { kind: 'stock_check', lines }, secret: PIN });
  const record = (completionId: string) => call('stock.checks.get', { completionId });
  return { core, backend, session, call, cart, pads, plan, sign, record };
}

const figures = (r: { summary: { items: { name: string; expected: number; counted: number | null; onHand: number; flags: { belowMinimum: boolean } }[] } }) =>
  r.summary.items.map((i) => [i.name, i.expected, i.counted, i.onHand, i.flags.belowMinimum]);

describe('a stock check where nothing was counted', () => {
  it('reads back as the cart stood when it was signed, not with what was restocked since', async () => {
    const w = await cartWorld();
    stock(w.core, w.cart, w.pads, 1, 'P-1', '2027-05-01');
    const signed = await w.sign([]);
    expect(signed.outcome).toBe('fail'); // not counted
    const then = await w.record(signed.id);
    expect(figures(then)).toEqual([['Defibrillator pads', 1, null, 1, true]]);
    // Later that day someone restocks the cart, and another uses a pair.
    await w.call('stock.restock', { stockLocationId: w.cart, itemId: w.pads, quantity: 3, lot: 'P-2', expiresOn: '2027-06-01' });
    await w.call('stock.use', { stockLocationId: w.cart, itemId: w.pads, quantity: 1, lotId: null });
    const later = await w.record(signed.id);
    expect(figures(later)).toEqual([['Defibrillator pads', 1, null, 1, true]]);
    expect(later.summary.totals).toMatchObject({ items: 1, counted: 0, belowMinimum: 1 });
    expect(later.summary.items[0]!.flags.nearestExpiry).toBe('2027-05-01');
    expect(ledgerProblems(w.core)).toEqual([]);
  });

  it('on an empty cart reads back empty, whatever is put on it afterwards', async () => {
    const w = await cartWorld();
    const signed = await w.sign([]);
    await w.call('stock.restock', { stockLocationId: w.cart, itemId: w.pads, quantity: 4, lot: 'P-2', expiresOn: '2027-06-01' });
    expect(figures(await w.record(signed.id))).toEqual([['Defibrillator pads', 0, null, 0, true]]);
  });

  it('stands on the last change before it, not on a check made after it', async () => {
    const w = await cartWorld();
    stock(w.core, w.cart, w.pads, 2, 'P-1', '2027-05-01');
    const first = await w.sign([]);
    await w.call('stock.restock', { stockLocationId: w.cart, itemId: w.pads, quantity: 1, lot: 'P-2', expiresOn: '2027-06-01' });
    const second = await w.sign([{ itemId: w.pads, counted: 3, restock: [], discards: [], note: null }]);
    expect(figures(await w.record(first.id))).toEqual([['Defibrillator pads', 2, null, 2, false]]);
    expect(figures(await w.record(second.id))).toEqual([['Defibrillator pads', 3, 3, 3, false]]);
  });
});

describe('a signed stock check and the "expiring within" setting', () => {
  it('keeps the flags it was signed with when the setting changes later', async () => {
    const w = await cartWorld();
    stock(w.core, w.cart, w.pads, 3, 'P-1', '2026-03-25'); // 15 days away: within the default 30 days
    const signed = await w.sign([{ itemId: w.pads, counted: 3, restock: [], discards: [], note: null }]);
    const then = await w.record(signed.id);
    expect([then.summary.expiringWithinDays, then.summary.items[0]!.flags.expiringSoon, then.summary.totals.expiringSoon]).toEqual([30, 3, 1]);
    // Months later the supervisor shortens the warning to 7 days: the check still says what it said.
    await w.call('settings.update', { stockExpiringWithinDays: 7 });
    const later = await w.record(signed.id);
    expect([later.summary.expiringWithinDays, later.summary.items[0]!.flags.expiringSoon, later.summary.totals.expiringSoon]).toEqual([30, 3, 1]);
    // The cart itself follows the new setting.
    const cart = await w.call('stock.locations.get', { id: w.cart });
    expect([cart.expiringWithinDays, cart.items[0]!.flags.expiringSoon]).toEqual([7, 0]);
  });

  it('a check signed before the setting was kept with it goes by the setting now', async () => {
    const w = await cartWorld();
    stock(w.core, w.cart, w.pads, 3, 'P-1', '2026-03-25');
    const lines: StockCheckLine[] = [{ itemId: w.pads, counted: 3, restock: [], discards: [], note: null }];
    // As the record form signed it until now: only the reasons in its details.
    const old = inTransaction(w.core, (core) => {
      const preview = previewStockCheck(core, { stockLocationId: w.cart, lines, at: NOW });
      return recordCompletion(core, testActor, { planId: w.plan.id, performedAt: NOW, outcome: preview.outcome, source: 'app', details: { stockCheck: { reasons: preview.reasons } } });
    });
    await w.call('settings.update', { stockExpiringWithinDays: 7 });
    const r = await w.record(old.id);
    expect([r.summary.expiringWithinDays, r.summary.items[0]!.flags.expiringSoon]).toEqual([7, 0]);
  });
});
