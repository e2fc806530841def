import type { Location, LocationKind } from '../../../shared/domain/location';
import { LOCATION_KINDS, PATH_SEPARATOR, splitLocationPath } from '../../../shared/domain/location';
import { nameKey } from '../../../shared/domain/common';
import { appendAudit } from '../audit';
import { isoInstant } from '../clock';
import type { Actor, Core } from '../context';
import { AppError } from '../errors';
import { uuidv7 } from '../ids';

interface LocationRow {
  id: string;
  parent_id: string | null;
  name: string;
  kind: LocationKind;
}

/** All locations with their full paths. Hospitals have hundreds, not millions: one read is fine. */
export function listLocations(core: Core): Location[] {
  const rows = core.db.prepare('SELECT id, parent_id, name, kind FROM locations WHERE active = 1').all() as LocationRow[];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const pathOf = (row: LocationRow): string => {
    const parts: string[] = [];
    let cur: LocationRow | undefined = row;
    const seen = new Set<string>();
    while (cur && !seen.has(cur.id)) {
      seen.add(cur.id);
      parts.unshift(cur.name);
      cur = cur.parent_id ? byId.get(cur.parent_id) : undefined;
    }
    return parts.join(PATH_SEPARATOR);
  };
  return rows
    .map((r) => ({ id: r.id, parentId: r.parent_id, name: r.name, kind: r.kind, path: pathOf(r) }))
    .sort((a, b) => a.path.localeCompare(b.path));
}

export function locationPathMap(core: Core): Map<string, string> {
  return new Map(listLocations(core).map((l) => [l.id, l.path]));
}

export function getLocation(core: Core, id: string): Location {
  const loc = listLocations(core).find((l) => l.id === id);
  if (!loc) throw new AppError('not_found', 'That location does not exist.', { field: 'locationId' });
  return loc;
}

function kindForDepth(depth: number): LocationKind {
  return LOCATION_KINDS[Math.min(depth, LOCATION_KINDS.length - 1)]!;
}

function depthOf(core: Core, id: string | null): number {
  let depth = 0;
  let cur = id;
  while (cur) {
    const row = core.db.prepare('SELECT parent_id FROM locations WHERE id = ?').get(cur) as { parent_id: string | null } | undefined;
    if (!row) break;
    depth++;
    cur = row.parent_id;
  }
  return depth;
}

/** Creates a location under `parentId` (a site when null). Call inside a transaction. */
export function createLocation(core: Core, actor: Actor, input: { name: string; parentId: string | null }): Location {
  if (input.parentId) {
    const parent = core.db.prepare('SELECT id FROM locations WHERE id = ? AND active = 1').get(input.parentId);
    if (!parent) throw new AppError('invalid_input', 'The parent location does not exist.', { field: 'parentId' });
  }
  const depth = depthOf(core, input.parentId);
  if (depth >= LOCATION_KINDS.length) {
    throw new AppError('invalid_input', 'Locations go three levels deep: site, ward, room. A room cannot contain another location.', {
      field: 'parentId',
    });
  }
  const key = nameKey(input.name);
  const clash = core.db
    .prepare("SELECT name FROM locations WHERE ifnull(parent_id, '') = ifnull(?, '') AND name_key = ?")
    .get(input.parentId, key) as { name: string } | undefined;
  if (clash) {
    throw new AppError('conflict', `There is already a location called "${clash.name}" here.`, { field: 'name' });
  }
  const now = isoInstant(core.clock.now());
  const row = { id: uuidv7(), parent_id: input.parentId, name: input.name, name_key: key, kind: kindForDepth(depth) };
  core.db
    .prepare(
      `INSERT INTO locations (id, parent_id, name, name_key, kind, created_at, updated_at, pc_id)
       VALUES (@id, @parent_id, @name, @name_key, @kind, @now, @now, @pc_id)`,
    )
    .run({ ...row, now, pc_id: core.pcId });
  appendAudit(core, actor, { action: 'create', entity: 'location', entityId: row.id, new: row });
  return getLocation(core, row.id);
}

/**
 * Finds the location a path like `Site > Ward > Room` names, creating the missing levels when
 * `create` is set. A single name matches any location of that name if there is exactly one.
 * Call inside a transaction when creating.
 */
export function resolveLocationPath(core: Core, actor: Actor, path: string, options: { create: boolean }): Location | null {
  const parts = splitLocationPath(path);
  if (parts.length === 0) return null;
  const all = listLocations(core);
  if (parts.length === 1) {
    const matches = all.filter((l) => nameKey(l.name) === nameKey(parts[0]!));
    if (matches.length === 1) return matches[0]!;
    if (matches.length > 1) {
      const site = matches.find((m) => m.parentId === null);
      if (site) return site;
      throw new AppError('invalid_input', `The location "${parts[0]}" is ambiguous: write its full path, e.g. ${matches[0]!.path}.`);
    }
  }
  let parentId: string | null = null;
  let found: Location | null = null;
  for (const part of parts) {
    const key = nameKey(part);
    found = all.find((l) => l.parentId === parentId && nameKey(l.name) === key) ?? null;
    if (!found) {
      if (!options.create) return null;
      found = createLocation(core, actor, { name: part, parentId });
      all.push(found);
    }
    parentId = found.id;
  }
  return found;
}
