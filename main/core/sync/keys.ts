import type { Core, WriteCore } from '../context';
import { builtCommand, builtQuery, query } from '../sql/query';
import { keptUntilChange } from '../sql/until-change';
import { nameKey } from '../../../shared/domain/common';
import { assetTagKey, RENAME_ONE_OF_THEM } from '../../../shared/domain/equipment';
import type { DerivedKey, SyncTable } from './tables';
import { SYNC_TABLES } from './tables';
import { printingAlike, printsLikeOthers } from '../locations/reference-names';
import { tagsPrintingAlike } from '../equipment/look-alike-tags';

/**
 * Unique names made on two PCs at once. Two PCs offline each add a device tagged DF-0100: both
 * rows must survive, and nothing may refuse to sync. The folded lookup column keeps its UNIQUE
 * index (so a PC on its own can never make a duplicate); when a clash arrives, the row with the
 * smallest id keeps the plain folded key and every other row of that name gets the key followed by
 * a separator and its own id. Every PC applies the same rule to the same rows, so they agree; the
 * clash shows as a suffixed key (`listClashes`), and a lookup of the name finds every candidate.
 */

export const KEY_SEPARATOR = '\u001f';

export function fold(dk: DerivedKey, value: string): string {
  return dk.fold === 'tag' ? assetTagKey(value) : nameKey(value);
}

/** The base folded key a stored key stands for. */
export function baseKey(stored: string): string {
  const at = stored.indexOf(KEY_SEPARATOR);
  return at === -1 ? stored : stored.slice(0, at);
}

const scopeWhere = (dk: DerivedKey) => (dk.scope ?? []).map((c) => `AND ifnull("${c}", '') = ifnull(@${c}, '')`).join(' ');

type Params = Record<string, unknown>;

function claimStatements(table: SyncTable, dk: DerivedKey) {
  return {
    holder: builtQuery<{ id: string }, Params>(`SELECT id FROM "${table.name}" WHERE "${dk.column}" = @key ${scopeWhere(dk)}`),
    demote: builtCommand<{ key: string; id: string }>(`UPDATE "${table.name}" SET "${dk.column}" = @key WHERE id = @id`),
  };
}

/**
 * The key a row should carry, demoting the row that holds the plain key when this row's id is
 * smaller. Call before inserting or updating the row, inside the apply's transaction.
 */
export function claimKey(core: WriteCore, table: SyncTable, dk: DerivedKey, row: { id: string } & Record<string, unknown>): string {
  const base = fold(dk, String(row[dk.from] ?? ''));
  const scope = Object.fromEntries((dk.scope ?? []).map((c) => [c, row[c] ?? null]));
  const s = claimStatements(table, dk);
  const holder = s.holder.get(core, { key: base, ...scope })?.id;
  if (holder === undefined || holder === row.id) return base;
  if (row.id < holder) {
    s.demote.run(core, { key: `${base}${KEY_SEPARATOR}${holder}`, id: holder });
    return base;
  }
  return `${base}${KEY_SEPARATOR}${row.id}`;
}

export interface Clash {
  table: string;
  label: string;
  /** The name as people write it (of the row holding the plain key, or the first row in use). */
  name: string;
  /** The rows in use that share it (retired devices and deactivated users are out of it). */
  ids: string[];
  /**
   * Set when the rows' names differ but print alike (printAlikeClashes): each name as written, in
   * the rows' order, once; why it matters; and for each row (as `ids`) what tells it apart
   * ("holds “о” (U+043E, Cyrillic)"), or null.
   */
  alike?: string[];
  why?: string;
  apart?: (string | null)[];
}

/** Whether a row is still in use: a device not retired, a user (a location, a category…) active. */
function liveSql(table: SyncTable): string {
  if (table.name === 'equipment') return "status <> 'retired'";
  return 'active' in table.fields ? 'active = 1' : '1';
}

/**
 * Every name two rows in use share because two PCs made them at once: both rows stand, a
 * supervisor renames or retires one (a device retired or a user deactivated ends the clash). Derived
 * from the data, so every PC shows the same list.
 */
export const listClashes: (core: Pick<Core, 'db'>) => Clash[] = keptUntilChange(everyClash);

/**
 * listClashes, worked out afresh. The sync status reads it every few seconds; at 50,000 devices it
 * takes 10-15 ms (the tag index's scan for tags beyond ASCII most of it), so it is kept until the
 * database changes (sql/until-change.ts).
 */
function everyClash(core: Pick<Core, 'db'>): Clash[] {
  const out: Clash[] = [];
  for (const table of SYNC_TABLES) {
    for (const dk of table.derivedKeys ?? []) {
      const scopeCols = (dk.scope ?? []).map((c) => `"${c}"`).concat('NULL AS _').join(', ');
      const live = liveSql(table);
      const suffixed = builtQuery<{ id: string; k: string; name: string; live: number } & Record<string, unknown>>(
        `SELECT id, "${dk.column}" AS k, "${dk.from}" AS name, (${live}) AS live, ${scopeCols} FROM "${table.name}" WHERE instr("${dk.column}", char(31)) > 0`,
      ).all(core);
      const groups = new Map<string, { base: string; scope: Record<string, unknown>; rows: { id: string; name: string }[] }>();
      for (const r of suffixed) {
        const scope = Object.fromEntries((dk.scope ?? []).map((c) => [c, r[c] ?? null]));
        const id = JSON.stringify([baseKey(r.k), scope]);
        const g = groups.get(id) ?? { base: baseKey(r.k), scope, rows: [] };
        if (r.live) g.rows.push({ id: r.id, name: r.name });
        groups.set(id, g);
      }
      const holderOf = builtQuery<{ id: string; name: string }, Params>(
        `SELECT id, "${dk.from}" AS name FROM "${table.name}" WHERE "${dk.column}" = @key ${scopeWhere(dk)} AND (${live})`,
      );
      for (const g of groups.values()) {
        const holder = holderOf.get(core, { key: g.base, ...g.scope });
        const rows = [...(holder ? [holder] : []), ...g.rows.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))];
        if (rows.length < 2) continue;
        out.push({ table: table.name, label: dk.label, name: rows[0]!.name, ids: rows.map((r) => r.id) });
      }
    }
  }
  out.push(...printAlikeClashes(core));
  return out;
}

