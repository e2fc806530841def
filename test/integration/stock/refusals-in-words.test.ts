import { describe, expect, it } from 'vitest';
import type { Backend } from '../../../main/core/backend';
import { createBackend } from '../../../main/core/backend';
import { newSession } from '../../../main/core/session';
import type { StockCheckLine } from '../../../shared/domain/stock';
import { fixedClock, testCore } from '../../helpers/core';
import { caller } from '../../helpers/invoke';
import { item, ledgerProblems, level, stock, stockLocation } from './fixtures';

const NOW = '2026-03-10T10:00:00Z';
const PIN = '2468';

/** A crash cart with pads and gel on a daily check, at a PC whose dates are written dd/MM/yyyy. */
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
  await call('settings.update', { dateFormat: 'dd/MM/yyyy' });
  const cart = stockLocation(core, 'Crash cart 4B');
  const pads = item(core, 'PADS', 'Defibrillator pads', 'pair');
  const gel = item(core, 'GEL', 'ECG gel', 'tube');
  level(core, cart, pads, 4, 2);
  level(core, cart, gel, 4, 0);
  const plan = await call('plans.create', { stockLocationId: cart, task: 'stock_check', every: '1d', startDate: '2026-03-10' });
  const sign = (lines: StockCheckLine[]) => backend.invoke(session, 'completions.log', { planId: plan.id, result: { kind: 'stock_check', lines }, secret: PIN });
  const count = (table: string) => (core.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  return { core, backend, session, call, cart, pads, gel, plan, sign, count };
}

const line = (itemId: string, extra: Partial<StockCheckLine> = {}): StockCheckLine => ({ itemId, counted: null, restock: [], discards: [], note: null, ...extra });

describe('an item taken off the stock location while its check is open', () => {
  it('is refused by name, beside its line, and nothing is written', async () => {
    const w = await cartWorld();
    stock(w.core, w.cart, w.pads, 2, 'P-1', '2027-05-01');
    // The technician has the check open; meanwhile the supervisor takes gel off the cart's list.
    await w.call('stock.levels.remove', { stockLocationId: w.cart, itemId: w.gel });
    const before = [w.count('completions'), w.count('stock_transactions')];
    const res = await w.sign([line(w.pads, { counted: 2 }), line(w.gel, { counted: 0 })]);
    expect(res).toEqual({
      ok: false,
      error: { code: 'invalid_input', field: 'result.lines.1.itemId', message: 'ECG gel (GEL) is no longer kept at Crash cart 4B: clear its line or ask a supervisor.' },
    });
    expect([w.count('completions'), w.count('stock_transactions')]).toEqual(before);
    // Its line cleared, the check is signed.
    expect(await w.sign([line(w.pads, { counted: 2 })])).toMatchObject({ ok: true });
    expect(ledgerProblems(w.core)).toEqual([]);
  });
});

describe('expiry dates in stock refusals', () => {
  it('are written in the Settings date format, in every refusal that names a lot', async () => {
    const w = await cartWorld();
    const lot = stock(w.core, w.cart, w.pads, 2, 'P-1', '2026-03-01'); // expired nine days ago
    const refusal = async (p: Promise<{ ok: boolean; error?: { field?: string; message: string } }>) => {
      const r = await p;
      return r.ok ? null : [r.error!.field, r.error!.message];
    };
    expect(await refusal(w.backend.invoke(w.session, 'stock.restock', { stockLocationId: w.cart, itemId: w.pads, quantity: 2, lot: 'P-9', expiresOn: '2026-03-01' }))).toEqual([
      'expiresOn',
      'Defibrillator pads (PADS): lot P-9 (expires 01/03/2026) has already expired; expired stock may not be put on the shelf.',
    ]);
    expect(await refusal(w.backend.invoke(w.session, 'stock.use', { stockLocationId: w.cart, itemId: w.pads, quantity: 3, lotId: lot }))).toEqual([
      'quantity',
      'Only 2 pair of Defibrillator pads (PADS), lot P-1 (expires 01/03/2026), are on hand at Crash cart 4B, so 3 cannot be used.',
    ]);
    expect(await refusal(w.backend.invoke(w.session, 'stock.discard', { lotId: lot, quantity: 3, reason: null }))).toEqual([
      'quantity',
      'Defibrillator pads (PADS): lot P-1 (expires 01/03/2026) holds 2 pair on record, so 3 cannot be discarded.',
    ]);
    expect(await refusal(w.sign([line(w.pads, { counted: 2, discards: [{ lotId: lot, quantity: 3 }] }), line(w.gel, { counted: 0 })]))).toEqual([
      'result.lines.0.discards.0.quantity',
      'Defibrillator pads (PADS): lot P-1 (expires 01/03/2026) holds 2 pair on record, so 3 cannot be discarded from it.',
    ]);
  });

  it('change no text that is kept: a discard of expired stock is recorded with its reason as before', async () => {
    const w = await cartWorld();
    const lot = stock(w.core, w.cart, w.pads, 2, 'P-1', '2026-03-01');
    await w.call('stock.discard', { lotId: lot, quantity: null, reason: null });
    const [tx] = await w.call('stock.transactions', { stockLocationId: w.cart, limit: 1 });
    expect(tx).toMatchObject({ kind: 'discard', delta: -2, reason: 'Expired', expiresOn: '2026-03-01' });
  });
});
