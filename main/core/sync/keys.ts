import type { Core, WriteCore } from '../context';
import { builtCommand, builtQuery, query } from '../sql/query';
import { nameKey } from '../../../shared/domain/common';
import { assetTagKey } from '../../../shared/domain/equipment';
import type { DerivedKey, SyncTable } from './tables';
import { SYNC_TABLES } from './tables';
import { lookAlikeSets } from '../users/names';

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
   * Set when the rows' names differ but print alike (users only): each name as written, in the
   * rows' order, once. Each PC refuses a user whose name prints like one it holds, but two PCs
   * apart each hold only their own.
   */
  alike?: string[];
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
export function listClashes(core: Pick<Core, 'db'>): Clash[] {
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
  out.push(...lookAlikeUsers(core));
  return out;
}

const usersInUse = query<{ id: string; name: string }>('SELECT id, name FROM users WHERE active = 1 ORDER BY id');

/**
 * Users in use whose names print alike (users/names.ts: "Jоhn Smith" with a Cyrillic о and "John
 * Smith") without being the same name, which listClashes above already finds. Names that print
 * like one another, directly or through a third, are one group; a group counts while two of its
 * users in use are named differently. Derived from the data, so every PC lists the same groups.
 */
function lookAlikeUsers(core: Pick<Core, 'db'>): Clash[] {
  const users = usersInUse.all(core);
  const parent = users.map((_, i) => i);
  const root = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  for (const [first, ...rest] of lookAlikeSets(users.map((u) => u.name))) for (const i of rest) parent[root(i)] = root(first!);
  const groups = new Map<number, { id: string; name: string }[]>();
  users.forEach((u, i) => groups.set(root(i), [...(groups.get(root(i)) ?? []), u]));
  const out: Clash[] = [];
  for (const rows of groups.values()) {
    if (new Set(rows.map((r) => nameKey(r.name))).size < 2) continue;
    out.push({ table: 'users', label: 'user names', name: rows[0]!.name, ids: rows.map((r) => r.id), alike: [...new Set(rows.map((r) => r.name))] });
  }
  return out;
}

const idsByTagKey = query<{ id: string }, { key: string; low: string; high: string }>(
  `SELECT id FROM equipment WHERE asset_tag_key = @key OR (asset_tag_key > @low AND asset_tag_key < @high)
   ORDER BY status = 'retired', id`,
);

/** Every device a scanned tag may mean: one normally, two or more while a clash stands; those in use first. */
export function equipmentIdsByTag(core: Pick<Core, 'db'>, tag: string): string[] {
  const key = assetTagKey(tag);
  return idsByTagKey.all(core, { key, low: `${key}${KEY_SEPARATOR}`, high: `${key}\u0020` }).map((r) => r.id);
}
