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

/**
 * What a report over a period shows before its first answer (nothing of an earlier filter to keep
 * on screen): the period it is working out, as a status. The first report after a start reads its
 * period from the disk, seconds at a hospital's size. The screen marks its section `aria-busy`.
 */
export function FirstReportWait({ from, to }: { from: string; to: string }) {
  return (
    <p className="muted" role="status">
      Working out the report for {from} to {to}…
    </p>
  );
}
