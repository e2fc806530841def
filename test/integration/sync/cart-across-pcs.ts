import type { Core } from '../../../main/core/context';
import { recordCompletion } from '../../../main/core/completions/record';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { createPlan } from '../../../main/core/plans/service';
import { applyStockCheck, previewStockCheck } from '../../../main/core/stock/checks';
import { useStock, writeTransaction } from '../../../main/core/stock/ledger';
import { PlanFields } from '../../../shared/domain/plan';
import type { StockCheckLine } from '../../../shared/domain/stock';
import { testActor } from '../../helpers/core';
import { item, level, stockLocation } from '../stock/fixtures';
import { testHub, testPc } from './harness';

/**
 * A crash cart kept on two PCs of one hub, for the tests of counts and uses across PCs
 * (count-across-pcs, ledger-oracle): stock moved through the app's own writes, at minutes given.
 */
export type Pc = Awaited<ReturnType<typeof testPc>>;

/** `min` minutes ago, to the minute (a count's time is given to the minute). */
export const ago = (min: number) => new Date(Math.floor((Date.now() - min * 60_000) / 60_000) * 60_000).toISOString();

/** A signed stock check of one item: `counted` on the shelf at `at`, with the discards given. */
export function count(core: Core, planId: string, cart: string, itemId: string, counted: number, at: string, discards: StockCheckLine['discards'] = []) {
  const lines: StockCheckLine[] = [{ itemId, counted, restock: [], discards, note: null }];
  return inTransaction(core, (w) => {
    const preview = previewStockCheck(w, { stockLocationId: cart, lines, at });
    const c = recordCompletion(w, testActor, { planId, performedAt: at, outcome: preview.outcome, source: 'app', details: { stockCheck: { reasons: preview.reasons } } });
    return applyStockCheck(w, testActor, { completionId: c.id, stockLocationId: cart, lines, at });
  });
}

export function use(core: Core, cart: string, itemId: string, quantity: number, at: string, lotId: string | null = null) {
  inTransaction(core, (w) => useStock(w, testActor, { at, completionId: null }, { stockLocationId: cart, itemId, quantity, lotId }));
}

export function restock(core: Core, cart: string, itemId: string, quantity: number, lot: string, expiresOn: string, at: string) {
  inTransaction(core, (w) =>
    writeTransaction(w, testActor, { stockLocationId: cart, at, completionId: null }, { itemId, kind: 'restock', lot: { lot, expiresOn }, delta: quantity, counted: null, reason: null }),
  );
}

/** Each PC syncs, twice round, so each has what the others sent. */
export async function syncAll(...pcs: Pc[]): Promise<void> {
  for (const pc of [...pcs, ...pcs]) await pc.sync();
}

/** Ward 4B and Emergency, both synced; Crash cart 4B holds 10 pairs of lot P-1 (expires first) and 5 of P-2, with a daily stock check. */
export async function ward() {
  const hub = await testHub();
  const a = await testPc(hub, 'Ward 4B');
  const b = await testPc(hub, 'Emergency');
  const cart = stockLocation(a.core, 'Crash cart 4B');
  const pads = item(a.core, 'PADS', 'Defibrillator pads', 'pair');
  level(a.core, cart, pads, 20, 2);
  restock(a.core, cart, pads, 10, 'P-1', '2030-05-01', ago(120));
  restock(a.core, cart, pads, 5, 'P-2', '2031-01-01', ago(120));
  const plan = inTransaction(a.core, (w) => createPlan(w, testActor, PlanFields.parse({ stockLocationId: cart, task: 'stock_check', every: '1d', startDate: '2025-01-01' })));
  await syncAll(a, b);
  return { hub, a, b, cart, pads, plan };
}
