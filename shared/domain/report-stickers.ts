import { z } from 'zod';
import { id, isoDate } from './common';
import type { PrintHeader } from './report';

/**
 * Calibration stickers: the label stocks a ward prints on, and what each sticker says. Sizes in
 * millimetres; a sheet is laid out cell by cell from its top-left label, a roll is one label a page.
 */
export interface LabelStock {
  label: string;
  kind: 'sheet' | 'roll';
  page: { width: number; height: number };
  columns: number;
  rows: number;
  size: { width: number; height: number };
  /** Page edge to the first label. */
  margin: { top: number; left: number };
  /** Between labels (the pitch is label + gap). */
  gap: { x: number; y: number };
}

export const LABEL_STOCK_IDS = ['a4-3x8', 'letter-3x10', 'roll-62x29', 'roll-50x25'] as const;
export type LabelStockId = (typeof LABEL_STOCK_IDS)[number];

/** A label printer roll prints one label per page, the page the size of the label (mm). */
function roll(width: number, height: number): LabelStock {
  return {
    label: `Label printer roll, ${width} × ${height} mm`,
    kind: 'roll',
    page: { width, height },
    columns: 1,
    rows: 1,
    size: { width, height },
    margin: { top: 0, left: 0 },
    gap: { x: 0, y: 0 },
  };
}

export const LABEL_STOCKS: Record<LabelStockId, LabelStock> = {
  'a4-3x8': {
    label: 'A4 sheet, 24 labels (3 × 8, 70 × 37 mm)',
    kind: 'sheet',
    page: { width: 210, height: 297 },
    columns: 3,
    rows: 8,
    size: { width: 70, height: 37 },
    margin: { top: 0.5, left: 0 },
    gap: { x: 0, y: 0 },
  },
  'letter-3x10': {
    label: 'Letter sheet, 30 labels (3 × 10, 2⅝ × 1 in, Avery 5160 layout)',
    kind: 'sheet',
    page: { width: 215.9, height: 279.4 },
    columns: 3,
    rows: 10,
    size: { width: 66.675, height: 25.4 },
    margin: { top: 12.7, left: 4.7625 },
    gap: { x: 3.175, y: 0 },
  },
  'roll-62x29': roll(62, 29),
  'roll-50x25': roll(50, 25),
};

export const SYMBOLOGIES = ['code128', 'qr'] as const;
export type Symbology = (typeof SYMBOLOGIES)[number];
export const SYMBOLOGY_LABELS: Record<Symbology, string> = { code128: 'Code 128 barcode', qr: 'QR code' };

export const StickerParams = z
  .object({
    /** The devices chosen, in the order to print. */
    equipmentIds: z.array(id).min(1, { message: 'needs at least one device' }).max(2000).optional(),
    /** Instead: every device calibrated on this day (a pass, a pass after adjustment or a fail; not a "not done"). */
    calibratedOn: isoDate.optional(),
    stock: z.enum(LABEL_STOCK_IDS, { message: 'must be one of the label stocks' }),
    symbology: z.enum(SYMBOLOGIES, { message: 'must be Code 128 or QR code' }),
    /** Labels already used on the first sheet: printing starts after them. */
    skip: z
      .number({ message: 'must be a number' })
      .int({ message: 'must be a whole number' })
      .min(0, { message: 'must be 0 or more' })
      .optional(),
  })
  .strict()
  .refine((p) => (p.equipmentIds === undefined) !== (p.calibratedOn === undefined), {
    message: 'choose either devices or a calibration day',
    path: ['equipmentIds'],
  })
  .superRefine((p, ctx) => {
    const problem = skipProblem(p.stock, p.skip);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['skip'] });
  });

/** Why `skip` labels cannot be left out on this stock, or null: at least one label of the first sheet must stay to print on. */
export function skipProblem(stock: LabelStockId, skip: number | undefined): string | null {
  if (skip === undefined || !Number.isInteger(skip) || skip < 0) return null;
  const s = LABEL_STOCKS[stock];
  if (s.kind === 'roll') return skip === 0 ? null : 'apply to label sheets only: a roll prints one label at a time';
  const perSheet = s.columns * s.rows;
  return skip < perSheet ? null : `must be at most ${perSheet - 1}: the sheet holds ${perSheet} labels`;
}
export type StickerParamsInput = z.input<typeof StickerParams>;
export type StickerParamsValue = z.output<typeof StickerParams>;

export interface Sticker {
  equipmentId: string;
  assetTag: string;
  name: string;
  location: string;
  /** A device out of service, retired or missing prints DO NOT USE instead. */
  kind: 'calibrated' | 'do_not_use';
  /** The day of the calibration plan's latest passing calibration. */
  calibratedOn: string | null;
  /** The calibration plan's next due date. */
  nextDue: string | null;
  /** Of the technician who did that calibration. */
  initials: string | null;
  /** DO NOT USE: the device's status and why. */
  reason: string | null;
}

export interface StickersDocument {
  view: 'stickers';
  header: PrintHeader;
  stock: LabelStockId;
  symbology: Symbology;
  skip: number;
  stickers: Sticker[];
}
