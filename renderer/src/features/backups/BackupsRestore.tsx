import { useState } from 'react';
import type { AppErrorValue } from '../../../../shared/result';
import { Banner, ErrorBanner } from '../../components/Banner';
import { call, useQuery } from '../../lib/api';

export const backupWhen = (iso: string | null) =>
  iso ? new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso)) : '—';

export function backupSize(bytes: number): string {
  if (bytes >= 1_048_576) return `${(bytes / 1_048_576).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} kB`;
}

/** What a backup holds and whether it verifies, then a restore only after an explicit confirmation. */
export function BackupsRestore({ fileName, onCancel }: { fileName: string; onCancel: () => void }) {
  const details = useQuery('backups.inspect', { fileName });
  const [confirmed, setConfirmed] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppErrorValue | null>(null);
  const d = details.data;

  async function restore() {
    setBusy(true);
    const res = await call('backups.restore', { fileName, confirm: true });
    setBusy(false);
    // On success everyone is signed out and the sign-in screen takes over.
    if (!res.ok) setError(res.error);
  }

  return (
    <section className="panel stack" aria-label="Restore a backup">
      <h2>Restore a backup</h2>
      <ErrorBanner error={details.error} />
      {d ? (
        <>
          <dl className="facts">
            <dt>Taken</dt>
            <dd>{backupWhen(d.createdAt)}</dd>
            <dt>Last change it holds</dt>
            <dd>{backupWhen(d.lastChangeAt)}</dd>
            <dt>Size</dt>
            <dd>{backupSize(d.sizeBytes)}</dd>
            <dt>Equipment</dt>
            <dd>{d.counts?.equipment ?? '—'}</dd>
            <dt>Completion records</dt>
            <dd>{d.counts?.completions ?? '—'}</dd>
            <dt>Users</dt>
            <dd>{d.counts?.users ?? '—'}</dd>
            <dt>Schema version</dt>
            <dd>
              {d.schemaVersion ?? '—'}
              {d.compatibility === 'older' ? ` (this version uses ${d.currentSchemaVersion}: it will be upgraded as it is restored)` : ''}
            </dd>
            <dt>Check</dt>
            <dd>{d.verified ? 'Integrity and audit trail verify' : `Does not verify: ${d.problems.join(' ')}`}</dd>
          </dl>
          {d.restorable ? (
            <>
              <Banner kind="warn">
                Restoring replaces everything in the database with this backup. Work recorded since {backupWhen(d.lastChangeAt)} will be gone from the
                app (a backup of the database as it is now is taken first, so it can be brought back). Everyone is signed out.
              </Banner>
              <label className="check">
                <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} /> I understand: replace the database with this
                backup
              </label>
            </>
          ) : (
            <Banner kind="error">This backup cannot be restored{d.problems[0] ? `: ${d.problems[0]}` : '.'}</Banner>
          )}
          <ErrorBanner error={error} />
          <div className="form-actions">
            {d.restorable ? (
              <button type="button" className="danger" disabled={!confirmed || busy} onClick={() => void restore()}>
                {busy ? 'Restoring…' : 'Restore this backup'}
              </button>
            ) : null}
            <button type="button" onClick={onCancel}>
              Cancel
            </button>
          </div>
        </>
      ) : null}
    </section>
  );
}
