import { z } from 'zod';
import { id, optionalText, requiredText } from './common';
import { RISKS } from './equipment';
import type { Risk } from './equipment';

/** A device type (infusion pump, defibrillator…). Later issues hang default plans on it. */
export const CategoryFields = z.object({
  name: requiredText(120),
  defaultRisk: z
    .enum(RISKS)
    .nullable()
    .optional()
    .transform((v) => v ?? null),
  notes: optionalText(2000),
});
export type CategoryFieldsValue = z.output<typeof CategoryFields>;

/**
 * A category's name, default risk and notes as a page read them (the saved values, unchecked):
 * what the edit dialog opened with, sent as the save's `expected`. Compared as they are, never saved.
 */
export const CategoryExpected = z
  .object({
    name: z.string().max(200),
    defaultRisk: z.enum(RISKS).nullable(),
    notes: z.string().max(4000).nullable(),
  })
  .strict();
export type CategoryExpectedValue = z.output<typeof CategoryExpected>;

/** A category's fields as saved, sent as the edit's `expected`. */
export function categoryExpected(c: Pick<Category, 'name' | 'defaultRisk' | 'notes'>): CategoryExpectedValue {
  return { name: c.name, defaultRisk: c.defaultRisk, notes: c.notes };
}

/**
 * A change to a category: its name, default risk and notes (the edit dialog; risk and notes left
 * out are cleared), with `expected` what the dialog opened with; and/or `active`. `active` alone
 * (Take out of use… / Bring back…) changes that and nothing else, so a page read before someone
 * else renamed the category never writes the old name back.
 */
export const CategoryUpdate = z
  .object({
    id,
    name: CategoryFields.shape.name.optional(),
    defaultRisk: CategoryFields.shape.defaultRisk.optional(),
    notes: CategoryFields.shape.notes.optional(),
    active: z.boolean().optional(),
    expected: CategoryExpected.optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    const named = v.name !== undefined;
    if (!named && (v.defaultRisk !== undefined || v.notes !== undefined || v.expected !== undefined || v.active === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['name'], message: 'is required' });
    }
  });
export type CategoryUpdateValue = z.output<typeof CategoryUpdate>;

export interface Category {
  id: string;
  name: string;
  defaultRisk: Risk | null;
  notes: string | null;
  active: boolean;
  /** Devices of this category, whatever their status. */
  equipmentCount: number;
}

/** A category as the Categories screen lists it. */
export interface CategoryListing extends Category {
  /**
   * Set when it is in use and its name prints like another category's in use without being the same
   * name: the sentence shown under it (categories/service.ts). Null otherwise.
   */
  printsLike: string | null;
}
