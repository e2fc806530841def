import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StockCheckLine } from '../../../shared/domain/stock';
import { StockCheckLine as LineSchema } from '../../../shared/domain/stock';
import { planStockCheck } from '../../../shared/domain/stock-check';
import type { LotRef } from '../../../shared/domain/stock-check';
import { lotViews, stockFlags } from '../../../shared/domain/stock-rules';
import type { StockCheckFormData, StockLevelView } from '../../../shared/domain/stock-views';

const T = '2026-03-10';
const ISO = 'yyyy-MM-dd' as const;
const id = (n: number) => `01900000-0000-7000-8000-${String(n).padStart(12, '0')}`;
const ITEM = id(1);

function itemView(lots: { id: string; lot: string; expiresOn: string | null; onHand: number }[], levels = { par: 10, minimum: 4 }, itemId = ITEM): StockLevelView {
  return {
    itemId,
    code: `C-${itemId.slice(-2)}`,
    name: `Item ${itemId.slice(-2)}`,
    unit: 'each',
    defaultSupplier: null,
    ...levels,
    onHand: lots.reduce((n, l) => n + l.onHand, 0),
    lots: lotViews(lots, T, 30),
    flags: stockFlags(levels, lots, T, 30),
  };
}

function form(items: StockLevelView[]): StockCheckFormData {
  return {
    stockLocation: { id: id(99), name: 'Crash cart', kind: 'crash_cart', locationId: id(98), locationPath: 'GH > Ward 4B', equipment: null, active: true },
    asOf: T,
    expiringWithinDays: 30,
    items,
  };
}

const line = (extra: Partial<StockCheckLine>): StockCheckLine => ({ itemId: ITEM, counted: null, restock: [], discards: [], note: null, ...extra });

// Two lots: expiring soon (id 10, 3 on hand) and later (id 11, 4 on hand): 7 expected.
const twoLots = () =>
  itemView([
    { id: id(11), lot: 'LATE', expiresOn: '2027-01-01', onHand: 4 },
    { id: id(10), lot: 'SOON', expiresOn: '2026-03-20', onHand: 3 },
  ]);

describe('a count that disagrees with the record', () => {
  it('records a count that agrees as one transaction with no change', () => {
    const plan = planStockCheck({ form: form([twoLots()]), lines: [line({ counted: 7 })], on: T, dateFormat: ISO });
    expect(plan.problems).toEqual([]);
    expect(plan.transactions).toEqual([{ itemId: ITEM, kind: 'count', lot: null, delta: 0, counted: 7, reason: null }]);
    expect(plan.summary.items[0]).toMatchObject({ expected: 7, counted: 7, difference: 0, onHand: 7 });
  });

  it('takes a shortfall from the lot soonest to expire first, then the next', () => {
    const plan = planStockCheck({ form: form([twoLots()]), lines: [line({ counted: 2 })], on: T, dateFormat: ISO });
    expect(plan.transactions).toEqual([
      { itemId: ITEM, kind: 'count', lot: { id: id(10) }, delta: -3, counted: 2, reason: null },
      { itemId: ITEM, kind: 'count', lot: { id: id(11) }, delta: -2, counted: 2, reason: null },
    ]);
    expect(plan.summary.items[0]).toMatchObject({ expected: 7, counted: 2, difference: -5, onHand: 2 });
    expect(plan.summary.items[0]!.flags).toMatchObject({ belowMinimum: true, reorderQuantity: 8, expiringSoon: 0, nearestExpiry: '2027-01-01' });
  });

  it('keeps the units a line discards in their lot: they were seen on the shelf', () => {
    // Found 6 of 7; 2 of SOON are being discarded, so the missing one came from the other lots first.
    const plan = planStockCheck({ form: form([twoLots()]), lines: [line({ counted: 6, discards: [{ lotId: id(10), quantity: 2 }] })], on: T, dateFormat: ISO });
    expect(plan.problems).toEqual([]);
    expect(plan.transactions).toEqual([
      { itemId: ITEM, kind: 'count', lot: { id: id(10) }, delta: -1, counted: 6, reason: null },
      { itemId: ITEM, kind: 'discard', lot: { id: id(10) }, delta: -2, counted: null, reason: null },
    ]);
    expect(plan.summary.items[0]).toMatchObject({ onHand: 4, discarded: 2 });
  });

  it('puts a surplus in the unrecorded lot (no number, no expiry)', () => {
    const plan = planStockCheck({ form: form([twoLots()]), lines: [line({ counted: 9 })], on: T, dateFormat: ISO });
    expect(plan.transactions).toEqual([{ itemId: ITEM, kind: 'count', lot: { lot: '', expiresOn: null }, delta: 2, counted: 9, reason: null }]);
    const withUnrecorded = itemView([{ id: id(12), lot: '', expiresOn: null, onHand: 1 }]);
    expect(planStockCheck({ form: form([withUnrecorded]), lines: [line({ counted: 3 })], on: T, dateFormat: ISO }).transactions[0]!.lot).toEqual({ id: id(12) });
  });
});

