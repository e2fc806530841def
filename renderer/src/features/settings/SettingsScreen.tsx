import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { z } from 'zod';
import type { SettingsRead } from '../../../../shared/contract/settings';
import { SETTING_LABELS } from '../../../../shared/contract/settings';
import { formatDate } from '../../../../shared/date-format';
import type { DateFormatSetting, Settings } from '../../../../shared/domain/settings';
import { DATE_FORMATS, SettingsPatch } from '../../../../shared/domain/settings';
import { Banner, ErrorBanner } from '../../components/Banner';
import { FormActions, FormField, KitForm, SubmitButton } from '../../components/Form';
import { numberText, readNumber, takeValuesSavedMeanwhile, then, useKitForm } from '../../lib/form';
import { HubSection } from './HubSection';
import { channelQuery, useChannelMutation, useChannelQuery } from '../../lib/query';
import { Link } from '../../lib/router';

interface Values {
  hospitalName: string;
  defaultLocationId: string;
  idleMinutes: string;
  lockoutAttempts: string;
  lockoutMinutes: string;
  dateFormat: DateFormatSetting;
  stockExpiringWithinDays: string;
  lateEntryReasonAfterDays: string;
}

const shape = SettingsPatch.shape;

/** The fields as labelled on screen (main names them the same way): a refusal names its field the way the person sees it. */
const LABELS = {
  hospitalName: SETTING_LABELS.hospitalName,
  defaultLocationId: SETTING_LABELS.defaultLocationId,
  idleMinutes: `${SETTING_LABELS.idleTimeoutSeconds} (minutes idle)`,
  dateFormat: SETTING_LABELS.dateFormat,
  lockoutAttempts: SETTING_LABELS.lockoutAttempts,
  lockoutMinutes: SETTING_LABELS.lockoutMinutes,
  stockExpiringWithinDays: SETTING_LABELS.stockExpiringWithinDays,
  lateEntryReasonAfterDays: SETTING_LABELS.lateEntryReasonAfterDays,
} as const;

/** `rule` over a field's text, each refusal a whole sentence naming the field by its label ("Wrong PINs before an account locks must be at least 3."). */
function labelled<T>(label: string, rule: z.ZodType<T, string>): z.ZodType<T, string> {
  return z.string().transform((text, ctx) => {
    const r = rule.safeParse(text);
    if (r.success) return r.data;
    for (const issue of r.error.issues)
      ctx.addIssue({ code: 'custom', message: `${label} ${issue.message.replace(/\.$/, '')}.`, params: { sentence: true } });
    return z.NEVER;
  });
}

/** A number field: blank is refused as required (every one of these settings needs a value), the rest judged by the setting's own rule. */
const number = <T,>(rule: z.ZodType<T, number | undefined>) =>
  then(
    numberText().transform((n, ctx) => {
      if (n !== null) return n;
      ctx.addIssue({ code: 'custom', message: 'is required' });
      return z.NEVER;
    }),
    rule,
  );
const WHOLE_MINUTES = `${SETTING_LABELS.idleTimeoutSeconds} must be a whole number of minutes from 1 to 1440.`;

/**
 * The idle lock as the field shows it: whole minutes, or, for a time set in seconds through the
 * channel (90 s), the minutes with their decimals ("1.5"), so the field never shows a time that is not the one in force.
 */
const idleText = (seconds: number): string => String(seconds % 60 === 0 ? seconds / 60 : Number((seconds / 60).toFixed(2)));

/** "1 minute 30 seconds": the idle lock to the second, for a time that is not whole minutes. */
function exactTime(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  const part = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  return m === 0 ? part(s, 'second') : `${part(m, 'minute')} ${part(s, 'second')}`;
}

/** The form's rules; the idle field's depend on the time in force (`idleSeconds`), which its text may leave as it is. */
function schemaFor(idleSeconds: number) {
  const shown = idleText(idleSeconds);
  return z.object({
    hospitalName: labelled(LABELS.hospitalName, shape.hospitalName.unwrap()),
    defaultLocationId: labelled(
      LABELS.defaultLocationId,
      then(
        z.string().transform((v) => (v === '' ? null : v)),
        shape.defaultLocationId.unwrap(),
      ),
    ),
    // Minutes on screen, seconds in the setting. The text shown for a time that is not whole
    // minutes stands for that time to the second; anything typed must be whole minutes.
    idleMinutes: z.string().transform((text, ctx) => {
      if (text.trim() === shown) return idleSeconds;
      const r = readNumber(text);
      if (r.problem) {
        ctx.addIssue({ code: 'custom', message: `${SETTING_LABELS.idleTimeoutSeconds} ${r.problem}.`, params: { sentence: true } });
        return z.NEVER;
      }
      const minutes = r.value;
      if (minutes === null || !Number.isInteger(minutes) || minutes < 1 || minutes > 1440) {
        ctx.addIssue({ code: 'custom', message: WHOLE_MINUTES, params: { sentence: true } });
        return z.NEVER;
      }
      return minutes * 60;
    }),
    lockoutAttempts: labelled(LABELS.lockoutAttempts, number(shape.lockoutAttempts.unwrap())),
    lockoutMinutes: labelled(LABELS.lockoutMinutes, number(shape.lockoutMinutes.unwrap())),
    dateFormat: labelled(LABELS.dateFormat, shape.dateFormat.unwrap()),
    stockExpiringWithinDays: labelled(LABELS.stockExpiringWithinDays, number(shape.stockExpiringWithinDays.unwrap())),
    lateEntryReasonAfterDays: labelled(LABELS.lateEntryReasonAfterDays, number(shape.lateEntryReasonAfterDays.unwrap())),
  });
}

