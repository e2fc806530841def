import { useEffect, useState } from 'react';
import { useChannelQuery } from './query';

/**
 * The sync status, read again every few seconds (every second while a new PC downloads the
 * hospital) on a PC in a hub: the background sync moves it on without any write here, so it is
 * the one query the app re-reads on a timer (which also follows the count of changes waiting).
 */
export function useSyncStatus() {
  const [every, setEvery] = useState<number | false>(false);
  const q = useChannelQuery('sync.status', {}, { refreshEveryMs: every });
  const state = q.data?.state;
  // A PC in no hub has nothing moving in the background: it is read once, and again when it joins.
  useEffect(() => setEvery(state === undefined || state === 'not_enrolled' ? false : state === 'joining' ? 1_000 : 5_000), [state]);
  return q;
}
