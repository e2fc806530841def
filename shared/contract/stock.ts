import { z } from 'zod';
import { id, optionalDate, optionalText, requiredText } from '../domain/common';
import type { StockLocationHead, SupplyItem } from '../domain/stock-catalog';
import { StockLevelFields, StockLocationFields, StockLocationUpdate, SupplyItemFields, SupplyItemUpdate } from '../domain/stock-catalog';
import type {
  ExpiryRow,
  ReorderRow,
  StockCheckRecord,
  StockExport,
  StockLevelView,
  StockList,
  StockLocationDetail,
  StockLocationRow,
  StockTransactionView,
  SupplyChoice,
} from '../domain/stock-views';
import type { StockExpiryDocument, StockReorderDocument } from '../domain/stock-print';
import { channel } from './channel';

const none = z.object({}).strict();

const quantity = z
  .number({ message: 'must be a number' })
  .int({ message: 'must be a whole number' })
  .min(1, { message: 'must be at least 1' })
  .max(1_000_000, { message: 'is too large' });

/** Which stock a list covers: one stock location, the stock locations in a location (and inside it), or all. */
const ListScope = z.object({ stockLocationId: id.optional(), locationId: id.optional() });

const levelKey = z.object({ stockLocationId: id, itemId: id });

/*
 * What a dialog opened with (`expected`): when the record no longer holds it (someone else changed it
 * meanwhile, in another window or at another PC through the hub), main refuses the save in words
 * naming what it is now (a field `expected.<field>`), never saved over their change unseen. Only their
 * form is checked here: main compares them with the record as it is.
 */
export const SupplyItemExpected = z
  .object({
    name: z.string().max(1000),
    code: z.string().max(1000),
    unit: z.string().max(1000),
    defaultSupplier: z.string().max(1000).nullable(),
    active: z.boolean(),
  })
  .strict();
export type SupplyItemExpectedValue = z.output<typeof SupplyItemExpected>;

export const StockLocationExpected = z
  .object({
    name: z.string().max(1000),
    kind: z.string().max(40),
    locationId: id,
    equipmentId: id.nullable(),
    active: z.boolean(),
  })
  .strict();
export type StockLocationExpectedValue = z.output<typeof StockLocationExpected>;

const count = z.number().int().min(0);
export const StockLevelExpected = z.object({ par: count, minimum: count }).strict();
export type StockLevelExpectedValue = z.output<typeof StockLevelExpected>;

/** What a dialog sends as `expected` for what it opened with. */
export const supplyItemExpected = (i: SupplyItem): SupplyItemExpectedValue => ({
  name: i.name,
  code: i.code,
  unit: i.unit,
  defaultSupplier: i.defaultSupplier,
  active: i.active,
});
export const stockLocationExpected = (l: StockLocationHead): StockLocationExpectedValue => ({
  name: l.name,
  kind: l.kind,
  locationId: l.locationId,
  equipmentId: l.equipment?.id ?? null,
  active: l.active,
});

/**
 * Supplies and stock (issue 8). Reads: technicians. The catalogue (items, stock locations, par
 * levels) and adjustments: supervisors. What technicians do at the shelf during work (count,
 * restock, use, discard): technicians. Stock checks and supplies used in work are written by
 * `completions.log` (logging), through main/core/stock/checks.ts.
 */
