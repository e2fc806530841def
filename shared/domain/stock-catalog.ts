import { z } from 'zod';
import { id, nameKey, optionalText, requiredText } from './common';

/**
 * What is stocked and where (README.md, "Supplies and stock"): supply items, stock locations (a
 * ward store, a crash cart, a device's consumables drawer) and, for each item kept at a stock
 * location, its par level and minimum. Quantities on hand are never edited here: they are derived
 * from stock transactions (stock-rules.ts, main/core/stock/ledger.ts).
 */

export const STOCK_LOCATION_KINDS = ['store', 'crash_cart', 'device', 'other'] as const;
export type StockLocationKind = (typeof STOCK_LOCATION_KINDS)[number];
export const STOCK_LOCATION_KIND_LABELS: Record<StockLocationKind, string> = {
  store: 'Ward store',
  crash_cart: 'Crash cart',
  device: "Device's consumables",
  other: 'Other',
};

/** Codes are unique whatever their case or spacing: `ecg-pad` and ` ECG-PAD ` are one item. */
export function supplyCodeKey(code: string): string {
  return nameKey(code);
}

export const SupplyItemFields = z.object({
  name: requiredText(120),
  code: requiredText(40),
  /** How it is counted: each, pair, box of 10. */
  unit: requiredText(40),
  defaultSupplier: optionalText(120),
});
export type SupplyItemFieldsValue = z.output<typeof SupplyItemFields>;

export const SupplyItemUpdate = SupplyItemFields.extend({ id, active: z.boolean().optional() });
export type SupplyItemUpdateValue = z.output<typeof SupplyItemUpdate>;

export interface SupplyItem {
  id: string;
  name: string;
  code: string;
  unit: string;
  defaultSupplier: string | null;
  active: boolean;
  /** How many stock locations keep it (have a par level for it). */
  stockLocations: number;
}

export const StockLocationFields = z.object({
  name: requiredText(120),
  kind: z.enum(STOCK_LOCATION_KINDS, { message: 'must be a ward store, crash cart, device or other' }),
  /** Where it is: a site, ward or room. */
  locationId: id,
  /** The device whose consumables these are, if any. */
  equipmentId: id.nullable().optional().transform((v) => v ?? null),
});
export type StockLocationFieldsValue = z.output<typeof StockLocationFields>;

export const StockLocationUpdate = StockLocationFields.extend({ id, active: z.boolean().optional() });
export type StockLocationUpdateValue = z.output<typeof StockLocationUpdate>;

const wholeCount = z
  .number({ message: 'must be a number' })
  .int({ message: 'must be a whole number' })
  .min(0, { message: 'must be 0 or more' })
  .max(100_000, { message: 'is too large' });

/** An item kept at a stock location: par (the level to fill up to) and minimum (reorder below it). */
export const StockLevelFields = z.object({
  stockLocationId: id,
  itemId: id,
  par: wholeCount,
  minimum: wholeCount,
});
export type StockLevelFieldsValue = z.output<typeof StockLevelFields>;

export interface StockLocationHead {
  id: string;
  name: string;
  kind: StockLocationKind;
  locationId: string;
  /** `Site > Ward > Room` */
  locationPath: string;
  equipment: { id: string; assetTag: string; name: string } | null;
  active: boolean;
}
