import { canonicalJson } from '../core/audit';
import { contentId } from '../core/sync/ids';
import type { Change } from '../core/sync/protocol';
import type { SyncTable } from '../core/sync/tables';
import { mergeUnits } from '../core/sync/tables';

/**
 * The hub's merge of one change into one mutable row: deterministic, so two hub processes and any
 * order of PCs give the same result, and every PC then follows the hub's result.
 *
 * For each merge unit (a field, or a group of fields merged together) the change writes:
 * - if the writer had seen the value the hub holds (its base clock is the hub's clock), it is a
 *   later edit and replaces it;
 * - otherwise the two were made concurrently. Usually the later clock wins and the other value is
 *   kept in the conflict log; two decisions of one conflict that decided alike agree (the later
 *   stands, and nothing is logged). For a status a person set, the more restrictive wins ("out of
 *   service" over "in service"), with a new clock from the hub so every PC takes it, and is flagged.
 * A unit's clock only ever moves forward, so a PC can apply the hub's rows in any order.
 */

export interface StoredRow {
  /** Every field, `_exists` included (1 or 0). */
  data: Record<string, unknown>;
  clocks: Record<string, string>;
}

export interface ConflictRecord {
  id: string;
  tbl: string;
  pk: string;
  fields: string;
  winner_value: string;
  winner_hlc: string;
  loser_value: string;
  loser_hlc: string;
  rule: 'latest' | 'restrictive';
}

export interface MergeResult {
  row: StoredRow;
  /** Whether the row changed at all. */
  changed: boolean;
  /** Whether the writer must hear back: some unit did not end as it wrote it. */
  echo: boolean;
  conflicts: ConflictRecord[];
}

const EXISTS = ['_exists'];

function unitsOf(t: SyncTable, change: Change): string[][] {
  if (change.op === 'delete') return [EXISTS];
  const units = mergeUnits(t).filter((u) => u.some((f) => f in change.data));
  return change.op === 'insert' ? [...units, EXISTS] : units;
}

const valuesOf = (unit: readonly string[], data: Record<string, unknown>) => Object.fromEntries(unit.map((f) => [f, data[f] ?? null]));

/**
 * When a unit's clock is one the hub made (a decision by the rule, or a later edit from a PC whose
 * clock was behind), the clocks under which PCs may hold the same value: the writer's own, or the
 * clock the value had before the rule kept it. A PC that has not yet heard the hub's clock writes on
 * top of that value, knowing it, and its edit is a later edit, not a clash: without this, a person
 * who set a status (which won a clash by the rule, under a new clock) and then changed it again
 * before the next pull saw the change undone by their own first one. Kept beside the field clocks
 * under a name no field has ("manual_status@as"); a PC reads only its fields' clocks.
 */
const heldAsKey = (unit: readonly string[]) => `${unit[0]}@as`;
/** The newest 16: more PCs than write one row between two of their pulls. An older one counts as not knowing (a clash, as before). */
const HELD_AS_KEPT = 16;

function rank(order: readonly string[], value: unknown): number {
  return order.indexOf(String(value));
}

/**
 * Merges `change` into `stored` (null when the hub has no such row yet). `fresh(atLeast)` gives a
 * new hub clock later than `atLeast`.
 */
