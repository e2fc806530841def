import { useEffect, useState } from 'react';
import type { BackupEntry } from '../../../../shared/contract/backups';
import type { EventMap } from '../../../../shared/contract/events';
import { formatDateTime } from '../../../../shared/date-format';
import type { AppErrorValue } from '../../../../shared/result';
import { Banner, ErrorBanner } from '../../components/Banner';
import { useChannelMutation, useChannelQuery } from '../../lib/query';
import { useDates } from '../../lib/settings';
import { backupSize, RestoreDialog } from './BackupsRestore';

const REASONS: Record<string, string> = {
  auto: 'Automatic',
  start: 'At start',
  manual: 'Backed up by hand',
  cli: 'Command line',
  'pre-migration': 'Before an upgrade',
  'pre-restore': 'Before a restore',
};

type Progress = EventMap['backup.progress'];

/** How often the list is read again while a backup is not checked yet: the worker checks them in turn, and says nothing when one is done. */
const CHECKS_POLL_MS = 1000;

/** The "Checked" cell: what the backup's check found, or that it has not been made yet. */
function checkedText(b: BackupEntry) {
  if (b.check === 'waiting') return 'Not checked yet';
  if (b.check === 'checking') return 'Checking…';
  return b.verified ? 'Verifies' : <strong>Does not verify: {b.problem}</strong>;
}

/** Admin: back up now, the list of backups, where they go, and restore. */
export function BackupsScreen() {
  // Read again every second while a backup is not checked yet (the worker ends its checks with no write to announce), then no more.
  const [checksPending, setChecksPending] = useState(false);
  const status = useChannelQuery('backups.status', {}, { refreshEveryMs: checksPending ? CHECKS_POLL_MS : false });
  const notChecked = status.data?.backups.filter((b) => b.check !== 'done') ?? [];
  const pending = notChecked.length > 0;
  useEffect(() => setChecksPending(pending), [pending]);
  const dates = useDates();
  const backupWhen = (iso: string | null) => (iso ? formatDateTime(iso, dates.setting) : '—');
  const run = useChannelMutation('backups.run');
  const [progress, setProgress] = useState<Progress | null>(null);
  const [error, setError] = useState<AppErrorValue | null>(null);
  const [done, setDone] = useState<BackupEntry | null>(null);
  const [chosen, setChosen] = useState<{ fileName: string; createdAt: string } | null>(null);
  const reload = status.refetch;
  const busy = run.pending;

  useEffect(
    () =>
      window.api.subscribe('backup.progress', (p) => {
        setProgress(p);
        if (p.phase === 'done' || p.phase === 'failed') reload();
      }),
    [reload],
  );
  async function backUpNow() {
    if (busy) return;
    setError(null);
    setDone(null);
    setProgress({ phase: 'copying', done: 0, total: 0, reason: 'manual', message: null });
    const res = await run.run({});
    if (res.ok) setDone(res.value);
    else setError(res.error);
    // A backup is no write of the database's data: its list is read again here.
    reload();
  }

  const s = status.data;
  if (!s) return <ErrorBanner error={status.error} />;
  const percent = progress && progress.total > 0 ? Math.round((progress.done / progress.total) * 100) : 0;
  // An automatic backup shows its progress here too.
  const active = busy || s.running || progress?.phase === 'copying' || progress?.phase === 'verifying';
  // "Last backup" is the newest that verifies; the newest file that does not, taken after it, is named beside it.
  const newer = (b: BackupEntry) => s.lastBackupAt === null || b.createdAt > s.lastBackupAt;
  const newerUnverified = s.backups.find((b) => b.check === 'done' && !b.verified && newer(b)) ?? null;
  // Backups newer than "Last backup" not checked yet: it may not be the last one that can be restored.
  const newerNotChecked = notChecked.filter(newer).length;

  return (
    <>
      <div className="page-head">
        <h1>Backups</h1>
      </div>

      <section className="panel stack" aria-label="Back up now">
        <p>
          Wardkeep backs up the database when it starts and every four hours while it is open (never while the newest backup is less than four hours old), and before every upgrade. Each backup is checked
          (integrity and audit trail) before it is kept. It keeps every backup of the last {s.retention.recentHours} hours, the newest of each of the
          last {s.retention.daily} days, {s.retention.weekly} weeks and {s.retention.monthly} months, and the backups taken before an upgrade or a restore
          for {s.retention.safetyDays} days.
        </p>
        <p>
          Last backup: <strong>{s.lastBackupAt === null && newerNotChecked > 0 ? 'not known until the backups are checked' : backupWhen(s.lastBackupAt)}</strong>
          {s.lastBackupAt !== null && newerNotChecked > 0 ? ` (${newerNotChecked === 1 ? 'a newer backup is' : `${newerNotChecked} newer backups are`} not checked yet)` : null}
          {newerUnverified ? (
            <>
              {' '}
              (a newer backup file, of {backupWhen(newerUnverified.createdAt)}, does not verify and cannot be restored: {newerUnverified.problem})
            </>
          ) : null}
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
        {/* The last failure until a backup succeeds, whenever this screen is opened (a backup at
            start or every four hours fails with no one looking: a USB stick taken out). */}
        {!busy && !error && !done && s.lastFailure ? (
          <Banner kind="error">
            The last {s.lastFailure.reason === 'manual' ? '' : 'automatic '}backup, at {backupWhen(s.lastFailure.at)}, failed: {s.lastFailure.message}
          </Banner>
        ) : null}
      </section>

      <section className="panel">
        <h2>Backups in {s.folder}</h2>
        {/* After a restart (or a file copied in by hand) a backup has no check kept: listed at once, checked in turn
            (minutes at 5 GB) on a thread of their own, never behind an import; each result appears here when it is made. */}
        <div role="status">
          {pending ? (
            <p>
              {notChecked.length === 1 ? 'One backup is' : `${notChecked.length} backups are`} not checked yet. Wardkeep checks each in turn, as a restore would,
              and shows the result here when it is done.
            </p>
          ) : null}
        </div>
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
                  <td>{checkedText(b)}</td>
                  <td>
                    <button type="button" onClick={() => setChosen(b)}>
                      Restore…<span className="sr-only"> the backup of {backupWhen(b.createdAt)}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      {chosen ? <RestoreDialog fileName={chosen.fileName} takenAt={chosen.createdAt} onClose={() => setChosen(null)} /> : null}

      <FolderForm folder={s.folder} defaultFolder={s.defaultFolder} isDefault={s.isDefault} onSaved={reload} />
    </>
  );
}

