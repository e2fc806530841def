import type { Location, LocationKind, LocationTreeNode } from '../../../shared/domain/location';
import { byPlaceName, LOCATION_KINDS, PATH_SEPARATOR, splitLocationPath } from '../../../shared/domain/location';
import { nameKey } from '../../../shared/domain/common';
import { appendAudit } from '../audit';
import { isoInstant } from '../clock';
import type { Actor, Core, WriteCore } from '../context';
import { AppError } from '../errors';
import { uuidv7 } from '../ids';
import { getSettings } from '../settings/service';
import { command, query } from '../sql/query';
import type { CountRow, LocationRow, UserRow } from '../sql/rows';
import { hiddenNameProblem, printingAlike, printsLike, printsLikeOthers } from './reference-names';

type Place = Pick<LocationRow, 'id' | 'parent_id' | 'name' | 'kind'>;

const activePlaces = query<Place>('SELECT id, parent_id, name, kind FROM locations WHERE active = 1');
const devicesPerLocation = query<{ id: string; n: number }>('SELECT location_id AS id, count(*) AS n FROM equipment GROUP BY location_id');
const parentOf = query<Pick<LocationRow, 'parent_id'>, { id: string }>('SELECT parent_id FROM locations WHERE id = @id');
const placeById = query<Place & Pick<LocationRow, 'active'>, { id: string }>('SELECT id, parent_id, name, kind, active FROM locations WHERE id = @id');
const activeById = query<{ id: string }, { id: string }>('SELECT id FROM locations WHERE id = @id AND active = 1');
const sibling = query<Pick<LocationRow, 'id' | 'name' | 'active' | 'kind'>, { parentId: string | null; key: string; exceptId: string | null }>(
  "SELECT id, name, active, kind FROM locations WHERE ifnull(parent_id, '') = ifnull(@parentId, '') AND name_key = @key AND id IS NOT @exceptId",
);
const siblings = query<Pick<LocationRow, 'id' | 'name' | 'active'>, { parentId: string | null; exceptId: string | null }>(
  "SELECT id, name, active FROM locations WHERE ifnull(parent_id, '') = ifnull(@parentId, '') AND id IS NOT @exceptId",
);
const childCount = query<CountRow, { id: string }>('SELECT count(*) AS n FROM locations WHERE parent_id = @id AND active = 1');
const deviceCount = query<CountRow, { id: string }>('SELECT count(*) AS n FROM equipment WHERE location_id = @id');
const stockCount = query<CountRow, { id: string }>('SELECT count(*) AS n FROM stock_locations WHERE location_id = @id AND active = 1');
const homeOf = query<Pick<UserRow, 'name'>, { id: string }>(
  'SELECT name FROM users WHERE home_location_id = @id AND active = 1 ORDER BY name_sort(name), name',
);
const insertLocation = command<Omit<LocationRow, 'active'>>(
  `INSERT INTO locations (id, parent_id, name, name_key, kind, created_at, updated_at, pc_id)
   VALUES (@id, @parent_id, @name, @name_key, @kind, @created_at, @updated_at, @pc_id)`,
);
const reactivate = command<Pick<LocationRow, 'id' | 'name' | 'kind' | 'updated_at' | 'pc_id'>>(
  'UPDATE locations SET active = 1, name = @name, kind = @kind, updated_at = @updated_at, pc_id = @pc_id WHERE id = @id',
);
const rename = command<Pick<LocationRow, 'id' | 'name' | 'name_key' | 'updated_at' | 'pc_id'>>(
  'UPDATE locations SET name = @name, name_key = @name_key, updated_at = @updated_at, pc_id = @pc_id WHERE id = @id',
);
const setParent = command<Pick<LocationRow, 'id' | 'parent_id' | 'updated_at' | 'pc_id'>>(
  'UPDATE locations SET parent_id = @parent_id, updated_at = @updated_at, pc_id = @pc_id WHERE id = @id',
);
const setKind = command<Pick<LocationRow, 'id' | 'kind'>>('UPDATE locations SET kind = @kind WHERE id = @id AND kind IS NOT @kind');
const deactivate = command<Pick<LocationRow, 'id' | 'updated_at' | 'pc_id'>>(
  'UPDATE locations SET active = 0, updated_at = @updated_at, pc_id = @pc_id WHERE id = @id',
);