/**
 * The lists whose names each PC refuses to let print like another of the list (users/names.ts,
 * locations/reference-names.ts): what two PCs apart can still make alike, and why it matters.
 */
const PRINT_APART: Readonly<Record<string, { label: string; why: string }>> = {
  users: { label: 'user names', why: 'so their signatures cannot be told apart' },
  locations: { label: 'location names', why: 'so due lists, filters and stickers cannot tell them apart' },
  categories: { label: 'category names', why: 'so device lists and filters cannot tell them apart' },
  repair_codes: { label: 'repair codes', why: 'so the repair form and the failure report cannot tell them apart' },
};

/**
 * Rows in use whose names print alike ("Jоhn Smith" with a Cyrillic о and "John Smith"; "Wаrd 5"
 * and "Ward 5" under one site) without being the same name, which listClashes above already finds:
 * each PC refuses such a name beside one it holds, but two PCs apart each hold only their own.
 * Names that print like one another, directly or through a third, are one group (within the
 * name's scope: a location's site or ward, a code's kind); a group counts while two of its rows in
 * use are named differently. Derived from the data, so every PC lists the same groups.
 */
function printAlikeClashes(core: Pick<Core, 'db'>): Clash[] {
  const out: Clash[] = [];
  for (const table of SYNC_TABLES) {
    const words = PRINT_APART[table.name];
    const dk = table.derivedKeys?.find((d) => d.fold === 'name');
    if (!words || !dk) continue;
    const scopeCols = (dk.scope ?? []).map((c) => `"${c}"`).concat('NULL AS _').join(', ');
    const rows = builtQuery<{ id: string; name: string } & Record<string, unknown>>(
      `SELECT id, "${dk.from}" AS name, ${scopeCols} FROM "${table.name}" WHERE ${liveSql(table)} ORDER BY id`,
    ).all(core);
    const scopeOf = (r: Record<string, unknown>) => JSON.stringify((dk.scope ?? []).map((c) => r[c] ?? null));
    for (const members of printingAlike(rows, scopeOf, (name) => fold(dk, name))) out.push(alikeClash(table.name, words, members));
  }
  // Asset tags by their own rule (equipment/look-alike-tags.ts: digits of every script, only tags beyond ASCII).
  const tags = { label: 'asset tags', why: 'so stickers, lists and prints cannot tell them apart (a scan can)' };
  for (const group of tagsPrintingAlike(core)) out.push(alikeClash('equipment', tags, group.map((r) => ({ id: r.id, name: r.asset_tag }))));
  return out;
}

function alikeClash(table: string, words: { label: string; why: string }, members: readonly { id: string; name: string }[]): Clash {
  const apart = printsLikeOthers([members]);
  return {
    table,
    label: words.label,
    name: members[0]!.name,
    ids: members.map((r) => r.id),
    alike: [...new Set(members.map((r) => r.name))],
    why: words.why,
    apart: members.map((r) => apart.get(r.id)?.differs ?? null),
  };
}

/** A device a tag may mean, as a scan, an import's row or a sticker reads it. */
export interface TaggedDevice {
  id: string;
  asset_tag: string;
  name: string;
  status: string;
}

// The plain key and the keys made apart from it (the key, then KEY_SEPARATOR and an id) are the keys
// from the tag's own up to the tag followed by a space: a tag holds no control character
// (assetTagProblem), so no other tag's key falls between. One range of the key's index, unordered:
// nearly always one row, and SQLite's sorter would cost a third of the lookup.
const devicesByTagKey = query<TaggedDevice, { key: string; high: string }>(
  'SELECT id, asset_tag, name, status FROM equipment WHERE asset_tag_key >= @key AND asset_tag_key < @high',
);

const inUseFirst = (a: TaggedDevice, b: TaggedDevice) =>
  Number(a.status === 'retired') - Number(b.status === 'retired') || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Every device a scanned tag may mean: one normally, two or more while a clash stands; those in
 * use first, then by id. One query: it is what every scan runs.
 */
export function devicesByTag(core: Pick<Core, 'db'>, tag: string): TaggedDevice[] {
  const key = assetTagKey(tag);
  const devices = devicesByTagKey.all(core, { key, high: `${key}\u0020` });
  return devices.length > 1 ? devices.sort(inUseFirst) : devices;
}

/**
 * Of a tag's devices (devicesByTag), those in use when two or more are (two PCs of a hub tagged
 * them apart, each sure of its own): a scan, an import's row or a sticker must not take one of them
 * on a guess. Empty while the tag is one device's (or one in use and the others retired).
 */
export function sharingInUse(devices: readonly TaggedDevice[]): TaggedDevice[] {
  if (devices.length < 2) return [];
  const inUse = devices.filter((d) => d.status !== 'retired');
  return inUse.length > 1 ? inUse : [];
}

/** The sentence an import's row gets for such a tag (sharingInUse), after "Row N, column "asset_tag": ". */
export function sharedTagProblem(tag: string, devices: readonly { name: string }[]): string {
  return `the asset tag "${tag}" is on ${devices.length} devices in use (${devices.map((d) => d.name).join('; ')}), given apart on two PCs of the hospital: ${RENAME_ONE_OF_THEM}`;
}
