import { Fragment, useEffect, useId, useMemo, useRef, useState } from 'react';
import { AS_A } from '../../../../shared/contract/access';
import type { ClashItem, ConflictItem } from '../../../../shared/contract/sync';
import { Banner, ErrorBanner } from '../../components/Banner';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useChannelMutation, useChannelQuery } from '../../lib/query';
import { Link } from '../../lib/router';
import { can, useSession } from '../../lib/session';
import { useDates } from '../../lib/settings';
import { useSyncStatus } from '../../lib/sync-status';

type Side = ConflictItem['winner'];

function Value({ side, dates, label }: { side: Side; dates: ReturnType<typeof useDates>; label: string }) {
  return (
    <div className="conflict-value">
      <span className="sr-only">{label}: </span>
      <strong>{side.text}</strong>
      <div className="muted small">
        {side.who ? `${side.who}, ` : ''}
        {side.pc}, {dates.dateTime(side.at)}
      </div>
    </div>
  );
}

function Row({ c, onUseOther, onKeep }: { c: ConflictItem; onUseOther: (c: ConflictItem) => void; onKeep: (c: ConflictItem) => void }) {
  const dates = useDates();
  const { user } = useSession();
  return (
    <tr data-testid="conflict-row" className={c.rule === 'restrictive' ? 'status-clash' : undefined}>
      <th scope="row" className="row-head">
        {c.equipmentId ? <Link to={`/equipment/${c.equipmentId}`}>{c.row}</Link> : c.row}
        {c.rule === 'restrictive' ? <div className="flag danger-flag">Status clash</div> : null}
      </th>
      <td>{c.fields.join(', ')}</td>
      <td>
        <Value side={c.winner} dates={dates} label="In force" />
        {c.changedSince ? (
          <p className="small warn-text" data-testid="conflict-changed-since">
            Changed again since: now <strong>{c.changedSince}</strong>.
          </p>
        ) : null}
      </td>
      <td>
        <Value side={c.loser} dates={dates} label="The other value" />
      </td>
      <td className="small">{c.why}</td>
      <td>
        {c.resolvedAt ? (
          <span className="small">
            {c.resolution === 'used_other' ? 'Used the other' : 'Kept'} ({c.resolvedBy}, {dates.dateTime(c.resolvedAt)})
          </span>
        ) : !can(user, c.resolveRole) ? (
          // Whoever may change such a row elsewhere decides (a user's role or PIN, a setting: an administrator).
          <span className="small muted">{`For ${AS_A[c.resolveRole]} to decide.`}</span>
        ) : (
          <div className="row-actions">
            <button
              type="button"
              className="small-button"
              onClick={() => onKeep(c)}
              aria-label={c.twoDecisions ? `Keep: mark the two decisions on ${c.row} as looked at` : `Keep ${c.changedSince ?? c.winner.text} for ${c.row}`}
            >
              Keep
            </button>
            {/* Changed again since: the other value would undo that later edit unseen (main refuses it). Two decisions: there is no other value. */}
            {c.changedSince || c.twoDecisions ? null : (
              <button
                type="button"
                className="small-button"
                onClick={() => onUseOther(c)}
                aria-label={`Use the other value, ${c.loser.text}, for ${c.row}`}
              >
                Use the other
              </button>
            )}
          </div>
        )}
      </td>
    </tr>
  );
}

