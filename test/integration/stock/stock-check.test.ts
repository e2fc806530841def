import { describe, expect, it } from 'vitest';
import type { Core } from '../../../main/core/context';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { recordCompletion } from '../../../main/core/completions/record';
import { dueList } from '../../../main/core/due/service';
import { createPlan } from '../../../main/core/plans/service';
import { applyStockCheck, previewStockCheck, recordSuppliesUsed, stockCheckForm, stockCheckRecord } from '../../../main/core/stock/checks';
import { useStock } from '../../../main/core/stock/ledger';
import { getSettings } from '../../../main/core/settings/service';
import { formatDateTime } from '../../../shared/date-format';
import { AppError } from '../../../main/core/errors';
import type { StockCheckLine } from '../../../shared/domain/stock';
import { PlanFields } from '../../../shared/domain/plan';
import { fixedClock, testActor, testBackend, testCore } from '../../helpers/core';
import { device } from '../plans/fixtures';
import { item, ledgerProblems, level, lotOnHand, onHand, stock, stockLocation } from './fixtures';

const NOW = '2026-03-10T10:00:00Z';

/** A crash cart with pads below minimum and adrenaline with an expired lot, and a daily check from today. */
function crashCart(core: Core) {
  const cart = stockLocation(core, 'Crash cart 4B');
  const pads = item(core, 'PADS', 'Defibrillator pads', 'pair');
  const adr = item(core, 'ADR-1MG', 'Adrenaline 1 mg', 'ampoule');
  level(core, cart, pads, 4, 2);
  level(core, cart, adr, 6, 4);
  const padsLot = stock(core, cart, pads, 1, 'P-1', '2027-05-01');
  const expired = stock(core, cart, adr, 2, 'ADR-OLD', '2026-03-01');
  const good = stock(core, cart, adr, 4, 'ADR-GOOD', '2026-12-01');
  const plan = inTransaction(core, (core) =>
    createPlan(core, testActor, PlanFields.parse({ stockLocationId: cart, task: 'stock_check', every: '1d', startDate: '2026-03-10' })),
  );
  return { cart, pads, adr, padsLot, expired, good, plan };
}

/** What logging does: the completion first (with the suggested outcome), then the check, in one transaction. */
function logCheck(core: Core, planId: string, cart: string, lines: StockCheckLine[], at = NOW) {
  return inTransaction(core, (core) => {
    const preview = previewStockCheck(core, { stockLocationId: cart, lines, at });
    const c = inTransaction(core, (core) => recordCompletion(core, testActor, { planId, performedAt: at, outcome: preview.outcome, source: 'app' }));
    const summary = applyStockCheck(core, testActor, { completionId: c.id, stockLocationId: cart, lines, at });
    return { completion: c, preview, summary };
  });
}

