import { z } from 'zod';
import type { Settings } from '../domain/settings';
import { SettingsPatch } from '../domain/settings';
import { channel } from './channel';

const none = z.object({}).strict();

/**
 * Each setting as the Settings screen labels its field, in the screen's order: main names a refused value the same way,
 * whoever sent it ("Wrong PINs before an account locks must be at least 3.", never "Lockout
 * attempts …"). The idle lock is typed in minutes on screen and sent in seconds, so its rule speaks
 * of seconds under the words before the field's "(minutes idle)".
 */
export const SETTING_LABELS: Record<keyof Settings, string> = {
  hospitalName: 'Hospital or clinic name',
  defaultLocationId: "This PC's ward",
  idleTimeoutSeconds: 'Lock the screen after',
  dateFormat: 'Date format',
  lockoutAttempts: 'Wrong PINs before an account locks',
  lockoutMinutes: 'Lock the account for (minutes)',
  stockExpiringWithinDays: 'Flag stock expiring within (days)',
  lateEntryReasonAfterDays: 'Ask why work is entered late after (days)',
};

/** `rule`, each of its refusals a whole sentence naming the field by its label. */
function labelled<O, I>(label: string, rule: z.ZodType<O, I>) {
  return z.custom<I>().transform((value, ctx): O => {
    const r = rule.safeParse(value);
    if (r.success) return r.data;
    for (const issue of r.error.issues)
      ctx.addIssue({ code: 'custom', message: `${label} ${issue.message.replace(/\.$/, '')}.`, params: { sentence: true } });
    return z.NEVER;
  });
}

const rules = SettingsPatch.shape;

/**
 * The settings as the screen opened with them (`expected`): a setting changed by someone else since
 * (another window, another administrator) is not saved over unseen. Only their form is checked here;
 * main compares them with the settings in force.
 */
export const SettingsExpected = z
  .object({
    hospitalName: z.string().max(1000),
    defaultLocationId: z.string().max(100).nullable(),
    idleTimeoutSeconds: z.number(),
    lockoutAttempts: z.number(),
    lockoutMinutes: z.number(),
    dateFormat: z.string().max(40),
    stockExpiringWithinDays: z.number(),
    lateEntryReasonAfterDays: z.number(),
  })
  .partial()
  .strict();
export type SettingsExpectedValue = z.output<typeof SettingsExpected>;

export const SettingsUpdate = z
  .object({
    hospitalName: labelled(SETTING_LABELS.hospitalName, rules.hospitalName.unwrap()),
    defaultLocationId: labelled(SETTING_LABELS.defaultLocationId, rules.defaultLocationId.unwrap()),
    idleTimeoutSeconds: labelled(SETTING_LABELS.idleTimeoutSeconds, rules.idleTimeoutSeconds.unwrap()),
    lockoutAttempts: labelled(SETTING_LABELS.lockoutAttempts, rules.lockoutAttempts.unwrap()),
    lockoutMinutes: labelled(SETTING_LABELS.lockoutMinutes, rules.lockoutMinutes.unwrap()),
    dateFormat: labelled(SETTING_LABELS.dateFormat, rules.dateFormat.unwrap()),
    stockExpiringWithinDays: labelled(SETTING_LABELS.stockExpiringWithinDays, rules.stockExpiringWithinDays.unwrap()),
    lateEntryReasonAfterDays: labelled(SETTING_LABELS.lateEntryReasonAfterDays, rules.lateEntryReasonAfterDays.unwrap()),
    expected: SettingsExpected,
  })
  .partial()
  .strict();
export type SettingsUpdateValue = z.output<typeof SettingsUpdate>;

/**
 * The settings as main reads them out: those in force and, when this PC's ward was taken off the
 * lists (by another PC, through the hub: only this PC knows its ward), that ward's path. It counts
 * as no ward (`defaultLocationId` null): the Settings screen says so beside the field.
 */
export interface SettingsRead extends Settings {
  wardTakenOff?: string;
}

export const settingsChannels = {
  /** The settings in force; `wardTakenOff`: this PC's ward, taken off the lists, counted as none. */
  'settings.get': channel<SettingsRead>()({ input: none, access: 'ward_staff', writes: false }),
  /**
   * Changes the settings sent, and only those. `expected`: the settings as the screen opened with
   * them; a setting sent that someone else changed since is refused (`conflict`, beside its field,
   * naming its value now) and nothing is saved.
   */
  'settings.update': channel<SettingsRead>()({ input: SettingsUpdate, access: 'admin', writes: true }),
};
