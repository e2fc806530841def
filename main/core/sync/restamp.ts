import type { WriteCore } from '../context';
import { command, query } from '../sql/query';
import type { SyncOutboxRow, SyncRowClockRow } from '../sql/rows';
import { formatHlc, HybridClock, isHlc, maxHlc, parseHlc } from './hlc';

/**
 * Changes stamped ahead of the hub's time, stamped again before they are sent.
 *
 * A PC stamps its changes from its own clock corrected by the offset it measured at its last
 * contact with the hub. A clock set wrong since then (a flat CMOS battery, a date typed in wrong
 * while the PC was offline) is not corrected, and its changes carry a time that has not come yet:
 * the hub quarantines those more than four days ahead (a failed safety test that never tags the
 * device out elsewhere, and, once one audit entry is refused, every later entry of the PC's chain
 * with it), and those less far ahead would beat every edit made elsewhere until the time they name.
 * No change can have been made after the hub's time at check-in, so each waiting change stamped
 * more than CLOCK_SLACK_MS ahead of it is stamped again from the hub's time, in the order they were
 * made, each still later than every clock its writer had seen (`base`); the clocks of later changes
 * and of the rows that held the old stamps follow. Only changes the hub cannot hold yet (after its
 * head of their history) are touched, so nothing it has is rewritten.
 */

/** How far ahead of the hub's time a stamp may be before it is taken for a clock that ran ahead (the warning's threshold). */
export const CLOCK_SLACK_MS = 60_000;

/**
 * The waiting changes stamped after `after`, oldest first. Stamps compare as text, wall time first:
 * the text compare needs no parsing of every waiting change (a PC that has just joined may have
 * millions). A change whose clocks the stamping again moves is itself stamped ahead: its row's
 * clocks held the stamp it moves, and a new stamp is always later than its row's clocks.
 */
const aheadOf = query<SyncOutboxRow, { after: string }>('SELECT * FROM sync_outbox WHERE hlc > @after ORDER BY seq');
const setStamp = command<{ seq: number; hlc: string; base: string | null }>(
  'UPDATE sync_outbox SET hlc = @hlc, base = @base WHERE seq = @seq',
);
const rowClocks = query<Pick<SyncRowClockRow, 'clocks'>, { tbl: string; pk: string }>(
  'SELECT clocks FROM sync_row_clock WHERE tbl = @tbl AND pk = @pk',
);
const setRowClocks = command<SyncRowClockRow>('UPDATE sync_row_clock SET clocks = @clocks WHERE tbl = @tbl AND pk = @pk');

/**
 * Stamps again the waiting changes stamped ahead of `hubNowMs` (`heads`: the last change of each
 * history the hub holds). Returns how many were stamped again. In the caller's transaction.
 */
export function restampAhead(w: WriteCore, hubNowMs: number, heads: Readonly<Record<string, number>>): number {
  const limit = hubNowMs + CLOCK_SLACK_MS;
  const clock = new HybridClock(() => hubNowMs);
  const renamed = new Map<string, string>();
  let count = 0;
  for (const row of aheadOf.all(w, { after: formatHlc({ wall: limit, counter: 0, node: '' }) })) {
    // The hub may hold it: it is never rewritten.
    if (row.seq <= (heads[row.replica] ?? 0)) continue;
    const base = row.base ? (JSON.parse(row.base) as Record<string, string>) : null;
    let baseMoved = false;
    if (base) {
      for (const [field, stamp] of Object.entries(base)) {
        const to = renamed.get(stamp);
        if (to !== undefined) {
          base[field] = to;
          baseMoved = true;
        }
      }
    }
    const baseText = base ? JSON.stringify(base) : null;
    if (!isHlc(row.hlc) || parseHlc(row.hlc).wall <= limit) {
      if (baseMoved) setStamp.run(w, { seq: row.seq, hlc: row.hlc, base: baseText });
      continue;
    }
    const seen = base ? Object.values(base).reduce<string | null>((a, b) => maxHlc(a, b), null) : null;
    const stamp = clock.tick(parseHlc(row.hlc).node, 0, seen);
    if (stamp >= row.hlc) {
      if (baseMoved) setStamp.run(w, { seq: row.seq, hlc: row.hlc, base: baseText });
      continue;
    }
    setStamp.run(w, { seq: row.seq, hlc: stamp, base: baseText });
    renamed.set(row.hlc, stamp);
    const held = rowClocks.get(w, { tbl: row.tbl, pk: row.pk });
    if (held) {
      const clocks = JSON.parse(held.clocks) as Record<string, string>;
      let moved = false;
      for (const [field, value] of Object.entries(clocks)) {
        if (value === row.hlc) {
          clocks[field] = stamp;
          moved = true;
        }
      }
      if (moved) setRowClocks.run(w, { tbl: row.tbl, pk: row.pk, clocks: JSON.stringify(clocks) });
    }
    count++;
  }
  return count;
}