function valuesOf(s: Settings): Values {
  return {
    hospitalName: s.hospitalName,
    defaultLocationId: s.defaultLocationId ?? '',
    idleMinutes: idleText(s.idleTimeoutSeconds),
    lockoutAttempts: String(s.lockoutAttempts),
    lockoutMinutes: String(s.lockoutMinutes),
    dateFormat: s.dateFormat,
    stockExpiringWithinDays: String(s.stockExpiringWithinDays),
    lateEntryReasonAfterDays: String(s.lateEntryReasonAfterDays),
  };
}

/** The settings in force alone, as a save sends them back (`expected`). */
function inForce({ wardTakenOff: _off, ...settings }: SettingsRead): Settings {
  return settings;
}

/**
 * The settings form. A save carries the settings its fields started from (`expected`): a setting
 * another administrator changed since (another window, another PC through the hub) is refused beside
 * its field, naming its value now, never saved over unseen. The fields this person left alone then
 * take the values saved meanwhile, what they typed stays, and the next save is made on the settings
 * as they now are.
 */
function SettingsForm({ settings }: { settings: SettingsRead }) {
  const locations = useChannelQuery('locations.list', {});
  const info = useChannelQuery('app.info', {});
  const update = useChannelMutation('settings.update');
  const queryClient = useQueryClient();
  // The settings the fields start from: as read, then as each save (or refusal of one made over someone else's change) left them.
  const [base, setBase] = useState(settings);
  const schema = useMemo(() => schemaFor(base.idleTimeoutSeconds), [base.idleTimeoutSeconds]);
  const form = useKitForm({ defaultValues: valuesOf(base), schema });
  const [saved, setSaved] = useState(false);
  const { register } = form;
  // Read while drawing, so react-hook-form keeps it: only the fields the person changed are sent,
  // and a setting nobody touched is neither rewritten nor put in the audit trail.
  const { dirtyFields } = form.formState;
  const sample = info.data?.today ?? '2026-01-31';
  return (
    <KitForm
      form={form}
      className="panel stack"
      label="Settings"
      fieldOf={(f) => (f === 'idleTimeoutSeconds' ? 'idleMinutes' : f)}
      // "Settings saved." belongs to the last save only: a press that is then refused (here or by main) takes it away.
      onAttempt={() => setSaved(false)}
      onSubmit={async (v) => {
        const res = await update.run({
          ...(dirtyFields.hospitalName ? { hospitalName: v.hospitalName } : {}),
          // A ward taken off the lists is not in the box, which shows "(all locations)": what is shown is saved.
          ...(dirtyFields.defaultLocationId || base.wardTakenOff ? { defaultLocationId: v.defaultLocationId } : {}),
          ...(dirtyFields.idleMinutes ? { idleTimeoutSeconds: v.idleMinutes } : {}),
          ...(dirtyFields.lockoutAttempts ? { lockoutAttempts: v.lockoutAttempts } : {}),
          ...(dirtyFields.lockoutMinutes ? { lockoutMinutes: v.lockoutMinutes } : {}),
          ...(dirtyFields.dateFormat ? { dateFormat: v.dateFormat } : {}),
          ...(dirtyFields.stockExpiringWithinDays ? { stockExpiringWithinDays: v.stockExpiringWithinDays } : {}),
          ...(dirtyFields.lateEntryReasonAfterDays ? { lateEntryReasonAfterDays: v.lateEntryReasonAfterDays } : {}),
          expected: inForce(base),
        });
        if (res.ok) {
          // The fields start again from what is now in force: nothing is changed until typed again.
          setBase(res.value);
          form.reset(valuesOf(res.value));
        } else if (res.error.code === 'conflict') {
          // Changed by someone else meanwhile (main said so beside the field): the fields left as they
          // opened take the values now in force, and the next save is made over those.
          const now = await queryClient.fetchQuery({ ...channelQuery('settings.get', {}), staleTime: 0 }).catch(() => undefined);
          if (now) {
            takeValuesSavedMeanwhile(form, valuesOf(base), valuesOf(now));
            setBase(now);
          }
        }
        setSaved(res.ok);
        return res;
      }}
    >
      {saved ? <Banner kind="ok">Settings saved.</Banner> : null}
      <div className="grid-2">
        <FormField name="hospitalName" label={LABELS.hospitalName} help="Printed at the top of due lists and reports.">
          {(p) => <input {...p} {...register('hospitalName')} type="text" />}
        </FormField>
        <FormField
          name="defaultLocationId"
          label={LABELS.defaultLocationId}
          help={
            base.wardTakenOff
              ? `This PC's ward, ${base.wardTakenOff}, was taken off the lists, so this PC counts as having no ward (the whole hospital): choose another ward.`
              : "Sign-in lists this ward's staff; Today starts here."
          }
        >
          {(p) => (
            <select {...p} {...register('defaultLocationId')}>
              <option value="">(all locations)</option>
              {(locations.data ?? []).map((l) => (
                <option key={l.id} value={l.id}>
                  {l.path}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <FormField
          name="idleMinutes"
          label={LABELS.idleMinutes}
          help={
            base.idleTimeoutSeconds % 60 === 0
              ? undefined
              : `Now ${exactTime(base.idleTimeoutSeconds)}, which is not a whole number of minutes; it stays so until you type a whole number of minutes.`
          }
        >
          {(p) => <input {...p} {...register('idleMinutes')} type="text" inputMode="numeric" className="narrow" />}
        </FormField>
        <FormField name="dateFormat" label={LABELS.dateFormat} help="How every date is shown, printed and typed.">
          {(p) => (
            <select {...p} {...register('dateFormat')}>
              {DATE_FORMATS.map((f) => (
                <option key={f} value={f}>
                  {f === 'locale' ? `As this PC's locale (${formatDate(sample, 'locale')})` : `${f.toLowerCase()} (${formatDate(sample, f)})`}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <FormField name="lockoutAttempts" label={LABELS.lockoutAttempts}>
          {(p) => <input {...p} {...register('lockoutAttempts')} type="text" inputMode="numeric" className="narrow" />}
        </FormField>
        <FormField name="lockoutMinutes" label={LABELS.lockoutMinutes}>
          {(p) => <input {...p} {...register('lockoutMinutes')} type="text" inputMode="numeric" className="narrow" />}
        </FormField>
        <FormField
          name="stockExpiringWithinDays"
          label={LABELS.stockExpiringWithinDays}
          help="Stock checks and the expiry list flag lots expiring this soon."
        >
          {(p) => <input {...p} {...register('stockExpiringWithinDays')} type="text" inputMode="numeric" className="narrow" />}
        </FormField>
        <FormField
          name="lateEntryReasonAfterDays"
          label={LABELS.lateEntryReasonAfterDays}
          help="Work logged more than this many days after it was done needs a reason, kept with the record."
        >
          {(p) => <input {...p} {...register('lateEntryReasonAfterDays')} type="text" inputMode="numeric" className="narrow" />}
        </FormField>
      </div>
      <FormActions>
        <SubmitButton busyLabel="Saving…">Save settings</SubmitButton>
      </FormActions>
    </KitForm>
  );
}

/** Admin: this PC's ward, the idle lock, the lockout policy, the date format. */
export function SettingsScreen() {
  const settings = useChannelQuery('settings.get', {});
  const info = useChannelQuery('app.info', {});
  return (
    <>
      <div className="page-head">
        <h1>Settings</h1>
      </div>
      <ErrorBanner error={settings.error} />
      {/* The form starts from the settings as read once; a later save by someone else does not reset what is typed. */}
      {settings.data ? <SettingsForm settings={settings.data} /> : null}
      <section className="panel" aria-labelledby="lists-title">
        <h2 id="lists-title">Task types and repair codes</h2>
        <p>
          The tasks plans and records use, with the form each is logged with, and the failure and cause codes of repairs:{' '}
          <Link to="/settings/lists">change the task types and repair codes</Link>.
        </p>
      </section>
      <HubSection />
      {info.data ? (
        <section className="panel" aria-labelledby="about-title">
          <h2 id="about-title">About this installation</h2>
          <dl className="facts">
            <dt>Version</dt>
            <dd>{info.data.version}</dd>
            <dt>Data folder</dt>
            <dd className="mono">{info.data.dataDir}</dd>
            <dt>PC id</dt>
            <dd className="mono">{info.data.pcId}</dd>
            <dt>Schema version</dt>
            <dd>{info.data.schemaVersion}</dd>
          </dl>
        </section>
      ) : null}
    </>
  );
}
