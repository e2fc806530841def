import type { Core } from '../../../main/core/context';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { createStockLocation, createSupplyItem, setStockLevel } from '../../../main/core/stock/catalog';
import { writeTransaction } from '../../../main/core/stock/ledger';
import { StockLocationFields, SupplyItemFields } from '../../../shared/domain/stock-catalog';
import type { StockLocationKind } from '../../../shared/domain/stock-catalog';
import { testActor } from '../../helpers/core';
import { place } from '../plans/fixtures';

export function stockLocation(core: Core, name = 'Crash cart', options: { kind?: StockLocationKind; location?: string } = {}): string {
  const locationId = place(core, options.location ?? 'General Hospital > Ward 4B');
  const input = StockLocationFields.parse({ name, kind: options.kind ?? 'crash_cart', locationId });
  return inTransaction(core, (core) => createStockLocation(core, testActor, input).id);
}

export function item(core: Core, code: string, name = `Item ${code}`, unit = 'each'): string {
  const input = SupplyItemFields.parse({ name, code, unit });
  return inTransaction(core, (core) => createSupplyItem(core, testActor, input).id);
}

export function level(core: Core, stockLocationId: string, itemId: string, par: number, minimum: number): void {
  inTransaction(core, (core) => setStockLevel(core, testActor, { stockLocationId, itemId, par, minimum }));
}

/** Puts stock of a lot on the shelf, as a restock transaction. Returns the lot's id. */
export function stock(core: Core, stockLocationId: string, itemId: string, quantity: number, lot: string, expiresOn: string | null): string {
  return inTransaction(core, (core) => {
    writeTransaction(
      core,
      testActor,
      { stockLocationId, at: core.clock.now().toISOString(), completionId: null },
      { itemId, kind: 'restock', lot: { lot, expiresOn }, delta: quantity, counted: null, reason: null },
    );
    return (
      core.db
        .prepare('SELECT id FROM stock_lots WHERE stock_location_id = ? AND item_id = ? AND lot = ? AND expires_on IS ?')
        .get(stockLocationId, itemId, lot, expiresOn) as { id: string }
    ).id;
  });
}

/**
 * The ledger's invariant, checked from the raw tables: every level and every lot equals the sum of
 * its transactions, the lots of an item add up to its level, and nothing is below zero.
 */
export function ledgerProblems(core: Core): string[] {
  const problems: string[] = [];
  const levels = core.db
    .prepare(
      `SELECT l.stock_location_id AS loc, l.item_id AS item, l.on_hand,
         (SELECT coalesce(sum(delta), 0) FROM stock_transactions t WHERE t.stock_location_id = l.stock_location_id AND t.item_id = l.item_id) AS tx,
         (SELECT coalesce(sum(on_hand), 0) FROM stock_lots s WHERE s.stock_location_id = l.stock_location_id AND s.item_id = l.item_id) AS lots
       FROM stock_levels l`,
    )
    .all() as { loc: string; item: string; on_hand: number; tx: number; lots: number }[];
  for (const l of levels) {
    if (l.on_hand !== l.tx) problems.push(`level ${l.item}: on hand ${l.on_hand}, transactions ${l.tx}`);
    if (l.on_hand !== l.lots) problems.push(`level ${l.item}: on hand ${l.on_hand}, lots ${l.lots}`);
    if (l.on_hand < 0) problems.push(`level ${l.item}: below zero`);
  }
  const lots = core.db
    .prepare(`SELECT s.id, s.on_hand, (SELECT coalesce(sum(delta), 0) FROM stock_transactions t WHERE t.lot_id = s.id) AS tx FROM stock_lots s`)
    .all() as { id: string; on_hand: number; tx: number }[];
  for (const l of lots) {
    if (l.on_hand !== l.tx) problems.push(`lot ${l.id}: on hand ${l.on_hand}, transactions ${l.tx}`);
    if (l.on_hand < 0) problems.push(`lot ${l.id}: below zero`);
  }
  const unlotted = core.db.prepare('SELECT count(*) AS n FROM stock_transactions WHERE lot_id IS NULL AND delta <> 0').get() as { n: number };
  if (unlotted.n > 0) problems.push(`${unlotted.n} transactions change a figure without a lot`);
  return problems;
}

export const onHand = (core: Core, stockLocationId: string, itemId: string): number =>
  (core.db.prepare('SELECT on_hand FROM stock_levels WHERE stock_location_id = ? AND item_id = ?').get(stockLocationId, itemId) as { on_hand: number }).on_hand;

export const lotOnHand = (core: Core, lotId: string): number =>
  (core.db.prepare('SELECT on_hand FROM stock_lots WHERE id = ?').get(lotId) as { on_hand: number }).on_hand;
