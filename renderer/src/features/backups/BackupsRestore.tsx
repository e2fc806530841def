import { formatDateTime } from '../../../../shared/date-format';
import { Banner, ErrorBanner } from '../../components/Banner';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useChannelMutation, useChannelQuery } from '../../lib/query';
import { useDates } from '../../lib/settings';
import { useSyncStatus } from '../../lib/sync-status';

export function backupSize(bytes: number): string {
  if (bytes >= 1_048_576) return `${(bytes / 1_048_576).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} kB`;
}

/**
 * What a backup holds and whether it verifies, in the confirm dialog that restores it: the person
 * sees what they would get back before anything is replaced.
 */
export function RestoreDialog({ fileName, takenAt, onClose }: { fileName: string; takenAt: string; onClose: () => void }) {
  const details = useChannelQuery('backups.inspect', { fileName });
  const restore = useChannelMutation('backups.restore');
  const sync = useSyncStatus().data;
  const dates = useDates();
  const when = (iso: string | null) => (iso ? formatDateTime(iso, dates.setting) : '—');
  const d = details.data;
  return (
    <ConfirmDialog
      title={`Restore the backup of ${when(takenAt)}?`}
      confirmLabel="Restore this backup"
      danger
      wide
      onClose={onClose}
      // On success everyone is signed out and the sign-in screen takes over.
      onConfirm={() => restore.run({ fileName, confirm: true })}
      onDone={onClose}
      // Offered only once the backup was read and passes the restore's check: not while it is still
      // being read (the person has seen neither its check nor what would be lost), nor when it is gone.
      extraActions={() => (d?.restorable ? null : <span />)}
    >
      <ErrorBanner error={details.error} />
      {d ? (
        <>
          <dl className="facts">
            <dt>Taken</dt>
            <dd>{when(d.createdAt)}</dd>
            <dt>Last change it holds</dt>
            <dd>{when(d.lastChangeAt)}</dd>
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
            <Banner kind="warn">
              {sync?.hub ? (
                // On a PC of a hub the work since the backup is not simply gone: what reached the hub comes back (docs/sync.md).
                <>
                  Restoring replaces everything in this PC&apos;s database with this backup. This PC is in the hospital hub: at the next sync, the work that
                  reached the hub comes back, this PC&apos;s own since {when(d.lastChangeAt)} included.{' '}
                  {sync.pendingOut > 0
                    ? `${sync.pendingOut === 1 ? '1 change made here has' : `${sync.pendingOut} changes made here have`} not reached the hub yet: those made since ${when(d.lastChangeAt)} will be gone from the app`
                    : 'Every change made here has reached the hub; nothing waits to be sent'}{' '}
                  (a backup of the database as it is now is taken first, so it can be brought back). Everyone is signed out.
                </>
              ) : (
                <>
                  Restoring replaces everything in the database with this backup. Work recorded since {when(d.lastChangeAt)} will be gone from the app (a
                  backup of the database as it is now is taken first, so it can be brought back). Everyone is signed out.
                </>
              )}
            </Banner>
          ) : (
            <Banner kind="error">This backup cannot be restored{d.problems[0] ? `: ${d.problems[0]}` : '.'}</Banner>
          )}
        </>
      ) : details.error ? null : (
        <p className="muted">Reading the backup…</p>
      )}
    </ConfirmDialog>
  );
}
