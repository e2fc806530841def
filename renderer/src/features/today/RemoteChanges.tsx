import { useEffect, useRef, useState } from 'react';
import { plural } from '../../../../shared/labels';
import { ErrorBanner } from '../../components/Banner';
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
  // The line and its button go once marked: the focus goes to a sentence saying so, not to the page's body
  // (each time Seen is pressed here, once the line is gone).
  const [marks, setMarks] = useState(0);
  const focusMarked = useRef(false);
  const markedRef = useRef<HTMLParagraphElement>(null);
  const c = changes.data;
  const empty = !c || c.count === 0;
  useEffect(() => {
    if (empty && focusMarked.current) {
      focusMarked.current = false;
      markedRef.current?.focus();
    }
  }, [empty, marks]);
  if (!c || c.count === 0) {
    return marks > 0 ? (
      <p ref={markedRef} tabIndex={-1} role="status" className="muted" data-testid="remote-changes-seen">
        Marked as seen.
      </p>
    ) : null;
  }
  const markSeen = async () => {
    const res = await seen.run({});
    if (!res.ok) return;
    focusMarked.current = true;
    setMarks((n) => n + 1);
  };
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
      <ErrorBanner error={seen.error} />
      <button type="button" className="small-button" onClick={() => void markSeen()} aria-disabled={seen.pending || undefined}>
        Seen
      </button>
    </section>
  );
}
