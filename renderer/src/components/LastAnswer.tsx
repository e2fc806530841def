import type { ReactNode } from 'react';
import { Banner } from './Banner';

/**
 * What a report screen shows while a new filter's answer is read and the last filter's stays on
 * screen (useChannelQuery's `keepPrevious` and `updating`): a banner above it saying whose it is
 * (`note`), and a dashed edge setting it apart. Not dimmed: its text keeps its contrast. The
 * screen also marks its section `aria-busy` and holds back print and export meanwhile.
 */
export function LastAnswer({ updating, note, children }: { updating: boolean; note: ReactNode; children: ReactNode }) {
  return (
    <>
      {updating ? <Banner kind="info">{note}</Banner> : null}
      <div className={updating ? 'stale-figures' : undefined}>{children}</div>
    </>
  );
}

/** The note of a report over a period (compliance, downtime, failures): whose figures are still on screen, by their dates. */
export function lastReportNote(from: string, to: string): ReactNode {
  return (
    <>
      <strong>Working out the report for the filter now chosen.</strong> Until it is ready, the figures below are the last report&apos;s,
      for {from} to {to}.
    </>
  );
}