describe('stock-check plans on stock locations', () => {
  it('plans.create takes a stock location; the plan is due on the due list and done after a passing check', async () => {
    const { core, backend, session } = testBackend('supervisor', { clock: fixedClock(NOW) });
    const { cart, pads, adr, expired, plan } = crashCart(core);
    expect(plan).toMatchObject({ stockLocationId: cart, equipmentId: null, every: '1d', windowDays: 0, status: 'due', nextDue: '2026-03-10' });
    const due = dueList(core, { asOf: '2026-03-10', sort: 'status' });
    expect(due.map((r) => [r.name, r.taskLabel, r.status, r.location])).toEqual([['Crash cart 4B', 'Stock check', 'due', 'General Hospital > Ward 4B']]);
    const home = await backend.invoke(session, 'due.today', { locationId: null });
    expect(home).toMatchObject({ ok: true, value: { total: 1 } });

    const { summary, completion } = logCheck(core, plan.id, cart, [
      { itemId: pads, counted: 1, restock: [], discards: [], note: null },
      { itemId: adr, counted: 6, restock: [], discards: [{ lotId: expired, quantity: 2 }], note: null },
    ]);
    expect(summary.outcome).toBe('pass');
    expect(completion.outcome).toBe('pass');
    expect(completion.plan).toMatchObject({ lastDoneOn: '2026-03-10', nextDue: '2026-03-11', status: 'scheduled' });
    expect(dueList(core, { asOf: '2026-03-10', sort: 'status' })).toEqual([]);
    expect(dueList(core, { asOf: '2026-03-11', sort: 'status' })).toHaveLength(1);
    // The flags after it: pads still below minimum (nothing to restock them with), adrenaline at 4 usable.
    expect(summary.items.map((i) => [i.name, i.expected, i.counted, i.discarded, i.onHand, i.flags.belowMinimum, i.flags.expired])).toEqual([
      ['Adrenaline 1 mg', 6, 6, 2, 4, false, 0],
      ['Defibrillator pads', 1, 1, 0, 1, true, 0],
    ]);
  });

  it('refuses a stock-location plan of a device task, a second active check, and a plan with both targets', async () => {
    const { core, backend, session } = testBackend('supervisor', { clock: fixedClock(NOW) });
    const { cart } = crashCart(core);
    expect(await backend.invoke(session, 'plans.create', { stockLocationId: cart, task: 'calibration', every: '1d', startDate: '2026-03-10' })).toMatchObject({
      ok: false,
      error: { field: 'task', message: '"calibration" is not a task for a stock location; choose one of stock_check.' },
    });
    expect(await backend.invoke(session, 'plans.create', { stockLocationId: cart, task: 'stock_check', every: '1w', startDate: '2026-03-10' })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: 'Crash cart 4B already has an active stock check plan; change that one instead.' },
    });
    const pump = device(core, 'IP-1');
    expect(await backend.invoke(session, 'plans.create', { equipmentId: pump, stockLocationId: cart, task: 'stock_check', every: '1d', startDate: '2026-03-10' })).toMatchObject({
      ok: false,
      error: { field: 'equipmentId', message: 'A plan is for a device or for a stock location: choose one of them.' },
    });
    // A device's plans are as before.
    expect(await backend.invoke(session, 'plans.create', { equipmentId: pump, task: 'stock_check', every: '1d', startDate: '2026-03-10' })).toMatchObject({
      ok: false,
      error: { field: 'task' },
    });
    expect(await backend.invoke(session, 'plans.create', { equipmentId: pump, task: 'cleaning', every: '1w', startDate: '2026-03-10' })).toMatchObject({ ok: true });
  });
});

