import { z } from 'zod';
import { id, optionalDate, optionalText } from './common';

/**
 * The parts of a completion record that touch stock (README.md, "Supplies and stock"): a stock
 * check's lines, and the supplies a piece of work used. The supplies service applies them as
 * stock transactions inside the completion's own transaction.
 */
const quantity = z
  .number({ message: 'must be a number' })
  .int({ message: 'must be a whole number' })
  .min(1, { message: 'must be at least 1' })
  .max(1_000_000, { message: 'is too large' });

export const StockCheckLine = z
  .object({
    itemId: id,
    /** What was found on the shelf; null when the item was not counted. */
    counted: z
      .number({ message: 'must be a number' })
      .int({ message: 'must be a whole number' })
      .min(0, { message: 'must be 0 or more' })
      .max(1_000_000, { message: 'is too large' })
      .nullable(),
    /** Stock put on the shelf during the check, by lot. */
    restock: z.array(z.object({ quantity, lot: optionalText(60), expiresOn: optionalDate }).strict()).max(20),
    /** Expired (or damaged) stock taken off the shelf, by lot. */
    discards: z.array(z.object({ lotId: id, quantity }).strict()).max(20),
    note: optionalText(500),
  })
  .strict();
export type StockCheckLine = z.output<typeof StockCheckLine>;

export const SupplyUse = z
  .object({
    stockLocationId: id,
    itemId: id,
    quantity,
    lotId: id.nullable().optional().transform((v) => v ?? null),
  })
  .strict();
export type SupplyUse = z.output<typeof SupplyUse>;