/**
 * Where backups go: a folder of this PC's (another disk, a USB stick), or the default. The folder is
 * chosen in the desktop app's own folder dialog, run by the main process: the page never names a path.
 */
function FolderForm({ folder, defaultFolder, isDefault, onSaved }: { folder: string; defaultFolder: string; isDefault: boolean; onSaved: () => void }) {
  const choose = useChannelMutation('backups.chooseFolder');
  const useDefault = useChannelMutation('backups.useDefaultFolder');
  const [outcome, setOutcome] = useState<{ ok: string } | { error: AppErrorValue } | null>(null);
  const busy = choose.pending || useDefault.pending;
  async function chooseFolder() {
    if (busy) return;
    setOutcome(null);
    const res = await choose.run({});
    if (!res.ok) setOutcome({ error: res.error });
    else if (res.value.chosen) setOutcome({ ok: `Backups now go to ${res.value.status.folder}.` });
    onSaved();
  }
  async function backToDefault() {
    if (busy) return;
    setOutcome(null);
    const res = await useDefault.run({});
    setOutcome(res.ok ? { ok: `Backups now go to the default folder, ${res.value.folder}.` } : { error: res.error });
    onSaved();
  }
  const failed = outcome && 'error' in outcome ? outcome.error : null;
  return (
    <section className="panel stack" aria-labelledby="backup-folder-title">
      <h2 id="backup-folder-title">Backup folder</h2>
      <div className="field">
        <p id="backup-folder-now">
          Backups go to <strong className="mono">{folder}</strong>
          {isDefault ? ' (the default, beside the database).' : '.'}
        </p>
        {failed ? (
          <span className="error">
            <span className="sr-only">Error: </span>
            {failed.message}
          </span>
        ) : null}
        <span className="help">
          Choose a folder on another disk or a USB stick, so a backup outlives this PC&apos;s disk. The default is {defaultFolder}. This setting belongs to
          this PC.
        </span>
      </div>
      {failed ? (
        <Banner kind="error">
          The backup folder was not changed: <strong>{failed.message}</strong>
        </Banner>
      ) : null}
      {outcome && 'ok' in outcome ? <Banner kind="ok">{outcome.ok}</Banner> : null}
      <div className="form-actions">
        <button type="button" onClick={() => void chooseFolder()} disabled={busy}>
          Choose a folder…
        </button>
        {!isDefault ? (
          <button type="button" onClick={() => void backToDefault()} disabled={busy}>
            Use the default folder
          </button>
        ) : null}
      </div>
    </section>
  );
}
