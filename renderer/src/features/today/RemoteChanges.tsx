import { plural } from '../../../../shared/labels';
import { useChannelMutation, useChannelQuery } from '../../lib/query';
import { Link } from '../../lib/router';

/**
 * After a sync brought changes for this PC's ward from other PCs (a device tagged out elsewhere, a
 * record logged on another PC), one line says so; the rows below are already up to date (every
 * screen re-reads when rows arrive). "Seen" clears it on this PC. Nothing shows on a PC in no hub.
 */
export function RemoteChanges() {
  const changes = useChannelQuery('sync.changes', {});
  const seen = useChannelMutation('sync.changesSeen');
  const c = changes.data;
  if (!c || c.count === 0) return null;
  const shown = c.items.slice(0, 3);
  const rest = c.count - shown.length;
  return (
    <section className="panel remote-changes" aria-label="Changes from other PCs" data-testid="remote-changes">
      <p>
        <strong>{plural(c.count, 'change')} from other PCs:</strong>{' '}
        {shown.map((item, i) => (
          <span key={`${item.at}-${i}`}>
            {i > 0 ? '; ' : ''}
            {item.equipmentId ? <Link to={`/equipment/${item.equipmentId}`}>{item.text}</Link> : item.text}
          </span>
        ))}
        {rest > 0 ? `; and ${rest} more` : ''}.
      </p>
      <button type="button" className="small-button" onClick={() => void seen.run({})} aria-disabled={seen.pending || undefined}>
        Seen
      </button>
    </section>
  );
}
