import { z } from 'zod';
import { id, optionalDate, optionalText, requiredText } from './common';

export const EQUIPMENT_STATUSES = ['in_service', 'out_of_service', 'retired', 'missing'] as const;
export type EquipmentStatus = (typeof EQUIPMENT_STATUSES)[number];
export const STATUS_LABELS: Record<EquipmentStatus, string> = {
  in_service: 'In service',
  out_of_service: 'Out of service',
  retired: 'Retired',
  missing: 'Missing',
};

export const RISKS = ['high', 'medium', 'low'] as const;
export type Risk = (typeof RISKS)[number];

export const OWNERSHIPS = ['owned', 'leased', 'rental', 'demo'] as const;
export type Ownership = (typeof OWNERSHIPS)[number];

/** Asset tags compare case-insensitively after trimming; this is the key the database indexes. */
export function assetTagKey(tag: string): string {
  return tag.trim().toUpperCase();
}

export const assetTag = z
  .string({ message: 'is required' })
  .max(64, { message: 'must be at most 64 characters' })
  .transform((s) => s.trim())
  .refine((s) => s.length > 0, { message: 'is required' })
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), { message: 'must not contain control characters' });

/** The fields a person edits. Location is required; everything optional is null when blank. */
export const EquipmentFields = z.object({
  assetTag,
  name: requiredText(200),
  locationId: id,
  categoryId: id.nullable().optional().transform((v) => v ?? null),
  manufacturer: optionalText(200),
  model: optionalText(200),
  serial: optionalText(200),
  risk: z.enum(RISKS).nullable().optional().transform((v) => v ?? null),
  ownership: z.enum(OWNERSHIPS).nullable().optional().transform((v) => v ?? null),
  acquiredOn: optionalDate,
  inServiceOn: optionalDate,
  warrantyUntil: optionalDate,
  referenceStandard: z.boolean().optional().transform((v) => v ?? false),
  notes: optionalText(4000),
});
export type EquipmentFieldsInput = z.input<typeof EquipmentFields>;
export type EquipmentFieldsValue = z.output<typeof EquipmentFields>;

export interface Equipment {
  id: string;
  assetTag: string;
  name: string;
  locationId: string;
  /** `Site > Ward > Room` */
  locationPath: string;
  categoryId: string | null;
  categoryName: string | null;
  manufacturer: string | null;
  model: string | null;
  serial: string | null;
  risk: Risk | null;
  ownership: Ownership | null;
  status: EquipmentStatus;
  statusReason: string | null;
  acquiredOn: string | null;
  inServiceOn: string | null;
  warrantyUntil: string | null;
  referenceStandard: boolean;
  notes: string | null;
  createdAt: string;
  updatedAt: string;
}
