import { describe, expect, it } from 'vitest';
import type { Core } from '../../../main/core/context';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { recordCompletion } from '../../../main/core/completions/record';
import { createPlan } from '../../../main/core/plans/service';
import { applyStockCheck, previewStockCheck } from '../../../main/core/stock/checks';
import { useStock, writeTransaction } from '../../../main/core/stock/ledger';
import type { StockCheckLine } from '../../../shared/domain/stock';
import { PlanFields } from '../../../shared/domain/plan';
import { testActor } from '../../helpers/core';
import { item, ledgerProblems, level, stockLocation } from '../stock/fixtures';
import { testHub, testPc } from './harness';

type Pc = Awaited<ReturnType<typeof testPc>>;
const ago = (min: number) => new Date(Math.floor((Date.now() - min * 60_000) / 60_000) * 60_000).toISOString();

function count(core: Core, planId: string, cart: string, itemId: string, counted: number, at: string) {
  const lines: StockCheckLine[] = [{ itemId, counted, restock: [], discards: [], note: null }];
  return inTransaction(core, (w) => {
    const preview = previewStockCheck(w, { stockLocationId: cart, lines, at });
    const c = recordCompletion(w, testActor, { planId, performedAt: at, outcome: preview.outcome, source: 'app', details: { stockCheck: { reasons: preview.reasons } } });
    return applyStockCheck(w, testActor, { completionId: c.id, stockLocationId: cart, lines, at });
  });
}
function use(core: Core, cart: string, itemId: string, quantity: number, at: string) {
  inTransaction(core, (w) => useStock(w, testActor, { at, completionId: null }, { stockLocationId: cart, itemId, quantity, lotId: null }));
}
const onHand = (pc: Pc, cart: string, itemId: string) =>
  pc.core.db.prepare('SELECT on_hand FROM stock_levels WHERE stock_location_id = ? AND item_id = ?').pluck().get(cart, itemId) as number;

async function ward() {
  const hub = await testHub();
  const a = await testPc(hub, 'Ward 4B');
  const b = await testPc(hub, 'Emergency');
  const cart = stockLocation(a.core, 'Crash cart 4B');
  const pads = item(a.core, 'PADS', 'Defibrillator pads', 'pair');
  level(a.core, cart, pads, 10, 2);
  inTransaction(a.core, (w) =>
    writeTransaction(w, testActor, { stockLocationId: cart, at: ago(120), completionId: null }, { itemId: pads, kind: 'restock', lot: { lot: 'P-1', expiresOn: '2030-05-01' }, delta: 10, counted: null, reason: null }),
  );
  const plan = inTransaction(a.core, (w) =>
    createPlan(w, testActor, PlanFields.parse({ stockLocationId: cart, task: 'stock_check', every: '1d', startDate: '2025-01-01' })),
  );
  await a.sync();
  await b.sync();
  expect(onHand(b, cart, pads)).toBe(10);
  return { a, b, cart, pads, plan };
}

/**
 * A count on one PC and a later use on another: after sync every PC has the count's figure less the
 * use. (A movement the counting PC had not received before the count: count-across-pcs.test.ts.)
 */
describe('stock counted on one PC and used later on another', () => {
  it('both movements stand on every PC, and the ledger adds up', async () => {
    const { a, b, cart, pads, plan } = await ward();
    count(a.core, plan.id, cart, pads, 8, ago(20));
    use(b.core, cart, pads, 2, ago(10));
    for (const pc of [b, a, b]) await pc.sync();
    expect([onHand(a, cart, pads), onHand(b, cart, pads)]).toEqual([6, 6]);
    expect(ledgerProblems(a.core)).toEqual([]);
    expect(ledgerProblems(b.core)).toEqual([]);
  });
});
