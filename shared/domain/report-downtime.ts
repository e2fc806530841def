import { z } from 'zod';
import { id, isoDate } from './common';

/** The downtime report's period: local calendar days, both included (issue 16). */
export const DowntimeParams = z
  .object({ from: isoDate, to: isoDate, locationIds: z.array(id).max(500).optional() })
  .strict()
  .refine((p) => p.from <= p.to, { message: 'must be on or after the first day of the period', path: ['to'] });
export type DowntimeParamsValue = z.output<typeof DowntimeParams>;

export interface DowntimeDevice {
  equipmentId: string;
  assetTag: string;
  name: string;
  category: string | null;
  model: string | null;
  location: string;
  /** Minutes out of service within the period. */
  minutes: number;
  /** Spells out of service that touch the period: ISO instants, `end` null while it lasts. */
  spells: { start: string; end: string | null; minutes: number; reason: string | null; workOrderRef: string | null }[];
}

export interface DowntimeReport {
  from: string;
  to: string;
  /** Devices with any downtime in the period, most first. */
  devices: DowntimeDevice[];
  /** Per category (null: no category): devices down and minutes, most first. */
  categories: { category: string | null; devices: number; minutes: number }[];
}
