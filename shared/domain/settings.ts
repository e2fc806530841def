import { z } from 'zod';
import { id } from './common';

export const DATE_FORMATS = ['locale', 'yyyy-MM-dd', 'dd/MM/yyyy', 'MM/dd/yyyy', 'dd.MM.yyyy'] as const;
export type DateFormatSetting = (typeof DATE_FORMATS)[number];

export interface Settings {
  /** Printed on due lists and reports. */
  hospitalName: string;
  /** This PC's ward: the sign-in list and the home screen start there. */
  defaultLocationId: string | null;
  idleTimeoutSeconds: number;
  lockoutAttempts: number;
  lockoutMinutes: number;
  /** 'locale' follows the operating system's locale. */
  dateFormat: DateFormatSetting;
  /** Stock expiring within this many days is flagged (stock checks, expiry list). */
  stockExpiringWithinDays: number;
  /** Work entered more than this many days after it was done needs a reason (issue 13: backdating is never silent). */
  lateEntryReasonAfterDays: number;
}

/**
 * How often at most the page tells main the person is still there (`auth.touch`). Main's idle lock
 * allows this much more than the setting, since the last keys it was told of may be this old.
 */
export const ACTIVITY_REPORT_EVERY_MS = 10_000;

export const DEFAULT_SETTINGS: Settings = {
  hospitalName: '',
  defaultLocationId: null,
  idleTimeoutSeconds: 300,
  lockoutAttempts: 5,
  lockoutMinutes: 5,
  dateFormat: 'locale',
  stockExpiringWithinDays: 30,
  lateEntryReasonAfterDays: 3,
};

export const SettingsPatch = z
  .object({
    hospitalName: z.string().max(200, { message: 'must be at most 200 characters' }).transform((s) => s.trim()),
    defaultLocationId: id.nullable(),
    idleTimeoutSeconds: z
      .number({ message: 'must be a number of seconds' })
      .int({ message: 'must be a whole number of seconds' })
      .min(5, { message: 'must be at least 5 seconds' })
      .max(86_400, { message: 'must be at most one day' }),
    lockoutAttempts: z
      .number({ message: 'must be a whole number' })
      .int({ message: 'must be a whole number' })
      .min(3, { message: 'must be at least 3' })
      .max(20, { message: 'must be at most 20' }),
    lockoutMinutes: z
      .number({ message: 'must be a whole number of minutes' })
      .int({ message: 'must be a whole number of minutes' })
      .min(1, { message: 'must be at least 1 minute' })
      .max(1440, { message: 'must be at most 1440 minutes' }),
    dateFormat: z.enum(DATE_FORMATS, { message: `must be one of ${DATE_FORMATS.map((f) => (f === 'locale' ? "the computer's own (locale)" : f)).join(', ')}` }),
    stockExpiringWithinDays: z
      .number({ message: 'must be a number of days' })
      .int({ message: 'must be a whole number of days' })
      .min(1, { message: 'must be at least 1 day' })
      .max(365, { message: 'must be at most 365 days' }),
    lateEntryReasonAfterDays: z
      .number({ message: 'must be a number of days' })
      .int({ message: 'must be a whole number of days' })
      .min(0, { message: 'must be 0 or more days' })
      .max(365, { message: 'must be at most 365 days' }),
  })
  .partial()
  .strict();
