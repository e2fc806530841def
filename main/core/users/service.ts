import { nameKey } from '../../../shared/domain/common';
import type { Role } from '../../../shared/domain/common';
import type { SignInCandidate, User } from '../../../shared/domain/user';
import { appendAudit } from '../audit';
import { isoInstant } from '../clock';
import type { Actor, Core } from '../context';
import { AppError } from '../errors';
import { uuidv7 } from '../ids';
import { listLocations, locationPathMap } from '../locations/service';
import { getSettings } from '../settings/service';
import { hiddenCharacter, looksAlike } from './names';

export interface UserRow {
  id: string;
  name: string;
  name_key: string;
  role: Role;
  pin_hash: string | null;
  password_hash: string | null;
  must_set_pin: number;
  home_location_id: string | null;
  active: number;
  failed_attempts: number;
  locked_until: string | null;
}

export function userRowById(core: Core, id: string): UserRow | undefined {
  return core.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
}

export function userRowByName(core: Core, name: string): UserRow | undefined {
  return core.db.prepare('SELECT * FROM users WHERE name_key = ?').get(nameKey(name)) as UserRow | undefined;
}

export function countUsers(core: Core): number {
  return (core.db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n;
}

function toUser(row: UserRow, paths: Map<string, string>, nowIso: string): User {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    homeLocationId: row.home_location_id,
    homeLocationPath: row.home_location_id ? (paths.get(row.home_location_id) ?? null) : null,
    active: row.active === 1,
    hasPin: row.pin_hash !== null,
    hasPassword: row.password_hash !== null,
    mustSetPin: row.must_set_pin === 1,
    lockedUntil: row.locked_until && row.locked_until > nowIso ? row.locked_until : null,
  };
}

/** What the audit trail may see of a user: never a hash. */
function publicFields(row: Partial<UserRow>) {
  return { name: row.name, role: row.role, home_location_id: row.home_location_id, active: row.active };
}

export function getUser(core: Core, id: string): User {
  const row = userRowById(core, id);
  if (!row) throw new AppError('not_found', 'That user does not exist.');
  return toUser(row, locationPathMap(core), isoInstant(core.clock.now()));
}

export function listUsers(core: Core): User[] {
  const paths = locationPathMap(core);
  const now = isoInstant(core.clock.now());
  return (core.db.prepare('SELECT * FROM users ORDER BY active DESC, name_key').all() as UserRow[]).map((r) => toUser(r, paths, now));
}

/** Active users of this PC's ward (and its rooms), plus those with no home ward; everyone when the PC has no ward. */
export function signInCandidates(core: Core): SignInCandidate[] {
  const rows = core.db.prepare('SELECT id, name, role, home_location_id FROM users WHERE active = 1 ORDER BY name_key').all() as {
    id: string;
    name: string;
    role: Role;
    home_location_id: string | null;
  }[];
  const ward = getSettings(core).defaultLocationId;
  let inWard: (id: string | null) => boolean = () => true;
  if (ward) {
    const locations = listLocations(core);
    const wardPath = locations.find((l) => l.id === ward)?.path;
    if (wardPath) {
      const paths = new Map(locations.map((l) => [l.id, l.path]));
      inWard = (id) => id === null || paths.get(id) === wardPath || (paths.get(id) ?? '').startsWith(wardPath + ' > ');
    }
  }
  return rows.filter((r) => inWard(r.home_location_id)).map((r) => ({ id: r.id, name: r.name, role: r.role }));
}

/**
 * A name prints as what it is, and never like another user's (issue 13, item 11): no invisible or
 * reordering characters, and no look-alike of an existing name (users/names.ts).
 */
function assertNameFree(core: Core, name: string, exceptId: string | null): void {
  const hidden = hiddenCharacter(name);
  if (hidden) {
    throw new AppError('invalid_input', `Name holds a character that prints as nothing or reorders the text (${hidden}). Type the name with letters, spaces and punctuation only.`, {
      field: 'name',
    });
  }
  const clash = userRowByName(core, name);
  if (clash && clash.id !== exceptId) throw new AppError('conflict', `There is already a user called "${clash.name}".`, { field: 'name' });
  const others = core.db.prepare('SELECT id, name FROM users').all() as { id: string; name: string }[];
  const alike = others.find((u) => u.id !== exceptId && looksAlike(u.name, name));
  if (alike) {
    throw new AppError('conflict', `"${name}" prints like the existing user "${alike.name}": a signature must never look like someone else's. Choose a name that reads differently.`, {
      field: 'name',
    });
  }
}