/** A name two PCs gave at once: each row in use, a link to the device (or, for an administrator, the users). */
function Clash({ k }: { k: ClashItem }) {
  const { user } = useSession();
  const alike = k.alike;
  return (
    <li data-testid="clash">
      {alike ? (
        <>
          The {k.label}{' '}
          {alike.names.map((n, i) => (
            <Fragment key={n}>
              {i === 0 ? '' : i === alike.names.length - 1 ? ' and ' : ', '}
              <strong>{n}</strong>
            </Fragment>
          ))}{' '}
          print alike, {alike.why}:
        </>
      ) : (
        <>
          The {k.label} <strong>{k.name}</strong> is on {k.rows.length} rows:
        </>
      )}
      <ul>
        {k.rows.map((r) => (
          <li key={r.id}>
            {r.equipmentId ? (
              <Link to={`/equipment/${r.equipmentId}`}>{r.text}</Link>
            ) : r.userId && can(user, 'admin') ? (
              <Link to="/users">{r.text}</Link>
            ) : (
              r.text
            )}
          </li>
        ))}
      </ul>
    </li>
  );
}

/**
 * Supervisors: each field two PCs changed without knowing of each other, both values, who and
 * when, which one stands. "Keep" marks it looked at; "Use the other" writes the other value back,
 * a new edit like any other (audited, and it syncs to every PC). Status clashes are on top.
 */
