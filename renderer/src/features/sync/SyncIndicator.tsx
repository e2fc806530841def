import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { createPortal } from 'react-dom';
import type { SyncStatusView } from '../../../../shared/contract/sync';
import { plural } from '../../../../shared/labels';
import { Banner, ErrorBanner } from '../../components/Banner';
import { Dialog } from '../../components/Dialog';
import { channelQuery } from '../../lib/query';
import { Link } from '../../lib/router';
import { can, useSession } from '../../lib/session';
import { useDates } from '../../lib/settings';
import { useSyncStatus } from '../../lib/sync-status';
import { clockOff, joinLine, statusLine } from '../../lib/sync-words';

/** The time now, moved on every `ms`: "synced a moment ago" becomes "5 minutes ago" on its own. */
function useNow(ms: number): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const t = setInterval(() => setNow(new Date()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}

/**
 * The PCs the hub knows, asked of the hub each time the dialog opens (not the answer of the last
 * opening shown as current). When the hub cannot be asked, that is said, and a list read before is
 * shown only as of when it was read.
 */
function HubPcs() {
  const pcs = useQuery({ ...channelQuery('sync.pcs', {}), staleTime: 0, refetchOnMount: 'always' });
  const dates = useDates();
  const asking = pcs.isFetching;
  const failed = asking ? null : (pcs.error?.value ?? null);
  // The hub's sentences keep their days as YYYY-MM-DD: written here the Settings way.
  const error = failed ? { ...failed, message: dates.text(failed.message) } : null;
  if (!pcs.data) return error ? <ErrorBanner error={error} /> : <p className="muted">Asking the hub…</p>;
  const readAt = new Date(pcs.dataUpdatedAt).toISOString();
  return (
    <>
      {error ? <ErrorBanner error={error} /> : null}
      {asking || error ? (
        <p className="muted" data-testid="hub-pcs-as-of">
          {asking ? 'Asking the hub again. ' : ''}As the hub listed them at {dates.dateTime(readAt)}: it may know more, or fewer, now.
        </p>
      ) : null}
      <table className="data compact" aria-label="PCs the hub knows">
        <thead>
          <tr>
            <th scope="col">PC</th>
            <th scope="col" title="When the PC last reached the hub, whether or not its sync went through">
              Last contact
            </th>
            <th scope="col">Joined</th>
            <th scope="col">State</th>
          </tr>
        </thead>
        <tbody>
          {pcs.data.map((p) => (
            <tr key={p.pcId}>
              <th scope="row" className="row-head">
                {p.name}
                {p.thisPc ? <span className="muted"> (this PC)</span> : null}
              </th>
              <td className="nowrap">{p.lastSeenAt ? dates.dateTime(p.lastSeenAt) : 'never'}</td>
              <td className="nowrap">{dates.dateTime(p.enrolledAt)}</td>
              <td>{p.revokedAt ? `Removed ${dates.dateTime(p.revokedAt)}` : 'In the hub'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** How many changes the hub refused (or were not sent), and the newest with their reason; every one is in `wardkeep sync status`. */
function Refused({ status }: { status: SyncStatusView }) {
  const dates = useDates();
  const shown = status.quarantine.slice(0, 3);
  return (
    <>
      {plural(status.quarantined, 'change')}
      {shown.length > 0 ? (
        <ul className="refused-list small">
          {shown.map((q, i) => (
            <li key={i}>
              <span className="mono">{q.table}</span> {dates.dateTime(q.at)}: {dates.text(q.reason)}
            </li>
          ))}
        </ul>
      ) : null}
      <span className="muted small">{status.quarantined > shown.length ? 'All of them, with their rows: ' : 'Their rows: '}wardkeep sync status</span>
    </>
  );
}

function Details({ status, onClose }: { status: SyncStatusView; onClose: () => void }) {
  const { user } = useSession();
  const dates = useDates();
  return (
    <Dialog title="Sync with the hospital's hub" onClose={onClose} className="wide">
      <div className="stack">
        <dl className="facts" data-testid="sync-details">
          <dt>Hub</dt>
          <dd className="mono">{status.hub}</dd>
          <dt>This PC at the hub</dt>
          <dd>{status.pcName ?? '—'}</dd>
          <dt>Last successful sync</dt>
          <dd>{status.lastSyncAt ? dates.dateTime(status.lastSyncAt) : 'not yet'}</dd>
          {status.offlineSince ? (
            <>
              <dt>Hub not reachable since</dt>
              <dd>{dates.dateTime(status.offlineSince)}</dd>
            </>
          ) : null}
          <dt>Waiting to send</dt>
          <dd>{status.pendingOut === 0 ? 'nothing: the hub has every change made here' : plural(status.pendingOut, 'change')}</dd>
          <dt>Conflicts to look at</dt>
          <dd>
            {/* Before its first sync the PC cannot know of any: "none" would be a guess. */}
            {status.conflicts === 0 ? (status.lastSyncAt ? 'none' : 'not known until the first sync') : plural(status.conflicts, 'conflict')}
            {status.conflicts > 0 && can(user, 'supervisor') ? (
              <>
                {' '}
                (
                <Link to="/conflicts" onClick={onClose}>
                  resolve them
                </Link>
                )
              </>
            ) : null}
          </dd>
          <dt>Names made twice</dt>
          <dd>
            {status.clashes === 0
              ? status.lastSyncAt
                ? 'none'
                : 'not known until the first sync'
              : `${plural(status.clashes, 'name')} two PCs gave at once: rename or retire one`}
            {status.clashes > 0 && can(user, 'supervisor') ? (
              <>
                {' '}
                (
                <Link to="/conflicts" onClick={onClose}>
                  see which
                </Link>
                )
              </>
            ) : null}
          </dd>
          <dt>Refused or not sent</dt>
          <dd data-testid="sync-refused">
            {status.quarantined === 0 ? 'none' : <Refused status={status} />}
          </dd>
          <dt>Clock</dt>
          <dd>
            {status.clockOffsetMs === null
              ? '—'
              : status.clockWarning
                ? `${clockOff(status.clockOffsetMs)}: ${status.clockWarning}`
                : 'agrees with the hub'}
          </dd>
          {status.join ? (
            <>
              <dt>Joining</dt>
              <dd>{joinLine(status.join)}</dd>
            </>
          ) : null}
        </dl>
        {status.lastError && (status.state === 'error' || status.state === 'offline' || status.state === 'revoked') ? (
          <Banner kind={status.state === 'offline' ? 'warn' : 'error'}>{dates.text(status.lastError)}</Banner>
        ) : null}
        {status.captureProblems.map((p) => (
          <Banner key={p} kind="error">
            {dates.text(p)}
          </Banner>
        ))}
        {/* A revoked PC is refused by the hub (the banner above says so): there is no list to ask for. */}
        {can(user, 'admin') && status.state !== 'revoked' ? (
          <section aria-labelledby="hub-pcs-title">
            <h3 id="hub-pcs-title">PCs the hub knows</h3>
            <HubPcs />
          </section>
        ) : null}
        <div className="form-actions dialog-actions">
          <button type="button" onClick={onClose} data-autofocus>
            Close
          </button>
        </div>
      </div>
    </Dialog>
  );
}

/** In the header, always (on a PC in a hub): synced / syncing / offline since … / clock warning; a click opens the details. */
export function SyncIndicator() {
  const status = useSyncStatus();
  const dates = useDates();
  const now = useNow(15_000);
  const [open, setOpen] = useState(false);
  const s = status.data;
  const line = s ? statusLine(s, now, dates) : null;
  if (!s || !line) return null;
  return (
    <>
      <button
        type="button"
        className={`sync-status ${line.tone}`}
        data-testid="sync-status"
        aria-haspopup="dialog"
        title="Sync details"
        onClick={() => setOpen(true)}
      >
        <span className="sync-dot" aria-hidden="true" />
        {line.text}
        {s.conflicts > 0 ? <span className="sync-conflicts"> · {plural(s.conflicts, 'conflict')}</span> : null}
      </button>
      {/* Out of the header, whose buttons are white on blue: the dialog keeps the page's own styles. */}
      {open ? createPortal(<Details status={s} onClose={() => setOpen(false)} />, document.body) : null}
    </>
  );
}