/** All locations with their full paths. Hospitals have hundreds, not millions: one read is fine. */
export function listLocations(core: Core): Location[] {
  const rows = activePlaces.all(core);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const pathOf = (row: Place): string => {
    const parts: string[] = [];
    let cur: Place | undefined = row;
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
    .sort((a, b) => byPlaceName(a.path, b.path));
}

export function locationPathMap(core: Core): Map<string, string> {
  return new Map(listLocations(core).map((l) => [l.id, l.path]));
}

/** The path of a location, in use or not (null: no such location): a place no longer in use is still named by it. */
export function locationPathOfAny(core: Core, id: string): string | null {
  const names: string[] = [];
  const seen = new Set<string>();
  for (let row = placeById.get(core, { id }); row && !seen.has(row.id); row = row.parent_id ? placeById.get(core, { id: row.parent_id }) : undefined) {
    seen.add(row.id);
    names.unshift(row.name);
  }
  return names.length > 0 ? names.join(PATH_SEPARATOR) : null;
}

export function getLocation(core: Core, id: string): Location {
  const loc = listLocations(core).find((l) => l.id === id);
  if (!loc) throw new AppError('not_found', 'That location does not exist.', { field: 'locationId' });
  return loc;
}

/** The location and every location inside it, by id. */
export function subtreeIds(all: readonly Location[], rootId: string): string[] {
  const children = new Map<string | null, string[]>();
  for (const l of all) children.set(l.parentId, [...(children.get(l.parentId) ?? []), l.id]);
  const out: string[] = [];
  const stack = [rootId];
  while (stack.length) {
    const cur = stack.pop()!;
    if (out.includes(cur)) continue;
    out.push(cur);
    stack.push(...(children.get(cur) ?? []));
  }
  return out;
}

/**
 * Sites with their wards and rooms, sorted by name, with device counts for the list's filter.
 * Every location is in it once, even when the tree is damaged: two PCs moving two locations each
 * under the other apart leave each inside the other until it is mended; the one of such a circle
 * that sorts first is then shown at the top, holding the rest.
 */
export function locationTree(core: Core): LocationTreeNode[] {
  const counts = new Map(devicesPerLocation.all(core).map((r) => [r.id, r.n]));
  const all = listLocations(core);
  const alike = printsLikeNotes(all);
  const nodes = new Map<string, LocationTreeNode>(
    all.map((l) => [l.id, { ...l, equipmentCount: counts.get(l.id) ?? 0, totalCount: 0, printsLike: alike.get(l.id) ?? null, children: [] }]),
  );
  const inside = new Map<string, LocationTreeNode[]>();
  const roots: LocationTreeNode[] = [];
  for (const node of nodes.values()) {
    if (node.parentId && nodes.has(node.parentId)) inside.set(node.parentId, [...(inside.get(node.parentId) ?? []), node]);
    else roots.push(node);
  }
  // Hang each location under its parent from the top down, each once: what no site reaches is a circle.
  const placed = new Set<string>();
  const hang = (top: LocationTreeNode) => {
    const stack = [top];
    placed.add(top.id);
    while (stack.length) {
      const node = stack.pop()!;
      for (const child of inside.get(node.id) ?? []) {
        if (placed.has(child.id)) continue;
        placed.add(child.id);
        node.children.push(child);
        stack.push(child);
      }
    }
  };
  roots.forEach(hang);
  for (const node of [...nodes.values()].sort((a, b) => byPlaceName(a.path, b.path))) {
    if (placed.has(node.id)) continue;
    roots.push(node);
    hang(node);
  }
  const finish = (node: LocationTreeNode): number => {
    node.children.sort((a, b) => byPlaceName(a.name, b.name));
    node.totalCount = node.equipmentCount + node.children.reduce((sum, c) => sum + finish(c), 0);
    return node.totalCount;
  };
  roots.sort((a, b) => byPlaceName(a.name, b.name));
  roots.forEach(finish);
  return roots;
}

/**
 * For each place in use whose name prints like another's beside it (in the same site or ward), the
 * sentence the Locations screen shows: a due list, a filter and a sticker name a place by its path,
 * so "General Hospital > Ward 9" and "General Hospital > Wаrd 9" (a Cyrillic а) cannot be told
 * apart on paper. Each PC refuses such a name, but two PCs of a hub apart each hold only their own
 * (the Conflicts screen lists them too: sync/keys.ts), and a name kept from before the rule stays.
 */
function printsLikeNotes(all: readonly Location[]): Map<string, string> {
  const byId = new Map(all.map((l) => [l.id, l]));
  const notes = new Map<string, string>();
  for (const [id, { others, differs }] of printsLikeOthers(printingAlike(all, (l) => l.parentId ?? ''))) {
    const parentId = byId.get(id)?.parentId ?? null;
    const where = parentId ? `${others.length === 1 ? 'another place' : 'other places'} in ${byId.get(parentId)?.path ?? 'the same place'}` : others.length === 1 ? 'another site' : 'other sites';
    notes.set(
      id,
      `Prints like ${others.map((n) => `“${n}”`).join(' and ')}, ${where}${differs ? `; this one ${differs}` : ''}. Rename one of them: due lists, filters and stickers must tell places apart.`,
    );
  }
  return notes;
}

function kindForDepth(depth: number): LocationKind {
  return LOCATION_KINDS[Math.min(depth, LOCATION_KINDS.length - 1)]!;
}

/**
 * Why nothing can be put in or under a location that is inside itself: moves of two locations each
 * under the other, made on two PCs apart, until the hub's merge (or a move here) mends the tree.
 */
function insideItself(name: string): AppError {
  return new AppError(
    'conflict',
    `The locations around "${name}" are being repaired: moves made on two PCs at once left "${name}" inside a location that is inside it. Nothing was changed. Sync with the hub, or move one of them to another place, then try again.`,
    { field: 'parentId' },
  );
}

/** How many levels are above a location inside `id` (0 at the top); refused in words on a damaged tree rather than walked for ever. */
function depthOf(core: Core, id: string | null): number {
  let depth = 0;
  let cur = id;
  const seen = new Set<string>();
  while (cur) {
    if (seen.has(cur)) throw insideItself(placeById.get(core, { id: id! })?.name ?? 'this location');
    seen.add(cur);
    const row = parentOf.get(core, { id: cur });
    if (!row) break;
    depth++;
    cur = row.parent_id;
  }
  return depth;
}

const TOO_DEEP = 'Locations go three levels deep: site, ward, room. A room cannot contain another location.';

function activeRow(core: Core, id: string): Place {
  const row = placeById.get(core, { id });
  if (!row || row.active !== 1) throw new AppError('not_found', 'That location does not exist.', { field: 'id' });
  return row;
}

function siblingClash(core: Core, parentId: string | null, key: string, exceptId: string | null) {
  return sibling.get(core, { parentId, key, exceptId });
}

/** Why a rename or a move is refused: a location of that name there, or a deactivated one the list no longer shows. */
function clashMessage(clash: Pick<LocationRow, 'name' | 'active'>, where: 'here' | 'there'): string {
  return clash.active === 1
    ? `There is already a location called "${clash.name}" ${where}.`
    : `"${clash.name}" is the name of a deactivated location ${where}: add a location called "${clash.name}" ${where} to bring it back, or choose another name.`;
}

/**
 * A location of another name that prints like `name` beside it (a look-alike letter, an invisible
 * character: reference-names.ts), refused in words; and, for a name being typed (`typed`), the
 * characters that print as nothing. A name saved before this rule keeps working while it is not changed.
 */
function assertPrintsApart(
  core: Core,
  input: { name: string; parentId: string | null; exceptId: string | null; typed: boolean; field: 'name' | 'parentId'; where: 'here' | 'there' },
): void {
  const hidden = input.typed ? hiddenNameProblem(input.name) : null;
  const alike = printsLike(input.name, siblings.all(core, { parentId: input.parentId, exceptId: input.exceptId }));
  if (alike) {
    const what = alike.active === 1 ? `the location "${alike.name}" ${input.where}` : `"${alike.name}", a deactivated location ${input.where}`;
    throw new AppError(
      'conflict',
      `"${input.name}" prints like ${what}${hidden ? ' (it holds a character that does not print as itself)' : ''}: a due list must never show two places that look the same. Choose a name that reads differently.`,
      { field: input.field },
    );
  }
  if (hidden) throw new AppError('invalid_input', hidden, { field: 'name' });
}

/**
 * Creates a location under `parentId` (a site when null). A deactivated location of the same
 * name in the same place comes back instead of a second one.
 */
export function createLocation(core: WriteCore, actor: Actor, input: { name: string; parentId: string | null }): Location {
  return getLocation(core, addLocation(core, actor, input).id);
}

/** createLocation's checks and writes: the row added or brought back, without reading every location for its path. */
function addLocation(core: WriteCore, actor: Actor, input: { name: string; parentId: string | null }): Pick<Location, 'id' | 'kind'> {
  if (input.parentId) {
    const parent = activeById.get(core, { id: input.parentId });
    if (!parent) {
      // Taken off the lists since the form was filled in (another window, another PC): named, so the
      // person knows which place went and that nothing was added.
      const gone = locationPathOfAny(core, input.parentId);
      throw new AppError(
        gone ? 'conflict' : 'invalid_input',
        gone ? `${gone} is no longer in the lists, so nothing was added: choose where to add "${input.name}".` : 'The parent location does not exist.',
        { field: 'parentId' },
      );
    }
  }
  const depth = depthOf(core, input.parentId);
  if (depth >= LOCATION_KINDS.length) throw new AppError('invalid_input', TOO_DEEP, { field: 'parentId' });
  const key = nameKey(input.name);
  const clash = siblingClash(core, input.parentId, key, null);
  if (clash && clash.active === 1) {
    throw new AppError('conflict', `There is already a location called "${clash.name}" here.`, { field: 'name' });
  }
  // The name as it was is the one brought back as it is; a new spelling is checked like a new name.
  if (!clash || clash.name !== input.name) assertPrintsApart(core, { name: input.name, parentId: input.parentId, exceptId: clash?.id ?? null, typed: true, field: 'name', where: 'here' });
  const now = isoInstant(core.clock.now());
  if (clash) {
    // Its kind follows its depth now: its parent may have moved since it was taken off the lists.
    const kind = kindForDepth(depth);
    reactivate.run(core, { id: clash.id, name: input.name, kind, updated_at: now, pc_id: core.pcId });
    appendAudit(core, actor, {
      action: 'reactivate',
      entity: 'location',
      entityId: clash.id,
      old: { active: 0, name: clash.name, kind: clash.kind },
      new: { active: 1, name: input.name, kind },
    });
    return { id: clash.id, kind };
  }
  const row = { id: uuidv7(), parent_id: input.parentId, name: input.name, name_key: key, kind: kindForDepth(depth) };
  insertLocation.run(core, { ...row, created_at: now, updated_at: now, pc_id: core.pcId });
  appendAudit(core, actor, { action: 'create', entity: 'location', entityId: row.id, new: row });
  return { id: row.id, kind: row.kind };
}

/** Renames a location. Paths are computed from names, so nothing inside it moves. */
export function renameLocation(core: WriteCore, actor: Actor, input: { id: string; name: string; expected?: { name: string } | undefined }): Location {
  const row = activeRow(core, input.id);
  // Renamed by someone else since the dialog opened (another window, or another PC through the hub): refused, never made over their name unseen.
  if (input.expected && input.expected.name !== row.name) {
    throw new AppError('conflict', `${input.expected.name} was renamed by someone else since you opened this (now called "${row.name}"): check and rename again.`, {
      field: 'name',
    });
  }
  const key = nameKey(input.name);
  const clash = siblingClash(core, row.parent_id, key, row.id);
  if (clash) throw new AppError('conflict', clashMessage(clash, 'here'), { field: 'name' });
  if (row.name === input.name) return getLocation(core, row.id);
  assertPrintsApart(core, { name: input.name, parentId: row.parent_id, exceptId: row.id, typed: true, field: 'name', where: 'here' });
  const old = getLocation(core, row.id).path;
  rename.run(core, { id: row.id, name: input.name, name_key: key, updated_at: isoInstant(core.clock.now()), pc_id: core.pcId });
  appendAudit(core, actor, {
    action: 'rename',
    entity: 'location',
    entityId: row.id,
    old: { name: row.name, path: old },
    new: { name: input.name },
  });
  return getLocation(core, row.id);
}

/** Moves a location (with everything inside it) under another parent, or to the top as a site. */
export function moveLocation(core: WriteCore, actor: Actor, input: { id: string; parentId: string | null }): Location {
  const row = activeRow(core, input.id);
  const all = listLocations(core);
  const inside = subtreeIds(all, row.id);
  if (input.parentId !== null) {
    if (inside.includes(input.parentId)) {
      throw new AppError('invalid_input', 'A location cannot be moved inside itself or into a location it contains.', {
        field: 'parentId',
      });
    }
    activeRow(core, input.parentId);
  }
  if (row.parent_id === input.parentId) {
    const where = input.parentId === null ? 'a site' : `inside ${getLocation(core, input.parentId).path}`;
    throw new AppError('invalid_input', `"${row.name}" is already ${where}: choose another place to move it into.`, { field: 'parentId' });
  }
  // Each location once: on a damaged tree (a location inside itself, see insideItself) a move out of
  // the circle is what mends it, so the walks below stop where they have been.
  const childrenOf = (id: string) => all.filter((l) => l.parentId === id);
  // How many levels the moved branch spans below the moved location itself.
  const depthBelow = (id: string, seen: Set<string>): number => {
    seen.add(id);
    return Math.max(0, ...childrenOf(id).filter((c) => !seen.has(c.id)).map((c) => 1 + depthBelow(c.id, seen)));
  };
  const newDepth = depthOf(core, input.parentId);
  if (newDepth + depthBelow(row.id, new Set()) >= LOCATION_KINDS.length) throw new AppError('invalid_input', TOO_DEEP, { field: 'parentId' });
  const clash = siblingClash(core, input.parentId, nameKey(row.name), row.id);
  if (clash) throw new AppError('conflict', clashMessage(clash, 'there'), { field: 'parentId' });
  assertPrintsApart(core, { name: row.name, parentId: input.parentId, exceptId: row.id, typed: false, field: 'parentId', where: 'there' });
  const oldPath = all.find((l) => l.id === row.id)?.path ?? row.name;
  const now = isoInstant(core.clock.now());
  setParent.run(core, { id: row.id, parent_id: input.parentId, updated_at: now, pc_id: core.pcId });
  // Kinds follow depth: a ward moved to the top becomes a site, its rooms become wards.
  const relabelled = new Set<string>();
  const relabel = (id: string, depth: number) => {
    if (relabelled.has(id)) return;
    relabelled.add(id);
    setKind.run(core, { id, kind: kindForDepth(depth) });
    for (const c of childrenOf(id)) relabel(c.id, depth + 1);
  };
  relabel(row.id, newDepth);
  const moved = getLocation(core, row.id);
  appendAudit(core, actor, {
    action: 'move',
    entity: 'location',
    entityId: row.id,
    old: { parent_id: row.parent_id, path: oldPath },
    new: { parent_id: input.parentId, path: moved.path },
  });
  return moved;
}

/**
 * Takes an empty location out of the lists: no location, device or stock location in it, no
 * active user's home ward, and not this PC's ward. Its rows stay, for the history that names it.
 */
export function deactivateLocation(core: WriteCore, actor: Actor, id: string): { id: string } {
  const row = activeRow(core, id);
  const children = childCount.get(core, { id })!.n;
  const devices = deviceCount.get(core, { id })!.n;
  const stock = stockCount.get(core, { id })!.n;
  const held: string[] = [];
  if (children) held.push(`${children} location${children === 1 ? '' : 's'}`);
  if (devices) held.push(`${devices} device${devices === 1 ? '' : 's'} (retired ones included)`);
  if (stock) held.push(`${stock} stock location${stock === 1 ? '' : 's'}`);
  if (held.length) {
    throw new AppError('conflict', `"${row.name}" still holds ${held.join(' and ')}; move them elsewhere first.`, { field: 'id' });
  }
  // A ward taken off the list is no one's home ward: their sign-in list and Today would lose them.
  const residents = homeOf.all(core, { id }).map((u) => u.name);
  if (residents.length) {
    const shown = residents.length > 3 ? [...residents.slice(0, 2), `${residents.length - 2} others`] : residents;
    const names = shown.length > 1 ? `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)!}` : shown[0]!;
    const them = residents.length === 1 ? 'them' : 'each';
    throw new AppError('conflict', `${row.name} is still the home ward of ${names}: give ${them} another home ward first.`, { field: 'id' });
  }
  // Nor this PC's ward (a setting of this PC alone, never synced): its notices and the changes it is
  // told of would count that empty ward for ever, and its Settings would show a ward no list has.
  if (getSettings(core).defaultLocationId === id) {
    throw new AppError(
      'conflict',
      `${row.name} is this PC's ward (Settings → This PC's ward): choose another ward there first, or none.`,
      { field: 'id' },
    );
  }
  deactivate.run(core, { id, updated_at: isoInstant(core.clock.now()), pc_id: core.pcId });
  appendAudit(core, actor, {
    action: 'deactivate',
    entity: 'location',
    entityId: id,
    old: { active: 1, name: row.name },
    new: { active: 0 },
  });
  return { id };
}

export type PathLookup =
  { kind: 'found'; location: Location } | { kind: 'missing'; parts: string[] } | { kind: 'ambiguous'; message: string };

/**
 * Finds the location a path names in `all`, without writing. A single name matches any location
 * of that name if there is exactly one (or a site of that name); otherwise it names a new site.
 * `exact`: the path is a full path from the site down (a single name is a site), as an import
 * writes the paths its analysis resolved.
 */
export function lookupLocationPath(all: readonly Location[], path: string, options: { exact?: boolean } = {}): PathLookup {
  const parts = splitLocationPath(path);
  if (parts.length === 1 && !options.exact) {
    const matches = all.filter((l) => nameKey(l.name) === nameKey(parts[0]!));
    if (matches.length === 1) return { kind: 'found', location: matches[0]! };
    if (matches.length > 1) {
      const site = matches.find((m) => m.parentId === null);
      if (site) return { kind: 'found', location: site };
      return { kind: 'ambiguous', message: `the location "${parts[0]}" is ambiguous: write its full path, e.g. ${matches[0]!.path}` };
    }
  }
  let parentId: string | null = null;
  let found: Location | null = null;
  for (const part of parts) {
    found = all.find((l) => l.parentId === parentId && nameKey(l.name) === nameKey(part)) ?? null;
    if (!found) return { kind: 'missing', parts };
    parentId = found.id;
  }
  return found ? { kind: 'found', location: found } : { kind: 'missing', parts };
}

/**
 * Finds the location a path like `Site > Ward > Room` names, creating the missing levels when
 * `create` is set (with a WriteCore). A single name matches any location of that name if there is exactly one.
 */
export function resolveLocationPath(core: WriteCore, actor: Actor, path: string, options: { create: boolean; exact?: boolean }): Location | null {
  const parts = splitLocationPath(path);
  if (parts.length === 0) return null;
  const all = listLocations(core);
  const lookup = lookupLocationPath(all, path, { exact: options.exact ?? false });
  if (lookup.kind === 'found') return lookup.location;
  if (lookup.kind === 'ambiguous')
    throw new AppError('invalid_input', lookup.message.charAt(0).toUpperCase() + lookup.message.slice(1) + '.');
  if (!options.create) return null;
  let parentId: string | null = null;
  let found: Location | null = null;
  for (const part of parts) {
    found = all.find((l) => l.parentId === parentId && nameKey(l.name) === nameKey(part)) ?? null;
    if (!found) {
      found = createLocation(core, actor, { name: part, parentId });
      all.push(found);
    }
    parentId = found.id;
  }
  return found;
}

/**
 * `resolveLocationPath(core, actor, path, { create: true, exact: true })` for the many paths of one
 * import (issue 17), inside its transaction and only for it: the locations are read once and found
 * by place and folded name, and the levels it creates, with the same checks, entries and rows as
 * createLocation's, join them. resolveLocationPath read and sorted every location for each path
 * and again for each level it made. Made for one transaction: it is not kept past it.
 */
export function locationPathResolver(core: WriteCore, actor: Actor): (path: string) => Location | null {
  const byPlace = new Map<string, Location>();
  const placeKey = (parentId: string | null, name: string) => `${parentId ?? ''}\u0000${nameKey(name)}`;
  // The first in the list's order, as `find` over it gives.
  for (const l of listLocations(core)) {
    const key = placeKey(l.parentId, l.name);
    if (!byPlace.has(key)) byPlace.set(key, l);
  }
  return (path) => {
    const parts = splitLocationPath(path);
    if (parts.length === 0) return null;
    let parent: Location | null = null;
    for (const part of parts) {
      const parentId: string | null = parent ? parent.id : null;
      const key = placeKey(parentId, part);
      let found = byPlace.get(key);
      if (!found) {
        const added = addLocation(core, actor, { name: part, parentId });
        found = { id: added.id, parentId, name: part, kind: added.kind, path: parent ? `${parent.path}${PATH_SEPARATOR}${part}` : part };
        byPlace.set(key, found);
      }
      parent = found;
    }
    return parent;
  };
}