export const stockChannels = {
  'stock.items.list': channel<SupplyItem[]>()({ input: none, access: 'technician', writes: false }),
  'stock.items.create': channel<SupplyItem>()({ input: SupplyItemFields.strict(), access: 'supervisor', writes: true }),
  /**
   * Also deactivates (`active: false`) an item no stock location keeps any more. `expected`: the item
   * as the dialog opened with it; changed by someone else since, the save is refused, naming what it is now.
   */
  'stock.items.update': channel<SupplyItem>()({
    input: SupplyItemUpdate.extend({ expected: SupplyItemExpected.optional() }).strict(),
    access: 'supervisor',
    writes: true,
  }),

  'stock.locations.list': channel<StockLocationRow[]>()({ input: none, access: 'technician', writes: false }),
  'stock.locations.get': channel<StockLocationDetail>()({ input: z.object({ id }).strict(), access: 'technician', writes: false }),
  'stock.locations.create': channel<StockLocationHead>()({ input: StockLocationFields.strict(), access: 'supervisor', writes: true }),
  /**
   * Renames, moves, re-kinds or (de)activates; a deactivated stock location's plans are suspended.
   * `expected`: the stock location as the dialog (or the page, for "No longer in use") showed it;
   * changed by someone else since, the save is refused, naming what it is now.
   */
  'stock.locations.update': channel<StockLocationHead>()({
    input: StockLocationUpdate.extend({ expected: StockLocationExpected.optional() }).strict(),
    access: 'supervisor',
    writes: true,
  }),

  /**
   * Keeps an item at a stock location with a par level and a minimum (≤ par), or changes them.
   * `expected`: the levels as the dialog opened with them; changed by someone else since, the save is
   * refused, naming the levels now; the item taken off the list (or no longer used) since, refused
   * once with who did it and when (`field: 'expected'`: nothing is left to save, the dialog only
   * closes). `expected: null` (the "Keep another item here" form: not kept here when the page was
   * read): an item someone else put on the list since is refused, naming its levels, never set over.
   */
  'stock.levels.set': channel<StockLevelView>()({
    input: StockLevelFields.extend({ expected: StockLevelExpected.nullable().optional() }).strict(),
    access: 'supervisor',
    writes: true,
  }),
  /** Takes an item off a stock location's list: only with none of it on record there. */
  'stock.levels.remove': channel<{ stockLocationId: string; itemId: string }>()({ input: levelKey.strict(), access: 'supervisor', writes: true }),

  /** Sets the on-hand figure to what was found (a `count` transaction; the difference goes to lots by the count rule). */
  'stock.count': channel<StockLevelView>()({
    input: levelKey.extend({ counted: z.number({ message: 'must be a number' }).int({ message: 'must be a whole number' }).min(0, { message: 'must be 0 or more' }).max(1_000_000, { message: 'is too large' }), note: optionalText(500) }).strict(),
    access: 'technician',
    writes: true,
  }),
  'stock.restock': channel<StockLevelView>()({
    input: levelKey.extend({ quantity, lot: optionalText(60), expiresOn: optionalDate }).strict(),
    access: 'technician',
    writes: true,
  }),
  /** Stock used outside a logged piece of work; from the lot named, else unexpired stock soonest to expire first. */
  'stock.use': channel<StockLevelView>()({
    input: levelKey.extend({ quantity, lotId: id.nullable().optional().transform((v) => v ?? null) }).strict(),
    access: 'technician',
    writes: true,
  }),
  /**
   * Takes stock of one lot off the shelf: `quantity`, or the whole lot when null. `expectedOnHand`:
   * what the lot held on the screen the discard was chosen on; when it holds something else now
   * (restocked or used elsewhere meanwhile), refused as a conflict naming the figure now.
   */
  'stock.discard': channel<StockLevelView>()({
    input: z
      .object({
        lotId: id,
        quantity: quantity.nullable(),
        reason: optionalText(500),
        expectedOnHand: z.number({ message: 'must be a number' }).int({ message: 'must be a whole number' }).min(0, { message: 'must be 0 or more' }).optional(),
      })
      .strict(),
    access: 'technician',
    writes: true,
  }),
  /** A correction with a reason: adds to (or takes from) a lot, or the unrecorded lot when none is named. */
  'stock.adjust': channel<StockLevelView>()({
    input: levelKey
      .extend({
        lotId: id.nullable().optional().transform((v) => v ?? null),
        delta: z
          .number({ message: 'must be a number' })
          .int({ message: 'must be a whole number' })
          .min(-1_000_000, { message: 'is too large' })
          .max(1_000_000, { message: 'is too large' })
          .refine((n) => n !== 0, { message: 'must not be 0' }),
        reason: requiredText(500),
      })
      .strict(),
    access: 'supervisor',
    writes: true,
  }),
  'stock.transactions': channel<StockTransactionView[]>()({
    input: z.object({ stockLocationId: id, itemId: id.optional(), limit: z.number().int().min(1).max(1000).optional() }).strict(),
    access: 'technician',
    writes: false,
  }),
  /** A recorded stock check with each item's figures and flags right after it. */
  'stock.checks.get': channel<StockCheckRecord>()({ input: z.object({ completionId: id }).strict(), access: 'technician', writes: false }),
  /** For the supplies-used field of the record form. */
  'stock.supplyChoices': channel<SupplyChoice[]>()({ input: none, access: 'technician', writes: false }),

  'stock.reorderList': channel<StockList<ReorderRow>>()({ input: ListScope.strict(), access: 'technician', writes: false }),
  'stock.expiryList': channel<StockList<ExpiryRow>>()({ input: ListScope.strict(), access: 'technician', writes: false }),
  /** The printable lists (print views `stock-reorder`, `stock-expiry`), with the printed-by header. */
  'stock.reorderDocument': channel<StockReorderDocument>()({ input: ListScope.strict(), access: 'technician', writes: false }),
  'stock.expiryDocument': channel<StockExpiryDocument>()({ input: ListScope.strict(), access: 'technician', writes: false }),
  'stock.export': channel<StockExport>()({
    input: ListScope.extend({ list: z.enum(['reorder', 'expiry'], { message: 'must be reorder or expiry' }) }).strict(),
    access: 'technician',
    writes: false,
  }),
};

export type StockListScope = z.input<typeof ListScope>;