function assertLocation(core: Core, id: string | null): void {
  if (id && !core.db.prepare('SELECT 1 FROM locations WHERE id = ? AND active = 1').get(id)) {
    throw new AppError('invalid_input', 'Choose a location from the list.', { field: 'homeLocationId' });
  }
}

/** Call inside a transaction; hash the secrets before it (scrypt is slow on purpose). */
export function insertUser(
  core: Core,
  actor: Actor,
  fields: { name: string; role: Role; homeLocationId: string | null; pinHash: string | null; passwordHash: string | null; mustSetPin: boolean },
): User {
  assertNameFree(core, fields.name, null);
  assertLocation(core, fields.homeLocationId);
  const now = isoInstant(core.clock.now());
  const row = {
    id: uuidv7(),
    name: fields.name,
    name_key: nameKey(fields.name),
    role: fields.role,
    pin_hash: fields.pinHash,
    password_hash: fields.passwordHash,
    must_set_pin: fields.mustSetPin ? 1 : 0,
    home_location_id: fields.homeLocationId,
    active: 1,
  };
  core.db
    .prepare(
      `INSERT INTO users (id, name, name_key, role, pin_hash, password_hash, must_set_pin, home_location_id, active, created_at, updated_at, pc_id)
       VALUES (@id, @name, @name_key, @role, @pin_hash, @password_hash, @must_set_pin, @home_location_id, @active, @now, @now, @pc_id)`,
    )
    .run({ ...row, now, pc_id: core.pcId });
  appendAudit(core, actor, { action: 'create', entity: 'user', entityId: row.id, new: publicFields(row) });
  return getUser(core, row.id);
}

function activeAdmins(core: Core, exceptId: string): number {
  return (core.db.prepare("SELECT count(*) AS n FROM users WHERE role = 'admin' AND active = 1 AND id <> ?").get(exceptId) as { n: number }).n;
}

/** Call inside a transaction. */
export function updateUser(core: Core, actor: Actor, id: string, fields: { name: string; role: Role; homeLocationId: string | null }): User {
  const before = userRowById(core, id);
  if (!before) throw new AppError('not_found', 'That user does not exist.');
  assertNameFree(core, fields.name, id);
  assertLocation(core, fields.homeLocationId);
  if (before.role === 'admin' && fields.role !== 'admin' && before.active === 1 && activeAdmins(core, id) === 0) {
    throw new AppError('invalid_input', 'This is the last active administrator: make someone else an administrator first.', { field: 'role' });
  }
  core.db
    .prepare('UPDATE users SET name = ?, name_key = ?, role = ?, home_location_id = ?, updated_at = ? WHERE id = ?')
    .run(fields.name, nameKey(fields.name), fields.role, fields.homeLocationId, isoInstant(core.clock.now()), id);
  const after = userRowById(core, id)!;
  appendAudit(core, actor, { action: 'update', entity: 'user', entityId: id, old: publicFields(before), new: publicFields(after) });
  return getUser(core, id);
}

/** Users are never deleted (their records keep their names): they are deactivated. Call inside a transaction. */
export function setUserActive(core: Core, actor: Actor, id: string, active: boolean): User {
  const before = userRowById(core, id);
  if (!before) throw new AppError('not_found', 'That user does not exist.');
  if (!active && before.role === 'admin' && activeAdmins(core, id) === 0) {
    throw new AppError('invalid_input', 'This is the last active administrator and cannot be deactivated.');
  }
  if (!active && actor.userId === id) throw new AppError('invalid_input', 'You cannot deactivate yourself.');
  core.db.prepare('UPDATE users SET active = ?, updated_at = ? WHERE id = ?').run(active ? 1 : 0, isoInstant(core.clock.now()), id);
  appendAudit(core, actor, { action: active ? 'activate' : 'deactivate', entity: 'user', entityId: id, old: { active: before.active }, new: { active: active ? 1 : 0 } });
  return getUser(core, id);
}

/** An admin sets a temporary PIN; the user chooses their own at next sign-in. Call inside a transaction. */
export function resetPin(core: Core, actor: Actor, id: string, pinHash: string): User {
  const before = userRowById(core, id);
  if (!before) throw new AppError('not_found', 'That user does not exist.');
  core.db
    .prepare('UPDATE users SET pin_hash = ?, must_set_pin = 1, failed_attempts = 0, locked_until = NULL, updated_at = ? WHERE id = ?')
    .run(pinHash, isoInstant(core.clock.now()), id);
  appendAudit(core, actor, { action: 'pin_reset', entity: 'user', entityId: id });
  return getUser(core, id);
}