describe('discards and restocks', () => {
  it('discards a whole expired lot and restocks a new one: the expired flag goes, the outcome passes', () => {
    const item = itemView([
      { id: id(10), lot: 'OLD', expiresOn: '2026-02-28', onHand: 2 },
      { id: id(11), lot: 'GOOD', expiresOn: '2027-01-01', onHand: 3 },
    ]);
    expect(item.flags.expired).toBe(2);
    const plan = planStockCheck({
      form: form([item]),
      lines: [line({ counted: 5, discards: [{ lotId: id(10), quantity: 2 }], restock: [{ quantity: 4, lot: 'NEW', expiresOn: '2027-06-01' }] })],
      on: T,
      dateFormat: ISO,
    });
    expect(plan.transactions.map((t) => [t.kind, t.delta, t.reason])).toEqual([
      ['count', 0, null],
      ['discard', -2, 'Expired'],
      ['restock', 4, null],
    ]);
    expect(plan.summary.items[0]).toMatchObject({ onHand: 7, restocked: 4, discarded: 2 });
    expect(plan.summary.items[0]!.flags).toMatchObject({ expired: 0, belowMinimum: false });
    expect(plan.summary.outcome).toBe('pass');
  });

  it('puts a restock of a lot already on record into that lot', () => {
    const plan = planStockCheck({ form: form([twoLots()]), lines: [line({ counted: 7, restock: [{ quantity: 1, lot: 'LATE', expiresOn: '2027-01-01' }] })], on: T, dateFormat: ISO });
    expect(plan.transactions[1]!.lot).toEqual({ id: id(11) });
  });

  it('flags a restock that pushes the item above par, with nothing to order', () => {
    const plan = planStockCheck({ form: form([twoLots()]), lines: [line({ counted: 7, restock: [{ quantity: 5, lot: 'X', expiresOn: '2027-02-01' }] })], on: T, dateFormat: ISO });
    expect(plan.summary.items[0]).toMatchObject({ onHand: 12, par: 10 });
    expect(plan.summary.items[0]!.flags).toMatchObject({ abovePar: true, reorderQuantity: 0 });
  });

  it.each([
    [{ counted: 1, discards: [{ lotId: id(10), quantity: 2 }] }, 'result.lines.0.counted', 'Item 01 (C-01): counted 1 but discarding 2. Count what is on the shelf before taking anything off.'],
    [{ discards: [{ lotId: id(10), quantity: 4 }] }, 'result.lines.0.discards.0.quantity', 'Item 01 (C-01): lot SOON (expires 2026-03-20) holds 3 each on record, so 4 cannot be discarded from it.'],
    [{ discards: [{ lotId: id(50), quantity: 1 }] }, 'result.lines.0.discards.0.lotId', 'Item 01 (C-01): that lot has nothing on hand at Crash cart.'],
    [{ restock: [{ quantity: 2, lot: 'OLD', expiresOn: '2026-03-09' }] }, 'result.lines.0.restock.0.expiresOn', 'Item 01 (C-01): lot OLD (expires 2026-03-09) has already expired; expired stock may not be put on the shelf.'],
    [{ itemId: id(77) }, 'result.lines.0.itemId', 'That item is not kept at Crash cart: clear its line or ask a supervisor.'],
  ])('refuses %o, naming %s', (extra, field, message) => {
    const plan = planStockCheck({ form: form([twoLots()]), lines: [line(extra)], on: T, dateFormat: ISO });
    expect(plan.problems[0]).toEqual({ field, message });
    expect(plan.transactions).toEqual([]);
  });

  it('names an item taken off the list while the check was open, and says what to do', () => {
    const gel = { name: 'ECG gel', code: 'GEL' };
    const plan = planStockCheck({ form: form([twoLots()]), lines: [line({ itemId: id(77), counted: 0 })], on: T, dateFormat: ISO, itemNamed: (i) => (i === id(77) ? gel : undefined) });
    expect(plan.problems).toEqual([{ field: 'result.lines.0.itemId', message: 'ECG gel (GEL) is no longer kept at Crash cart: clear its line or ask a supervisor.' }]);
  });

  it('writes the expiry dates in its sentences in the Settings date format', () => {
    const refused = (dateFormat: 'dd/MM/yyyy' | 'MM/dd/yyyy' | 'dd.MM.yyyy') =>
      planStockCheck({
        form: form([twoLots()]),
        lines: [line({ discards: [{ lotId: id(10), quantity: 4 }], restock: [{ quantity: 2, lot: 'OLD', expiresOn: '2026-03-09' }] })],
        on: T,
        dateFormat,
      }).problems.map((p) => p.message);
    expect(refused('dd/MM/yyyy')).toEqual([
      'Item 01 (C-01): lot SOON (expires 20/03/2026) holds 3 each on record, so 4 cannot be discarded from it.',
      'Item 01 (C-01): lot OLD (expires 09/03/2026) has already expired; expired stock may not be put on the shelf.',
    ]);
    expect(refused('MM/dd/yyyy')[0]).toContain('(expires 03/20/2026)');
    expect(refused('dd.MM.yyyy')[1]).toContain('(expires 09.03.2026)');
  });

  it('refuses an item listed twice', () => {
    const plan = planStockCheck({ form: form([twoLots()]), lines: [line({ counted: 1 }), line({ counted: 2 })], on: T, dateFormat: ISO });
    expect(plan.problems).toEqual([{ field: 'result.lines.1.itemId', message: 'Item 01 (C-01) is listed twice; enter it once.' }]);
  });
});

