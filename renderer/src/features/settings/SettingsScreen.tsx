import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import type { DateFormatSetting, Settings } from '../../../../shared/domain/settings';
import { DATE_FORMATS } from '../../../../shared/domain/settings';
import type { AppErrorValue } from '../../../../shared/result';
import { Banner, ErrorBanner } from '../../components/Banner';
import { Field } from '../../components/Field';
import { call, useQuery } from '../../lib/api';
import { fieldErrors } from '../../lib/form-errors';
import { formatDate } from '../../lib/dates';

/** Admin: this PC's ward, the idle lock, the lockout policy, the date format. */
export function SettingsScreen() {
  const settings = useQuery('settings.get', {});
  const locations = useQuery('locations.list', {});
  const info = useQuery('app.info', {});
  const [draft, setDraft] = useState<Settings | null>(null);
  const [idleMinutes, setIdleMinutes] = useState('');
  const [error, setError] = useState<AppErrorValue | null>(null);
  const [saved, setSaved] = useState(false);
  const { byField, general } = fieldErrors(error);

  useEffect(() => {
    if (settings.data && !draft) {
      setDraft(settings.data);
      setIdleMinutes(String(Math.max(1, Math.round(settings.data.idleTimeoutSeconds / 60))));
    }
  }, [settings.data, draft]);

  if (!draft) return <ErrorBanner error={settings.error} />;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!draft) return;
    const minutes = Number(idleMinutes);
    const res = await call('settings.update', {
      hospitalName: draft.hospitalName,
      defaultLocationId: draft.defaultLocationId,
      idleTimeoutSeconds: Number.isFinite(minutes) ? Math.round(minutes * 60) : NaN,
      lockoutAttempts: draft.lockoutAttempts,
      lockoutMinutes: draft.lockoutMinutes,
      dateFormat: draft.dateFormat,
      stockExpiringWithinDays: draft.stockExpiringWithinDays,
    });
    setSaved(res.ok);
    setError(res.ok ? null : res.error);
  }

  const sample = info.data?.today ?? '2026-01-31';
  return (
    <>
      <div className="page-head">
        <h1>Settings</h1>
      </div>
      {saved ? <Banner kind="ok">Settings saved.</Banner> : null}
      <ErrorBanner error={general} />
      <form className="panel stack" onSubmit={submit} noValidate aria-label="Settings">
        <div className="grid-2">
          <Field label="Hospital or clinic name" error={byField.hospitalName} help="Printed at the top of due lists and reports.">
            {(p) => <input {...p} type="text" value={draft.hospitalName} onChange={(e) => setDraft({ ...draft, hospitalName: e.target.value })} />}
          </Field>
          <Field label="This PC's ward" error={byField.defaultLocationId} help="Sign-in lists this ward's staff; Today starts here.">
            {(p) => (
              <select {...p} value={draft.defaultLocationId ?? ''} onChange={(e) => setDraft({ ...draft, defaultLocationId: e.target.value || null })}>
                <option value="">(all locations)</option>
                {(locations.data ?? []).map((l) => (
                  <option key={l.id} value={l.id}>
                    {l.path}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Lock the screen after (minutes idle)" error={byField.idleTimeoutSeconds}>
            {(p) => <input {...p} type="number" min={1} max={1440} value={idleMinutes} onChange={(e) => setIdleMinutes(e.target.value)} />}
          </Field>
          <Field label="Date format" error={byField.dateFormat}>
            {(p) => (
              <select {...p} value={draft.dateFormat} onChange={(e) => setDraft({ ...draft, dateFormat: e.target.value as DateFormatSetting })}>
                {DATE_FORMATS.map((f) => (
                  <option key={f} value={f}>
                    {f === 'locale' ? `As this PC's locale (${formatDate(sample, 'locale')})` : `${f} (${formatDate(sample, f)})`}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Wrong PINs before an account locks" error={byField.lockoutAttempts}>
            {(p) => (
              <input {...p} type="number" min={3} max={20} value={draft.lockoutAttempts} onChange={(e) => setDraft({ ...draft, lockoutAttempts: Number(e.target.value) })} />
            )}
          </Field>
          <Field label="Lock the account for (minutes)" error={byField.lockoutMinutes}>
            {(p) => (
              <input {...p} type="number" min={1} max={1440} value={draft.lockoutMinutes} onChange={(e) => setDraft({ ...draft, lockoutMinutes: Number(e.target.value) })} />
            )}
          </Field>
          <Field label="Flag stock expiring within (days)" error={byField.stockExpiringWithinDays} help="Stock checks and the expiry list flag lots expiring this soon.">
            {(p) => (
              <input
                {...p}
                type="number"
                min={1}
                max={365}
                value={draft.stockExpiringWithinDays}
                onChange={(e) => setDraft({ ...draft, stockExpiringWithinDays: Number(e.target.value) })}
              />
            )}
          </Field>
        </div>
        <div className="form-actions">
          <button type="submit" className="primary">
            Save settings
          </button>
        </div>
      </form>
      {info.data ? (
        <section className="panel">
          <h2>About this installation</h2>
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