export function ConflictsScreen() {
  const [all, setAll] = useState(false);
  const list = useChannelQuery('sync.conflicts', all ? { all: true } : {}, { keepPrevious: true });
  const resolve = useChannelMutation('sync.resolveConflict');
  // `shown`: what main wrote as in force now when the row was pressed (before the date format), sent back so a later change is not kept unseen.
  const [asking, setAsking] = useState<{ c: ConflictItem; choice: 'kept' | 'used_other'; shown: string | null } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const clashes = useChannelQuery('sync.clashes', {});
  // The row and its buttons go once decided: the focus goes to the sentence saying what was done.
  const doneRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (done) doneRef.current?.focus();
  }, [done]);
  const toggleId = useId();
  const namesId = useId();
  const dates = useDates();
  // A value is text main wrote from the row ("2027-01-31" for a warranty date): its days are shown in the date format, like every date.
  const rows = useMemo(
    () =>
      (list.data ?? []).map((c) => ({
        ...c,
        winner: { ...c.winner, text: dates.text(c.winner.text) },
        loser: { ...c.loser, text: dates.text(c.loser.text) },
        changedSince: c.changedSince === null ? null : dates.text(c.changedSince),
        why: dates.text(c.why),
      })),
    [list.data, dates],
  );
  // Asking about another conflict clears the sentence about the one before: it is never read as this decision's.
  const ask = (c: ConflictItem, choice: 'kept' | 'used_other') => {
    setDone(null);
    setAsking({ c, choice, shown: list.data?.find((x) => x.id === c.id)?.changedSince ?? null });
  };
  const open = rows.filter((c) => !c.resolvedAt);
  // "No conflicts" is only true of a PC that has synced: before its first sync it cannot know of any.
  const status = useSyncStatus().data;
  const synced = status ? status.lastSyncAt !== null : null;
  const stale = status && status.lastSyncAt && status.state !== 'synced' && status.state !== 'syncing' ? status.lastSyncAt : null;
  const noneYet = list.data && clashes.data && open.length === 0 && synced === false;
  return (
    <>
      <div className="page-head">
        <h1>Conflicts</h1>
        <div className="actions">
          <label htmlFor={toggleId} className="checkbox-label">
            <input id={toggleId} type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} /> Show resolved ones too
          </label>
        </div>
      </div>
      <p className="muted">
        When two PCs change the same thing while apart, the later change stands everywhere (for a device&apos;s status, the more restrictive
        one) and the other is kept here. Keep what stands, or use the other value: either way it is recorded and every PC follows.
      </p>
      <ErrorBanner error={list.error} />
      <ErrorBanner error={clashes.error} />
      {done ? (
        <div ref={doneRef} tabIndex={-1} data-testid="conflict-done">
          <Banner kind="ok">{done}</Banner>
        </div>
      ) : null}
      {noneYet ? (
        <p className="panel" data-testid="conflicts-not-synced">
          This PC has not synced with the hub yet: the conflicts between PCs show here once it has.
        </p>
      ) : null}
      {synced && list.data && clashes.data && open.length === 0 && clashes.data.length === 0 ? (
        <p className="panel all-clear">No conflicts to look at{stale ? ` as of the last sync, ${dates.dateTime(stale)}` : ''}.</p>
      ) : null}
      {synced && list.data && clashes.data && open.length === 0 && clashes.data.length > 0 ? (
        <p className="muted">No changes made apart to look at{stale ? ` as of the last sync, ${dates.dateTime(stale)}` : ''}.</p>
      ) : null}
      {rows.length > 0 ? (
        <table className="data conflicts">
          <caption className="sr-only">Conflicts between PCs, status clashes first</caption>
          <thead>
            <tr>
              <th scope="col">What</th>
              <th scope="col">Field</th>
              <th scope="col">In force</th>
              <th scope="col">The other value</th>
              <th scope="col">Why</th>
              <th scope="col">
                <span className="sr-only">Decision</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <Row key={c.id} c={c} onKeep={(x) => ask(x, 'kept')} onUseOther={(x) => ask(x, 'used_other')} />
            ))}
          </tbody>
        </table>
      ) : null}
      {clashes.data && clashes.data.length > 0 ? (
        <section aria-labelledby={namesId} id="names-made-twice" className="panel">
          <h2 id={namesId}>Names made twice</h2>
          <p className="muted">
            Two PCs gave the same name to two rows while apart, or names that print alike (each PC refuses only a look-alike of a name it holds). Both
            stand, a search finds both and a scan opens the one in use: rename one, or retire it (a device) or deactivate it (a user), and the
            clash ends on every PC.
          </p>
          <ul className="clash-list">
            {clashes.data.map((k) => (
              <Clash key={`${k.label} ${k.name} ${k.rows.map((r) => r.id).join(' ')}`} k={k} />
            ))}
          </ul>
        </section>
      ) : null}
      {asking ? (
        <ConfirmDialog
          title={
            asking.c.twoDecisions
              ? 'Mark the two decisions as looked at?'
              : asking.choice === 'kept'
                ? `Keep ${asking.c.changedSince ?? asking.c.winner.text}?`
                : `Use ${asking.c.loser.text} instead?`
          }
          confirmLabel={asking.choice === 'kept' ? 'Keep it' : 'Use the other value'}
          onConfirm={() => resolve.run({ id: asking.c.id, choice: asking.choice, changedSince: asking.shown })}
          onDone={(c) => {
            const kept = asking.c.changedSince ?? dates.text(c.winner.text);
            const twice = asking.c.twoDecisions;
            setAsking(null);
            setDone(
              `${c.row}: ${twice ? 'marked as looked at' : c.resolution === 'used_other' ? `now ${dates.text(c.loser.text)}` : `kept ${kept}`}. Every PC follows at its next sync.`,
            );
          }}
          onClose={() => setAsking(null)}
        >
          {asking.c.twoDecisions ? (
            <p>
              {asking.c.row}: {asking.c.winner.who ?? asking.c.winner.pc} and {asking.c.loser.who ?? asking.c.loser.pc} decided it on two PCs apart.{' '}
              {asking.c.why} Nothing else changes: the two decisions are marked as looked at, under your name.
            </p>
          ) : asking.choice === 'kept' && asking.c.changedSince ? (
            <p>
              {asking.c.row} was changed again since the conflict: {asking.c.changedSince} is in force now, and stays. The conflict is
              marked as looked at, under your name.
            </p>
          ) : asking.choice === 'kept' ? (
            <p>
              {asking.c.row} keeps {asking.c.winner.text}; the conflict is marked as looked at, under your name.
            </p>
          ) : (
            <p>
              {asking.c.row} changes from {asking.c.winner.text} to {asking.c.loser.text}. This is a new edit under your name, in the audit
              trail, and every PC follows at its next sync.
            </p>
          )}
        </ConfirmDialog>
      ) : null}
    </>
  );
}
