import { describe, expect, it } from 'vitest';
import { expiryStatus, fefo, lotViews, stockFlags, takeInOrder, useOrder } from '../../../shared/domain/stock-rules';

const T = '2026-03-10';

describe('expiry on a day', () => {
  it.each([
    [null, 'none'],
    ['2026-03-09', 'expired'],
    ['2026-03-10', 'expiring'], // usable on its expiry date itself
    ['2026-04-09', 'expiring'], // T + 30, the last day of the threshold
    ['2026-04-10', 'ok'],
  ] as const)('a lot expiring %s is %s on %s with 30 days', (date, status) => {
    expect(expiryStatus(date, T, 30)).toBe(status);
  });

  it('follows the threshold', () => {
    expect(expiryStatus('2026-03-20', T, 7)).toBe('ok');
    expect(expiryStatus('2026-03-17', T, 7)).toBe('expiring');
  });
});

describe('flags of an item', () => {
  it('counts expired stock as not usable: below minimum, and reorders up to par', () => {
    const flags = stockFlags({ par: 10, minimum: 4 }, [
      { expiresOn: '2026-01-01', onHand: 3 },
      { expiresOn: '2026-03-20', onHand: 2 },
      { expiresOn: null, onHand: 1 },
    ], T, 30);
    expect(flags).toEqual({
      usable: 3,
      expired: 3,
      expiringSoon: 2,
      nearestExpiry: '2026-01-01',
      belowMinimum: true,
      abovePar: false,
      reorderQuantity: 7,
    });
  });

  it('is not below minimum at the minimum itself, and orders nothing', () => {
    const flags = stockFlags({ par: 6, minimum: 2 }, [{ expiresOn: '2027-01-01', onHand: 2 }], T, 30);
    expect(flags.belowMinimum).toBe(false);
    expect(flags.reorderQuantity).toBe(0);
  });

  it('flags stock above par after a generous restock, with nothing to order', () => {
    const flags = stockFlags({ par: 4, minimum: 2 }, [{ expiresOn: '2027-01-01', onHand: 9 }], T, 30);
    expect(flags).toMatchObject({ abovePar: true, belowMinimum: false, reorderQuantity: 0, usable: 9 });
  });

  it('with nothing on hand: no nearest expiry, everything to order', () => {
    expect(stockFlags({ par: 5, minimum: 1 }, [], T, 30)).toEqual({
      usable: 0,
      expired: 0,
      expiringSoon: 0,
      nearestExpiry: null,
      belowMinimum: true,
      abovePar: false,
      reorderQuantity: 5,
    });
  });
});

describe('the order lots are taken in', () => {
  const lots = [
    { id: 'undated', expiresOn: null },
    { id: 'june', expiresOn: '2026-06-01' },
    { id: 'expired', expiresOn: '2026-02-01' },
    { id: 'april', expiresOn: '2026-04-01' },
    { id: 'june-later', expiresOn: '2026-06-01' },
  ];

  it('soonest expiry first, undated last, ties in stocking order', () => {
    expect(fefo(lots).map((l) => l.id)).toEqual(['expired', 'april', 'june', 'june-later', 'undated']);
  });

  it('for use: never expired stock while other stock is on record', () => {
    expect(useOrder(lots, T).map((l) => l.id)).toEqual(['april', 'june', 'june-later', 'undated', 'expired']);
  });

  it('takes from each lot at most what it has, and says what is short', () => {
    const held = new Map([['a', 2], ['b', 1], ['c', 5]]);
    const list = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];
    expect(takeInOrder(list, 4, (l) => held.get(l.id)!)).toEqual({ takes: [{ lot: { id: 'a' }, take: 2 }, { lot: { id: 'b' }, take: 1 }, { lot: { id: 'c' }, take: 1 }], short: 0 });
    expect(takeInOrder(list, 10, (l) => held.get(l.id)!).short).toBe(2);
  });

  it('shows lots with stock only, an empty lot number as none', () => {
    expect(
      lotViews(
        [
          { id: 'x', lot: '', expiresOn: null, onHand: 2 },
          { id: 'y', lot: 'A1', expiresOn: '2026-03-01', onHand: 1 },
          { id: 'z', lot: 'B2', expiresOn: '2026-05-01', onHand: 0 },
        ],
        T,
        30,
      ),
    ).toEqual([
      { id: 'y', lot: 'A1', expiresOn: '2026-03-01', onHand: 1, expiry: 'expired' },
      { id: 'x', lot: null, expiresOn: null, onHand: 2, expiry: 'none' },
    ]);
  });
});
