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

export const CategoryUpdate = CategoryFields.extend({ id });

export interface Category {
  id: string;
  name: string;
  defaultRisk: Risk | null;
  notes: string | null;
  active: boolean;
  /** Devices of this category, whatever their status. */
  equipmentCount: number;
}