export function mergeChange(t: SyncTable, stored: StoredRow | null, change: Change, fresh: (atLeast: string) => string): MergeResult {
  const row: StoredRow = stored ? { data: { ...stored.data }, clocks: { ...stored.clocks } } : { data: { _exists: 1 }, clocks: {} };
  const incoming: Record<string, unknown> =
    change.op === 'delete' ? { _exists: 0 } : { ...change.data, ...(change.op === 'insert' ? { _exists: 1 } : {}) };
  let changed = false;
  let echo = false;
  const conflicts: ConflictRecord[] = [];
  for (const unit of unitsOf(t, change)) {
    const cur = row.clocks[unit[0]!];
    const mine = valuesOf(unit, incoming);
    const heldAs = row.clocks[heldAsKey(unit)]?.split(' ') ?? [];
    const setHeldAs = (clocks: readonly string[]) => {
      if (clocks.length > 0) row.clocks[heldAsKey(unit)] = clocks.slice(0, HELD_AS_KEPT).join(' ');
      else delete row.clocks[heldAsKey(unit)];
    };
    const take = (clock: string, alsoHeldAs: readonly string[] = []) => {
      for (const f of unit) {
        row.data[f] = mine[f];
        row.clocks[f] = clock;
      }
      setHeldAs(alsoHeldAs);
      changed = true;
    };
    if (cur === undefined) {
      take(change.hlc);
      continue;
    }
    const theirs = valuesOf(unit, row.data);
    const same = canonicalJson(theirs) === canonicalJson(mine);
    const base = change.base?.[unit[0]!];
    if (same) {
      // Nothing to decide; the clock keeps the later of the two.
      if (change.hlc > cur) for (const f of unit) row.clocks[f] = change.hlc;
      continue;
    }
    if (base !== undefined && (base === cur || heldAs.includes(base))) {
      // A later edit by someone who had the hub's value: it replaces it.
      if (change.hlc > cur) take(change.hlc);
      else {
        // The writer holds it under its own clock until it hears the hub's.
        take(fresh(cur), [change.hlc]);
        echo = true;
      }
      continue;
    }
    // Made without knowing each other, alike: two decisions that agree (the later stands, and no clash is logged).
    const agreeOn = t.agreeOn !== undefined && unit.includes(t.agreeOn) ? t.agreeOn : null;
    if (agreeOn && mine[agreeOn] !== null && canonicalJson(mine[agreeOn]) === canonicalJson(theirs[agreeOn])) {
      if (change.hlc > cur) take(change.hlc);
      else echo = true;
      continue;
    }
    // Made without knowing each other.
    const restrictive = t.restrictive && unit.includes(t.restrictive.field) ? t.restrictive : null;
    let incomingWins: boolean;
    if (restrictive) {
      const a = rank(restrictive.order, mine[restrictive.field]);
      const b = rank(restrictive.order, theirs[restrictive.field]);
      incomingWins = a !== b ? a > b : change.hlc > cur;
    } else {
      incomingWins = change.hlc > cur;
    }
    const winner = incomingWins ? { values: mine, hlc: change.hlc } : { values: theirs, hlc: cur };
    const loser = incomingWins ? { values: theirs, hlc: cur } : { values: mine, hlc: change.hlc };
    conflicts.push({
      id: contentId('conflict', t.name, change.pk, unit.join(','), loser.hlc),
      tbl: t.name,
      pk: change.pk,
      fields: unit.join(','),
      winner_value: canonicalJson(winner.values),
      winner_hlc: winner.hlc,
      loser_value: canonicalJson(loser.values),
      loser_hlc: loser.hlc,
      rule: restrictive ? 'restrictive' : 'latest',
    });
    if (restrictive) {
      // Decided by the rule, not by the clocks: a new clock makes every PC take the decision.
      const clock = fresh(change.hlc > cur ? change.hlc : cur);
      for (const f of unit) {
        row.data[f] = winner.values[f];
        row.clocks[f] = clock;
      }
      // Who holds the value in force, and under which clock: its writer alone, or every PC that had it.
      setHeldAs(incomingWins ? [change.hlc] : [cur, ...heldAs]);
      changed = true;
      echo = true;
    } else if (incomingWins) {
      take(change.hlc);
    } else {
      echo = true;
    }
  }
  return { row, changed, echo, conflicts };
}

/**
 * The hub's refusal of what a change did to one merge unit, decided by a rule and not by the
 * clocks (a location moved into its own branch by two moves made apart): the value `stored` held
 * stays, under a new clock of the hub's so every PC (the writer too) takes it, and the refused
 * value goes to the conflict log as the other one. The hub's decision is the later change, so the
 * log says what the supervisors read of any conflict: the later change stands.
 */
export function keepHeld(
  t: SyncTable,
  stored: StoredRow,
  result: MergeResult,
  change: Change,
  unit: readonly string[],
  fresh: (atLeast: string) => string,
): MergeResult {
  const row: StoredRow = { data: { ...result.row.data }, clocks: { ...result.row.clocks } };
  const cur = stored.clocks[unit[0]!]!;
  const clock = fresh(change.hlc > cur ? change.hlc : cur);
  for (const f of unit) {
    row.data[f] = stored.data[f] ?? null;
    row.clocks[f] = clock;
  }
  // Every PC that had the value held holds it still, under its old clock (as for a status the rule kept).
  const heldAs = stored.clocks[heldAsKey(unit)]?.split(' ') ?? [];
  row.clocks[heldAsKey(unit)] = [cur, ...heldAs].slice(0, HELD_AS_KEPT).join(' ');
  const fields = unit.join(',');
  const conflict: ConflictRecord = {
    id: contentId('conflict', t.name, change.pk, fields, change.hlc),
    tbl: t.name,
    pk: change.pk,
    fields,
    winner_value: canonicalJson(valuesOf(unit, stored.data)),
    winner_hlc: clock,
    loser_value: canonicalJson(valuesOf(unit, change.data)),
    loser_hlc: change.hlc,
    rule: 'latest',
  };
  return { row, changed: true, echo: true, conflicts: [...result.conflicts.filter((k) => k.fields !== fields), conflict] };
}

/**
 * Whether `change` would replace what `stored` holds in the merge unit of `field` (mergeChange's
 * rule without the clash's rule): a unit the hub holds no value of, a later edit by a writer that had
 * the hub's value, or a later clock.
 */
export function wouldReplace(t: SyncTable, stored: StoredRow, change: Change, field: string): boolean {
  const unit = mergeUnits(t).find((u) => u.includes(field)) ?? [field];
  const cur = stored.clocks[unit[0]!];
  if (cur === undefined) return true;
  const base = change.base?.[unit[0]!];
  const heldAs = stored.clocks[heldAsKey(unit)]?.split(' ') ?? [];
  return (base !== undefined && (base === cur || heldAs.includes(base))) || change.hlc > cur;
}

/** Whether a row is there (not deleted). */
export const isLive = (row: StoredRow | null): row is StoredRow => row !== null && Number(row.data._exists ?? 1) !== 0;

/** The first field every PC requires that the row lacks (a PC refuses such a row on arrival), or null. */
export function missingRequired(t: SyncTable, row: StoredRow): string | null {
  for (const [field, spec] of Object.entries(t.fields)) if (spec.required && (row.data[field] === null || row.data[field] === undefined)) return field;
  return null;
}
