import { addDays, startOfDay } from 'date-fns';
import type { IsoDate } from '../domain/common';
import type { EquipmentStatus } from '../domain/equipment';
import { toDate } from '../scheduling/dates';

/**
 * Downtime from the status history (issue 16): a device's spells out of service, clipped to a
 * period of calendar days, to the minute. The history holds instants (UTC), so a spell across
 * midnight or a daylight-saving change is its real length; a period's days are the PC's local
 * days (rule 1), so a day of the spring change is 23 hours long and one of the autumn change 25.
 */

export interface StatusPoint {
  /** ISO-8601 instant. */
  at: string;
  from: EquipmentStatus | null;
  to: EquipmentStatus;
  reason?: string | null;
  workOrderRef?: string | null;
}

export interface Spell {
  /** Milliseconds since the epoch. */
  start: number;
  /** Null while it lasts. */
  end: number | null;
  status: EquipmentStatus;
  /** Why it began (the change that started it). */
  reason: string | null;
  workOrderRef: string | null;
}

/**
 * The changes in the order they happened. Each change's `from` is the status the one before it
 * left, so the chain gives the order: clocks that disagree (a tag-out stamped 12:00 by a PC whose
 * clock runs fast, the return stamped 11:00 by the workshop's) do not turn the return into the
 * start of a spell. The chain starts where the device was added (`from` null), else at the status
 * its changes leave one more time than they reach, else (a history that ends where it began) at
 * `current` or, without it, in service (a device was in service before its first change). Each
 * next change is the earliest left whose `from` is the status reached; when none is (a change
 * another PC kept, a history begun late), the earliest left. For a history whose times follow its
 * chain (every PC's clock right) this is the order of time.
 */
export function chainOrder<C extends Pick<StatusPoint, 'at' | 'from' | 'to'>>(changes: readonly C[], current?: EquipmentStatus): C[] {
  const left = [...changes].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const balance = new Map<EquipmentStatus | null, number>();
  for (const c of left) {
    balance.set(c.from, (balance.get(c.from) ?? 0) + 1);
    balance.set(c.to, (balance.get(c.to) ?? 0) - 1);
  }
  const leaves = (st: EquipmentStatus | null) => left.some((c) => c.from === st);
  const surplus = left.find((c) => (balance.get(c.from) ?? 0) > 0);
  let status: EquipmentStatus | null = surplus
    ? surplus.from
    : current !== undefined && leaves(current)
      ? current
      : leaves('in_service')
        ? 'in_service'
        : (left[0]?.from ?? null);
  const out: C[] = [];
  while (left.length > 0) {
    const i = Math.max(0, left.findIndex((c) => c.from === status));
    const next = left.splice(i, 1)[0]!;
    out.push(next);
    status = next.to;
  }
  return out;
}

/**
 * The spells a device spent in one of `statuses`, from its changes in the order they happened
 * (chainOrder). Before its first change a device had the status that change left (or did not
 * exist, when `from` is null); a device with no change was in service all along. A spell ends no
 * earlier than it began. `current`, the device's status now when the changes run up to now: a
 * device in service now has no spell lasting to now, whatever its history lacks (it ends at the
 * latest change known).
 */
export function spellsOf(changes: readonly StatusPoint[], statuses: ReadonlySet<EquipmentStatus>, current?: EquipmentStatus): Spell[] {
  const sorted = chainOrder(changes, current);
  const out: Spell[] = [];
  let open: Spell | null = null;
  const first = sorted[0];
  if (first && first.from !== null && statuses.has(first.from)) {
    open = { start: Number.NEGATIVE_INFINITY, end: null, status: first.from, reason: null, workOrderRef: null };
  }
  for (const c of sorted) {
    const at = Date.parse(c.at);
    const inside = statuses.has(c.to);
    if (open && !inside) {
      open.end = Math.max(at, open.start);
      out.push(open);
      open = null;
    } else if (open && inside && open.status !== c.to) {
      // Out of service, then missing: one spell, whose status is the latest.
      open.status = c.to;
    }
    if (!open && inside) open = { start: at, end: null, status: c.to, reason: c.reason ?? null, workOrderRef: c.workOrderRef ?? null };
  }
  if (open && current !== undefined && !statuses.has(current)) {
    const latest = Math.max(...sorted.map((c) => Date.parse(c.at)));
    open.end = Math.max(latest, open.start);
  }
  if (open) out.push(open);
  return out;
}

/** The instants a period of local calendar days begins and ends: the start of `from`, the start of the day after `to`. */
export function periodBounds(from: IsoDate, to: IsoDate): { start: number; end: number } {
  return { start: startOfDay(toDate(from)).getTime(), end: startOfDay(addDays(toDate(to), 1)).getTime() };
}

/** Milliseconds of a spell inside [start, end); `now` ends a spell that lasts. */
export function overlapMs(spell: Spell, start: number, end: number, now: number): number {
  const a = Math.max(spell.start, start);
  const b = Math.min(spell.end ?? now, end, now);
  return Math.max(0, b - a);
}

/** Whole minutes, to the nearest: what reports print. */
export const toMinutes = (ms: number): number => Math.round(ms / 60_000);

export interface DeviceDowntime {
  /** Minutes out of service in the period: the sum of its spells' minutes, as printed. */
  minutes: number;
  /**
   * Spells that touch the period, with their real start and end (`end` null only while the spell
   * lasts now) and their minutes inside the period.
   */
  spells: (Spell & { minutes: number })[];
}

/**
 * A device's downtime in a period (spells of `out_of_service`), to the minute. `changes` run up to
 * now (a spell that ended after the period has its end), `current` is its status now. Each spell's
 * minutes are rounded as printed, and the total is their sum, so a column of spells adds up.
 */
export function downtimeIn(changes: readonly StatusPoint[], period: { start: number; end: number }, now: number, current?: EquipmentStatus): DeviceDowntime {
  const spells = spellsOf(changes, new Set<EquipmentStatus>(['out_of_service']), current)
    .map((s) => ({ ...s, ms: overlapMs(s, period.start, period.end, now) }))
    .filter((s) => s.ms > 0)
    .map(({ ms, ...s }) => ({ ...s, minutes: toMinutes(ms) }));
  return { minutes: spells.reduce((n, s) => n + s.minutes, 0), spells };
}

/** Whether a device was out of service (or missing, or retired) at any moment of a local day. */
export function outOfServiceOn(spells: readonly Spell[], day: IsoDate): Spell | null {
  const { start, end } = periodBounds(day, day);
  return spells.find((s) => s.start < end && (s.end === null || s.end > start)) ?? null;
}

/** "3 d 4 h 12 min", "45 min": a length of time as reports print it. */
export function formatMinutes(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  return [d > 0 ? `${d} d` : '', h > 0 ? `${h} h` : '', m > 0 ? `${m} min` : ''].filter(Boolean).join(' ');
}