describe('the suggested outcome', () => {
  const other = itemView([{ id: id(20), lot: 'Z', expiresOn: '2026-01-01', onHand: 1 }], { par: 2, minimum: 1 }, id(2));

  it('fails when an item was not counted, or expired stock is left, saying why', () => {
    const plan = planStockCheck({ form: form([twoLots(), other]), lines: [line({ counted: 7 })], on: T, dateFormat: ISO });
    expect(plan.summary.outcome).toBe('fail');
    expect(plan.summary.reasons).toEqual([
      'Not counted: Item 02. A check passes only when every item is counted.',
      'Expired stock is still on hand: Item 02 (1 each). Discard it for the check to pass.',
    ]);
  });

  it('passes when everything was counted and nothing expired is left, even below minimum', () => {
    const plan = planStockCheck({
      form: form([twoLots(), other]),
      lines: [line({ counted: 7 }), { itemId: id(2), counted: 1, restock: [], discards: [{ lotId: id(20), quantity: 1 }], note: null }],
      on: T,
      dateFormat: ISO,
    });
    expect(plan.summary.outcome).toBe('pass');
    expect(plan.summary.reasons).toEqual([]);
    expect(plan.summary.totals).toEqual({ items: 2, counted: 2, belowMinimum: 1, expiringSoon: 1, expired: 0, restocked: 0, discarded: 1 });
  });
});

describe('property: a stock check keeps the figures consistent', () => {
  const lotArb = fc.record({ onHand: fc.integer({ min: 0, max: 20 }), expiresOn: fc.option(fc.integer({ min: -60, max: 400 }), { nil: null }) });
  const dateOf = (offset: number) => new Date(Date.UTC(2026, 2, 10 + offset)).toISOString().slice(0, 10);

  it('on hand after = the count (or the record) − discards + restocks, every lot ≥ 0, and the deltas add up', () => {
    fc.assert(
      fc.property(
        fc.array(lotArb, { minLength: 0, maxLength: 5 }),
        fc.option(fc.integer({ min: 0, max: 120 }), { nil: null }),
        fc.array(fc.record({ lot: fc.nat(4), quantity: fc.integer({ min: 1, max: 6 }) }), { maxLength: 4 }),
        fc.array(fc.record({ quantity: fc.integer({ min: 1, max: 9 }), expiresIn: fc.option(fc.integer({ min: 0, max: 500 }), { nil: null }) }), { maxLength: 3 }),
        (lots, counted, discardPicks, restocks) => {
          const rows = lots.map((l, i) => ({ id: id(100 + i), lot: `L${i}`, expiresOn: l.expiresOn === null ? null : dateOf(l.expiresOn), onHand: l.onHand }));
          const item = itemView(rows);
          const discards = discardPicks.filter((d) => d.lot < rows.length).map((d) => ({ lotId: id(100 + d.lot), quantity: d.quantity }));
          const parsed = LineSchema.parse({
            itemId: ITEM,
            counted,
            discards,
            restock: restocks.map((r) => ({ quantity: r.quantity, lot: 'R', expiresOn: r.expiresIn === null ? null : dateOf(r.expiresIn) })),
          });
          const plan = planStockCheck({ form: form([item]), lines: [parsed], on: T, dateFormat: ISO });
          if (plan.problems.length > 0) return; // refused as a whole: nothing to check
          const result = plan.summary.items[0]!;
          const discarded = discards.reduce((n, d) => n + d.quantity, 0);
          const restocked = restocks.reduce((n, r) => n + r.quantity, 0);
          expect(result.onHand).toBe((counted ?? item.onHand) - discarded + restocked);
          expect(plan.transactions.reduce((n, t) => n + t.delta, 0)).toBe(result.onHand - item.onHand);
          const count = plan.transactions.filter((t) => t.kind === 'count');
          if (counted !== null) expect(count.reduce((n, t) => n + t.delta, 0)).toBe(counted - item.onHand);
          // Replay on the lots: none goes below zero, and every change names a lot.
          const held = new Map<string, number>(rows.map((r) => [`id:${r.id}`, r.onHand]));
          const key = (ref: LotRef) => ('id' in ref ? `id:${ref.id}` : `key:${ref.lot}/${ref.expiresOn ?? ''}`);
          for (const t of plan.transactions) {
            if (t.delta !== 0) expect(t.lot).not.toBeNull();
            if (!t.lot) continue;
            held.set(key(t.lot), (held.get(key(t.lot)) ?? 0) + t.delta);
            expect(held.get(key(t.lot))!).toBeGreaterThanOrEqual(0);
          }
          expect([...held.values()].reduce((n, v) => n + v, 0)).toBe(result.onHand);
        },
      ),
      { numRuns: 500 },
    );
  });
});