describe('applyStockCheck inside the completion transaction', () => {
  it('records counts, discards and restocks linked to the completion; the summary is what the record shows afterwards', () => {
    const core = testCore({ clock: fixedClock(NOW) });
    const { cart, pads, adr, expired, good, padsLot, plan } = crashCart(core);
    const form = stockCheckForm(core, cart, '2026-03-10');
    expect(form.items.map((i) => [i.name, i.onHand, i.flags.nearestExpiry, i.flags.expired, i.flags.belowMinimum])).toEqual([
      ['Adrenaline 1 mg', 6, '2026-03-01', 2, false], // 4 usable: at the minimum
      ['Defibrillator pads', 1, '2027-05-01', 0, true],
    ]);
    const { summary, completion } = logCheck(core, plan.id, cart, [
      // Found only 5 adrenaline; the 2 expired ones were seen and are thrown away, so the missing one is from the good lot.
      { itemId: adr, counted: 5, restock: [{ quantity: 3, lot: 'ADR-NEW', expiresOn: '2027-02-01' }], discards: [{ lotId: expired, quantity: 2 }], note: null },
      // Pads: 2 more than on record (a box nobody booked in), then restocked above par.
      { itemId: pads, counted: 3, restock: [{ quantity: 2, lot: 'P-2', expiresOn: '2027-08-01' }], discards: [], note: null },
    ]);
    expect(onHand(core, cart, adr)).toBe(6);
    expect(lotOnHand(core, expired)).toBe(0);
    expect(lotOnHand(core, good)).toBe(3);
    expect(onHand(core, cart, pads)).toBe(5);
    expect(lotOnHand(core, padsLot)).toBe(1);
    expect(summary.items.find((i) => i.itemId === pads)).toMatchObject({ expected: 1, counted: 3, difference: 2, restocked: 2, onHand: 5, flags: { abovePar: true } });
    expect(summary.items.find((i) => i.itemId === adr)).toMatchObject({ expected: 6, counted: 5, difference: -1, discarded: 2, restocked: 3, onHand: 6 });
    const rows = core.db.prepare('SELECT kind, delta, counted, completion_id FROM stock_transactions WHERE completion_id IS NOT NULL ORDER BY rowid').all();
    expect(rows).toEqual([
      { kind: 'count', delta: -1, counted: 5, completion_id: completion.id },
      { kind: 'discard', delta: -2, counted: null, completion_id: completion.id },
      { kind: 'restock', delta: 3, counted: null, completion_id: completion.id },
      { kind: 'count', delta: 2, counted: 3, completion_id: completion.id },
      { kind: 'restock', delta: 2, counted: null, completion_id: completion.id },
    ]);
    expect(ledgerProblems(core)).toEqual([]);
    // Later changes do not alter what the record shows for the check.
    stock(core, cart, pads, 10, 'P-3', '2028-01-01');
    const record = stockCheckRecord(core, completion.id);
    expect(record.summary).toEqual(summary);
    expect(record).toMatchObject({ recordedOutcome: 'pass', planId: plan.id, performedByName: 'Test Runner' });
  });

  it('a problem in one line refuses the whole record: no completion, no transaction', () => {
    const core = testCore({ clock: fixedClock(NOW) });
    const { cart, adr, expired, plan } = crashCart(core);
    const before = core.db.prepare('SELECT (SELECT count(*) FROM stock_transactions) AS tx, (SELECT count(*) FROM completions) AS c, (SELECT count(*) FROM audit_log) AS a').get();
    let thrown: unknown;
    try {
      inTransaction(core, (core) => {
        const c = inTransaction(core, (core) => recordCompletion(core, testActor, { planId: plan.id, performedAt: NOW, outcome: 'pass', source: 'app' }));
        applyStockCheck(core, testActor, {
          completionId: c.id,
          stockLocationId: cart,
          lines: [{ itemId: adr, counted: 1, restock: [], discards: [{ lotId: expired, quantity: 2 }], note: null }],
          at: NOW,
        });
      });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect((thrown as AppError).toValue()).toEqual({
      code: 'invalid_input',
      field: 'result.lines.0.counted',
      message: 'Adrenaline 1 mg (ADR-1MG): counted 1 but discarding 2. Count what is on the shelf before taking anything off.',
    });
    expect(core.db.prepare('SELECT (SELECT count(*) FROM stock_transactions) AS tx, (SELECT count(*) FROM completions) AS c, (SELECT count(*) FROM audit_log) AS a').get()).toEqual(before);
  });

  it('refuses a count entered after a later movement of its item, naming both; as of now it stands', () => {
    const clock = fixedClock('2026-03-10T09:00:00Z');
    const core = testCore({ clock });
    const { cart, pads, adr, plan } = crashCart(core);
    // 11:00: a pair of pads used on a patient; the one pair left on the shelf is gone.
    clock.set('2026-03-10T11:00:40Z');
    inTransaction(core, (core) => useStock(core, testActor, { at: clock.now().toISOString(), completionId: null }, { stockLocationId: cart, itemId: pads, quantity: 1, lotId: null }));
    expect(onHand(core, cart, pads)).toBe(0);
    // 14:00: the count made at 10:00 (one pair then) is entered.
    clock.set('2026-03-10T14:00:00Z');
    const counts = () => core.db.prepare('SELECT (SELECT count(*) FROM stock_transactions) AS tx, (SELECT count(*) FROM completions) AS c').get();
    const before = counts();
    const lines: StockCheckLine[] = [
      { itemId: pads, counted: 1, restock: [], discards: [], note: null },
      { itemId: adr, counted: 6, restock: [], discards: [], note: null },
    ];
    const shown = (iso: string) => formatDateTime(iso, getSettings(core).dateFormat);
    let thrown: unknown;
    try {
      logCheck(core, plan.id, cart, lines, '2026-03-10T10:00:00Z');
    } catch (err) {
      thrown = err;
    }
    expect((thrown as AppError).toValue()).toEqual({
      code: 'invalid_input',
      field: 'result.lines.0.counted',
      // Both times as every message writes them: the PC's date format and local time.
      message: `Defibrillator pads (PADS): a use at ${shown('2026-03-10T11:00:40Z')}, after this count's time (${shown('2026-03-10T10:00:00Z')}), is already recorded, so this count would undo it. Count the shelf again and enter that count.`,
    });
    expect(counts()).toEqual(before);
    expect(onHand(core, cart, pads)).toBe(0);
    // What moved within the count's minute is in the count: a use at 11:00:40, the shelf counted at 11:00.
    expect(() => logCheck(core, plan.id, cart, [{ ...lines[0]!, counted: 0 }, lines[1]!], '2026-03-10T11:00:00Z')).not.toThrow();
    // Counted again and entered as of now: it stands.
    logCheck(core, plan.id, cart, [{ ...lines[0]!, counted: 0 }, lines[1]!], '2026-03-10T14:00:00Z');
    expect(onHand(core, cart, pads)).toBe(0);
  });

  it('refuses a check of a stock location that keeps no items yet: "0 of 0 counted" is no check of the cart', () => {
    const core = testCore({ clock: fixedClock(NOW) });
    const cart = stockLocation(core, 'Crash cart 4B');
    const plan = inTransaction(core, (core) =>
      createPlan(core, testActor, PlanFields.parse({ stockLocationId: cart, task: 'stock_check', every: '1d', startDate: '2026-03-10' })),
    );
    let thrown: unknown;
    try {
      logCheck(core, plan.id, cart, []);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect((thrown as AppError).toValue()).toEqual({
      code: 'invalid_input',
      field: 'result',
      message: 'Crash cart 4B keeps no items yet: a supervisor adds them before it can be checked.',
    });
    expect(core.db.prepare('SELECT count(*) AS n FROM completions').get()).toEqual({ n: 0 });
    expect(dueList(core, { asOf: '2026-03-10', sort: 'status' }).map((r) => [r.name, r.status])).toEqual([['Crash cart 4B', 'due']]);
  });

  it('suggests fail when an item is not counted or expired stock is left, and the plan stays due', () => {
    const core = testCore({ clock: fixedClock(NOW) });
    const { cart, adr, plan } = crashCart(core);
    const { summary, completion } = logCheck(core, plan.id, cart, [{ itemId: adr, counted: 6, restock: [], discards: [], note: null }]);
    expect(summary.outcome).toBe('fail');
    expect(summary.reasons).toEqual([
      'Not counted: Defibrillator pads. A check passes only when every item is counted.',
      'Expired stock is still on hand: Adrenaline 1 mg (2 ampoule). Discard it for the check to pass.',
    ]);
    expect(completion.plan?.status).toBe('due');
  });
});

describe('recordSuppliesUsed', () => {
  it('takes supplies used in work from the chosen stock location, linked to the completion', () => {
    const core = testCore({ clock: fixedClock(NOW) });
    const { cart, pads, adr, expired, good, plan } = crashCart(core);
    inTransaction(core, (core) => {
      const c = inTransaction(core, (core) => recordCompletion(core, testActor, { planId: plan.id, performedAt: NOW, outcome: 'fail', source: 'app' }));
      recordSuppliesUsed(core, testActor, {
        completionId: c.id,
        uses: [
          { stockLocationId: cart, itemId: adr, quantity: 3, lotId: null },
          { stockLocationId: cart, itemId: pads, quantity: 1, lotId: null },
        ],
        at: NOW,
      });
    });
    // Never expired stock while good stock is on record.
    expect(lotOnHand(core, good)).toBe(1);
    expect(lotOnHand(core, expired)).toBe(2);
    expect(onHand(core, cart, pads)).toBe(0);
    expect(core.db.prepare("SELECT count(*) AS n FROM stock_transactions WHERE kind = 'use' AND completion_id IS NOT NULL").get()).toEqual({ n: 2 });
    expect(ledgerProblems(core)).toEqual([]);
  });

  it('refuses more than is on hand with a sentence naming the item and the stock location', () => {
    const core = testCore({ clock: fixedClock(NOW) });
    const { cart, pads, plan } = crashCart(core);
    expect(() =>
      inTransaction(core, (core) => {
        const c = inTransaction(core, (core) => recordCompletion(core, testActor, { planId: plan.id, performedAt: NOW, outcome: 'fail', source: 'app' }));
        recordSuppliesUsed(core, testActor, { completionId: c.id, uses: [{ stockLocationId: cart, itemId: pads, quantity: 2, lotId: null }], at: NOW });
      }),
    ).toThrow('Only 1 pair of Defibrillator pads (PADS) is on hand at Crash cart 4B, so 2 cannot be taken from there.');
    try {
      inTransaction(core, (core) => {
        const c = inTransaction(core, (core) => recordCompletion(core, testActor, { planId: plan.id, performedAt: NOW, outcome: 'fail', source: 'app' }));
        recordSuppliesUsed(core, testActor, { completionId: c.id, uses: [{ stockLocationId: cart, itemId: pads, quantity: 2, lotId: null }], at: NOW });
      });
    } catch (err) {
      expect((err as AppError).field).toBe('suppliesUsed.0.quantity');
    }
    expect(onHand(core, cart, pads)).toBe(1);
    expect(core.db.prepare('SELECT count(*) AS n FROM completions').get()).toEqual({ n: 0 });
  });
});
