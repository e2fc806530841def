import BetterSqlite3 from 'better-sqlite3';
import { expect } from 'vitest';
import { stopWorker } from '../../../main/core/worker/run';
import { caller } from '../../helpers/invoke';
import { testBackend } from '../../helpers/core';
import { item, level, stockLocation } from './fixtures';

/**
 * Stock built through the stock dialog's channels, then closed, for tests that edit its figures as
 * an attacker with sqlite3 would (figures-check, deep-check-stock): Crash cart 2 holding nitrile
 * gloves, two restocks, a use, a count, a use (8 on hand, one saved point).
 */
export async function glovesCart() {
  const { core, backend, session } = testBackend('admin');
  const call = caller(backend, session);
  const cart2 = stockLocation(core, 'Crash cart 2');
  const gloves = item(core, 'NG-M', 'Nitrile gloves, medium', 'box');
  level(core, cart2, gloves, 100, 10);
  const key = { stockLocationId: cart2, itemId: gloves };
  await call('stock.restock', { ...key, quantity: 6, lot: 'L-1', expiresOn: '2030-01-01' });
  await call('stock.restock', { ...key, quantity: 5, lot: 'L-2', expiresOn: '2031-01-01' });
  await call('stock.use', { ...key, quantity: 3, lotId: null });
  await call('stock.count', { ...key, counted: 10, note: null });
  const after = await call('stock.use', { ...key, quantity: 2, lotId: null });
  expect(after.onHand).toBe(8);
  const lots = after.lots.map((l) => ({ id: l.id, lot: l.lot, onHand: l.onHand }));
  expect(lots.reduce((n, l) => n + l.onHand, 0)).toBe(8);
  // Every figure was written with its point, as every write leaves one.
  expect(core.db.prepare('SELECT count(*) FROM stock_replay_points').pluck().get()).toBe(1);
  // The level and every lot on record (the count's rows may name the unrecorded lot too).
  const figures = 1 + (core.db.prepare('SELECT count(*) FROM stock_lots').pluck().get() as number);
  const dataDir = core.dataDir;
  await stopWorker(core);
  core.close();
  return { dataDir, file: core.file, cart2, gloves, key, lots, figures };
}

/** What an attacker does: the closed database opened with better-sqlite3 directly, as sqlite3 would. */
export function editClosed(file: string, change: (db: BetterSqlite3.Database) => void): void {
  const db = new BetterSqlite3(file);
  try {
    change(db);
  } finally {
    db.close();
  }
}
