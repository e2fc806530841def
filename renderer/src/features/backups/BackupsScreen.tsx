import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import type { BackupEntry } from '../../../../shared/contract/backups';
import type { EventMap } from '../../../../shared/contract/events';
import type { AppErrorValue } from '../../../../shared/result';
import { Banner, ErrorBanner } from '../../components/Banner';
import { Field } from '../../components/Field';
import { call, useQuery } from '../../lib/api';
import { fieldErrors } from '../../lib/form-errors';
import { backupSize, backupWhen, BackupsRestore } from './BackupsRestore';

const REASONS: Record<string, string> = {
  auto: 'Automatic',
  start: 'At start',
  manual: 'Backed up by hand',
  cli: 'Command line',
  'pre-migration': 'Before an upgrade',
  'pre-restore': 'Before a restore',
};

type Progress = EventMap['backup.progress'];

/** Admin: back up now, the list of backups, where they go, and restore. */
export function BackupsScreen() {
  const status = useQuery('backups.status', {});
  const [progress, setProgress] = useState<Progress | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppErrorValue | null>(null);
  const [done, setDone] = useState<BackupEntry | null>(null);
  const [folder, setFolder] = useState('');
  const [folderError, setFolderError] = useState<AppErrorValue | null>(null);
  const [folderSaved, setFolderSaved] = useState(false);
  const [chosen, setChosen] = useState<string | null>(null);
  const reload = status.reload;

  useEffect(
    () =>
      window.api.subscribe('backup.progress', (p) => {
        setProgress(p);
        if (p.phase === 'done' || p.phase === 'failed') reload();
      }),
    [reload],
  );
  useEffect(() => {
    if (status.data && folder === '') setFolder(status.data.folder);
  }, [status.data, folder]);

  async function backUpNow() {
    setBusy(true);
    setError(null);
    setDone(null);
    setProgress({ phase: 'copying', done: 0, total: 0, reason: 'manual', message: null });
    const res = await call('backups.run', {});
    setBusy(false);
    if (res.ok) setDone(res.value);
    else setError(res.error);
    reload();
  }

  async function saveFolder(e: FormEvent, value: string | null) {
    e.preventDefault();
    const res = await call('backups.setFolder', { folder: value });
    setFolderSaved(res.ok);
    setFolderError(res.ok ? null : res.error);
    if (res.ok) setFolder(res.value.folder);
    reload();
  }

  const s = status.data;
  if (!s) return <ErrorBanner error={status.error} />;
  const { byField, general } = fieldErrors(folderError);
  const percent = progress && progress.total > 0 ? Math.round((progress.done / progress.total) * 100) : 0;
  // An automatic backup shows its progress here too.
  const active = busy || s.running || progress?.phase === 'copying' || progress?.phase === 'verifying';

  return (
    <>
      <div className="page-head">
        <h1>Backups</h1>
      </div>

      <section className="panel stack" aria-label="Back up now">
        <p>
          Wardkeep backs up the database when it starts, every four hours while it is open, and before every upgrade. Each backup is checked
          (integrity and audit trail) before it is kept. It keeps every backup of the last {s.retention.recentHours} hours, the newest of each of the
          last {s.retention.daily} days, {s.retention.weekly} weeks and {s.retention.monthly} months, and the backups taken before an upgrade or a restore
          for {s.retention.safetyDays} days.
        </p>
        <p>
          Last backup: <strong>{backupWhen(s.lastBackupAt)}</strong>
        </p>
        <div className="form-actions">
          <button type="button" className="primary" onClick={() => void backUpNow()} disabled={active}>
            Back up now
          </button>
          {active ? (
            <>
              <progress max={100} value={progress?.phase === 'verifying' ? 100 : percent} aria-label="Backup progress">
                {percent}%
              </progress>
              <span role="status">{progress?.phase === 'verifying' ? 'Checking the copy…' : `Copying… ${percent}%`}</span>
            </>
          ) : null}
        </div>
        {done ? (
          <Banner kind="ok">
            Backed up and checked: {done.fileName} ({backupSize(done.sizeBytes)}).
          </Banner>
        ) : null}
        <ErrorBanner error={error} />
        {!busy && progress?.phase === 'failed' && !error ? <Banner kind="error">The last automatic backup failed: {progress.message}</Banner> : null}
      </section>

      <section className="panel">
        <h2>Backups in {s.folder}</h2>
        {s.backups.length === 0 ? (
          <p className="empty">No backups yet.</p>
        ) : (
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Taken</th>
                <th scope="col">Why</th>
                <th scope="col">Size</th>
                <th scope="col">Checked</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {s.backups.map((b) => (
                <tr key={b.fileName}>
                  <td title={b.fileName}>{backupWhen(b.createdAt)}</td>
                  <td>{REASONS[b.reason] ?? b.reason}</td>
                  <td>{backupSize(b.sizeBytes)}</td>
                  <td>{b.verified ? 'Verifies' : <strong>Does not verify: {b.problem}</strong>}</td>
                  <td>
                    <button type="button" onClick={() => setChosen(b.fileName)} aria-label={`Restore the backup of ${backupWhen(b.createdAt)}`}>
                      Restore…
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      {chosen ? <BackupsRestore fileName={chosen} onCancel={() => setChosen(null)} /> : null}

      <form className="panel stack" onSubmit={(e) => void saveFolder(e, folder.trim() === '' ? null : folder)} noValidate aria-label="Backup folder">
        <h2>Backup folder</h2>
        {folderSaved ? <Banner kind="ok">Backup folder saved.</Banner> : null}
        <ErrorBanner error={general} />
        <Field
          label="Back up to this folder"
          error={byField.folder}
          help={`The full path of a folder on this PC, another disk or a USB stick. The default is ${s.defaultFolder}. This setting belongs to this PC.`}
        >
          {(p) => <input {...p} type="text" className="mono" value={folder} onChange={(e) => setFolder(e.target.value)} />}
        </Field>
        <div className="form-actions">
          <button type="submit" className="primary">
            Save folder
          </button>
          {!s.isDefault ? (
            <button type="button" onClick={(e) => void saveFolder(e, null)}>
              Use the default folder
            </button>
          ) : null}
        </div>
      </form>
    </>
  );
}
