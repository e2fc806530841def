import { nameKey } from '../../../shared/domain/common';
import type { Role } from '../../../shared/domain/common';
import type { SignInCandidate } from '../../../shared/domain/user';
import type { UserListing } from '../../../shared/contract/users';
import { TEMPORARY_PIN_HOURS } from '../../../shared/contract/users';
import { ROLE_AS_NOUN } from '../../../shared/domain/user';
import { appendAudit } from '../audit';
import { TEMPORARY_MARK } from '../auth/passwords';
import { isoInstant } from '../clock';
import type { Actor, Core, WriteCore } from '../context';
import { AppError } from '../errors';
import { uuidv7 } from '../ids';
import { locationPathMap } from '../locations/service';
import { getSettings } from '../settings/service';
import { command, query } from '../sql/query';
import type { AuditRow, CountRow, UserRow } from '../sql/rows';
import { firstHiddenCharacter } from '../../../shared/hidden-characters';
import { PATH_SEPARATOR } from '../../../shared/domain/location';
import { howItDiffers, lookAlikeSets, looksAlike, namesLike } from './names';
import { rightsChangedOutside } from './trail-check';

export type { UserRow };

const byId = query<UserRow, { id: string }>('SELECT * FROM users WHERE id = @id');
const byNameKey = query<UserRow, { key: string }>('SELECT * FROM users WHERE name_key = @key');
const countAll = query<CountRow>('SELECT count(*) AS n FROM users');
const allUsers = query<UserRow>('SELECT * FROM users ORDER BY active DESC, name_sort(name), name');
const activeUsers = query<Pick<UserRow, 'id' | 'name' | 'role' | 'home_location_id'>>(
  'SELECT id, name, role, home_location_id FROM users WHERE active = 1 ORDER BY name_sort(name), name',
);
const activeLocation = query<{ id: string }, { id: string }>('SELECT id FROM locations WHERE id = @id AND active = 1');
const otherActiveAdmins = query<CountRow, { id: string }>("SELECT count(*) AS n FROM users WHERE role = 'admin' AND active = 1 AND id <> @id");
const insert = command<Omit<UserRow, 'failed_attempts' | 'locked_until'>>(
  `INSERT INTO users (id, name, name_key, role, pin_hash, password_hash, must_set_pin, home_location_id, active, created_at, updated_at, pc_id)
   VALUES (@id, @name, @name_key, @role, @pin_hash, @password_hash, @must_set_pin, @home_location_id, @active, @created_at, @updated_at, @pc_id)`,
);
const update = command<Pick<UserRow, 'id' | 'name' | 'name_key' | 'role' | 'home_location_id' | 'updated_at'>>(
  'UPDATE users SET name = @name, name_key = @name_key, role = @role, home_location_id = @home_location_id, updated_at = @updated_at WHERE id = @id',
);
const setActive = command<Pick<UserRow, 'id' | 'active' | 'updated_at'>>('UPDATE users SET active = @active, updated_at = @updated_at WHERE id = @id');
const setTemporaryPin = command<Pick<UserRow, 'id' | 'pin_hash' | 'updated_at'>>(
  'UPDATE users SET pin_hash = @pin_hash, must_set_pin = 1, failed_attempts = 0, locked_until = NULL, updated_at = @updated_at WHERE id = @id',
);
const removePassword = command<{ id: string; mark: string }>(
  'UPDATE users SET password_hash = NULL WHERE id = @id AND substr(password_hash, 1, length(@mark)) = @mark',
);

/**
 * Removes a password someone else chose for the user (auth/passwords.ts, markTemporary), when they
 * choose their own PIN or an administrator resets it; their own password stays. The audit entry's
 * `new` says whether one went.
 */
export function removeTemporaryPassword(core: WriteCore, id: string): { new: { temporary_password_removed: true } } | Record<string, never> {
  return removePassword.run(core, { id, mark: TEMPORARY_MARK }).changes > 0 ? { new: { temporary_password_removed: true } } : {};
}

export function userRowById(core: Core, id: string): UserRow | undefined {
  return byId.get(core, { id });
}

export function userRowByName(core: Core, name: string): UserRow | undefined {
  return byNameKey.get(core, { key: nameKey(name) });
}

export function countUsers(core: Core): number {
  return countAll.get(core)!.n;
}

/**
 * When the user's temporary PIN was given: the audit trail's newest `pin_reset` or `create` entry
 * about them (each gives one, and syncs with the row to every PC of a hospital). A row with no such
 * entry (it came from another PC before its entry, or the entry is missing) counts from the row's
 * `updated_at`, written by the reset or the creation, never before it.
 */
const temporaryPinGiven = query<Pick<AuditRow, 'at'>, { id: string }>(
  "SELECT at FROM audit_log WHERE entity = 'user' AND entity_id = @id AND action IN ('pin_reset', 'create') ORDER BY at DESC, seq DESC LIMIT 1",
);

/** A temporary PIN's life: when it was given, and the instant it stops working (docs/users.md). */
export interface TemporaryPin {
  givenAt: string;
  expiresAt: string;
}

/** The user's temporary PIN (and a password someone else chose, which goes with it), or null when they chose their own. */
export function temporaryPin(core: Core, row: UserRow): TemporaryPin | null {
  if (row.must_set_pin !== 1) return null;
  const givenAt = temporaryPinGiven.get(core, { id: row.id })?.at ?? row.updated_at;
  return { givenAt, expiresAt: isoInstant(new Date(new Date(givenAt).getTime() + TEMPORARY_PIN_HOURS * 3_600_000)) };
}

/** Whether the user's temporary PIN has run its time at `nowIso`: it then signs in no one. */
export function temporaryPinExpired(core: Core, row: UserRow, nowIso: string): boolean {
  const temporary = temporaryPin(core, row);
  return temporary !== null && temporary.expiresAt <= nowIso;
}

/** The one mapper from a users row to what screens see (never a hash). */
function toUser(core: Core, row: UserRow, paths: Map<string, string>, nowIso: string, alike: ReadonlyMap<string, string> = printsLikeNotes(core)): UserListing {
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
    temporaryPinExpired: temporaryPinExpired(core, row, nowIso),
    printsLike: alike.get(row.id) ?? null,
  };
}

/**
 * For each user in use whose name prints like another user's, deactivated ones included (their
 * signatures stand on records), the sentence the Users screen shows under the name. A PC refuses
 * such a name, but two PCs of a hub each hold only their own users while apart (sync/keys.ts lists
 * those in use on the Conflicts screen), and a name kept from before the rule stays as it was. A
 * deactivated user gets no sentence: they cannot be edited, and the one in use can be renamed.
 */
function printsLikeNotes(core: Core): Map<string, string> {
  const rows = everyName.all(core);
  const others = new Map<string, Set<string>>();
  for (const set of lookAlikeSets(rows.map((r) => r.name)))
    for (const i of set) for (const j of set) if (i !== j) others.set(rows[i]!.id, (others.get(rows[i]!.id) ?? new Set()).add(rows[j]!.name));
  const notes = new Map<string, string>();
  for (const r of rows) {
    const names = [...(others.get(r.id) ?? [])];
    if (r.active !== 1 || names.length === 0) continue;
    const differs = howItDiffers(r.name, names);
    const them = names.map((n) => `“${n}”`).join(' and ');
    notes.set(r.id, `Prints like ${them}, ${names.length === 1 ? "another user's name" : "other users' names"}${differs ? `; this one ${differs}` : ''}. Rename one of them: a signature must never look like someone else's.`);
  }
  return notes;
}

/** What the audit trail may see of a user: never a hash. */
function publicFields(row: Partial<UserRow>) {
  return { name: row.name, role: row.role, home_location_id: row.home_location_id, active: row.active };
}

export function getUser(core: Core, id: string): UserListing {
  const row = userRowById(core, id);
  if (!row) throw new AppError('not_found', 'That user does not exist.');
  return toUser(core, row, locationPathMap(core), isoInstant(core.clock.now()));
}

export function listUsers(core: Core): UserListing[] {
  const paths = locationPathMap(core);
  const now = isoInstant(core.clock.now());
  const alike = printsLikeNotes(core);
  return allUsers.all(core).map((r) => toUser(core, r, paths, now, alike));
}

/**
 * The active users, other than `row`, whose names print like `name` (users/names.ts): two PCs of a
 * hub apart each let one be made. A name typed at sign-in then cannot say which account it means.
 */
export function othersNamedAlike(core: Core, name: string, row: Pick<UserRow, 'id'>): string[] {
  const rows = activeUsers.all(core).filter((u) => u.id !== row.id);
  return namesLike(name, rows.map((u) => u.name)).map((i) => rows[i]!.name);
}

/**
 * Active users of this PC's ward (and its rooms), plus those with no home ward; everyone when the PC
 * has no ward. A home ward taken off the list counts as none, as the Users screen shows it ("(any
 * ward)") and Today reads it: such a user is listed on every PC rather than on none.
 */
export function signInCandidates(core: Core): SignInCandidate[] {
  const rows = activeUsers.all(core);
  const ward = getSettings(core).defaultLocationId;
  let inWard: (id: string | null) => boolean = () => true;
  let known: Map<string, string> | null = null;
  const paths = () => (known ??= locationPathMap(core));
  if (ward) {
    const wardPath = paths().get(ward);
    if (wardPath) {
      inWard = (id) => {
        const home = id === null ? undefined : paths().get(id);
        return home === undefined || home === wardPath || home.startsWith(wardPath + ' > ');
      };
    }
  }
  const listed = rows.filter((r) => inWard(r.home_location_id));
  // Names that print alike (users/names.ts) look the same in the list: each says its home ward.
  const alike = new Set(lookAlikeSets(listed.map((r) => r.name)).flat());
  return listed.map((r, i) => ({
    id: r.id,
    name: r.name,
    role: r.role,
    alike: alike.has(i) ? (paths().get(r.home_location_id ?? '')?.split(PATH_SEPARATOR).at(-1) ?? 'any ward') : null,
  }));
}

/**
 * A name prints as what it is, and never like another user's (issue 13, item 11): no invisible or
 * reordering characters, and no look-alike of an existing name (users/names.ts).
 */
const everyName = query<Pick<UserRow, 'id' | 'name' | 'active'>>('SELECT id, name, active FROM users ORDER BY id');

function assertNameFree(core: Core, name: string, exceptId: string | null): void {
  const hidden = firstHiddenCharacter(name);
  if (hidden) {
    const what = hidden.space ? 'a space other than the plain one' : 'a character that prints as nothing or reorders the text';
    throw new AppError('invalid_input', `Name holds ${what} (${hidden.code}). Type the name with letters, plain spaces and punctuation only.`, {
      field: 'name',
    });
  }
  const clash = userRowByName(core, name);
  if (clash && clash.id !== exceptId) throw new AppError('conflict', `There is already a user called "${clash.name}".`, { field: 'name' });
  const others = everyName.all(core);
  const alike = others.find((u) => u.id !== exceptId && looksAlike(u.name, name));
  if (alike) {
    throw new AppError('conflict', `"${name}" prints like the existing user "${alike.name}": a signature must never look like someone else's. Choose a name that reads differently.`, {
      field: 'name',
    });
  }
}

function assertLocation(core: Core, id: string | null): void {
  if (id && !activeLocation.get(core, { id })) {
    throw new AppError('invalid_input', 'Choose a location from the list.', { field: 'homeLocationId' });
  }
}

/** Hash the secrets before the transaction (scrypt is slow on purpose). */
export function insertUser(
  core: WriteCore,
  actor: Actor,
  fields: { name: string; role: Role; homeLocationId: string | null; pinHash: string | null; passwordHash: string | null; mustSetPin: boolean },
): UserListing {
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
    must_set_pin: fields.mustSetPin ? (1 as const) : (0 as const),
    home_location_id: fields.homeLocationId,
    active: 1 as const,
  };
  insert.run(core, { ...row, created_at: now, updated_at: now, pc_id: core.pcId });
  appendAudit(core, actor, { action: 'create', entity: 'user', entityId: row.id, new: publicFields(row) });
  return getUser(core, row.id);
}

function activeAdmins(core: Core, exceptId: string): number {
  return otherActiveAdmins.get(core, { id: exceptId })!.n;
}

/**
 * The rules a change of a user's role or active flag keeps, whoever makes it (the Users screen, a
 * conflict's "Use the other"): an active administrator is always left, and nobody deactivates
 * themselves. Refused in the Users screen's words; `who` names the user where "This" would not do.
 */
export function assertRightsChange(
  core: Core,
  actor: Actor,
  before: UserRow,
  change: { role?: Role; active?: boolean },
  who = 'This',
): void {
  const demoted = change.role !== undefined && before.role === 'admin' && change.role !== 'admin' && before.active === 1;
  if (demoted && activeAdmins(core, before.id) === 0) {
    throw new AppError('invalid_input', `${who} is the last active administrator: make someone else an administrator first.`, {
      field: 'role',
    });
  }
  if (change.active === false && before.role === 'admin' && activeAdmins(core, before.id) === 0) {
    throw new AppError('invalid_input', `${who} is the last active administrator and cannot be deactivated.`);
  }
  if (change.active === false && actor.userId === before.id) throw new AppError('invalid_input', 'You cannot deactivate yourself.');
}

type UserEdit = { name: string; role: Role; homeLocationId: string | null };

/**
 * What another administrator changed since the edit dialog opened with `expected`, in words
 * ("now a supervisor"), with the first such field; null when the user is as the dialog opened.
 */
function changedMeanwhile(core: Core, before: UserRow, expected: UserEdit): { field: string; words: string } | null {
  const words: string[] = [];
  let field: string | null = null;
  const changed = (name: string, text: string) => {
    field ??= name;
    words.push(text);
  };
  if (before.name !== expected.name) changed('name', `now called "${before.name}"`);
  if (before.role !== expected.role) changed('role', `now ${ROLE_AS_NOUN[before.role]}`);
  if (before.home_location_id !== expected.homeLocationId) {
    const home = before.home_location_id ? locationPathMap(core).get(before.home_location_id) : undefined;
    changed('homeLocationId', home ? `home ward now ${home}` : 'no home ward now');
  }
  return field ? { field, words: words.join(', ') } : null;
}

/**
 * Name, role and home ward. With `expected` (what the edit dialog opened with), a user someone else
 * changed meanwhile is refused in a sentence, so that change is never undone without a word; the
 * refusal's field is `expected.<field>`. A save that changes nothing writes nothing, unless the
 * users table was edited outside Wardkeep: then setting the role again is what records it
 * (trail-check.ts).
 */
export function updateUser(core: WriteCore, actor: Actor, id: string, fields: UserEdit & { expected?: UserEdit | undefined }): UserListing {
  const before = userRowById(core, id);
  if (!before) throw new AppError('not_found', 'That user does not exist.');
  const meanwhile = fields.expected ? changedMeanwhile(core, before, fields.expected) : null;
  if (meanwhile) {
    throw new AppError('conflict', `${fields.expected!.name} was changed by someone else since you opened this (${meanwhile.words}): check and save again.`, {
      field: `expected.${meanwhile.field}`,
    });
  }
  const unchanged = fields.name === before.name && fields.role === before.role && fields.homeLocationId === before.home_location_id;
  if (unchanged && !rightsChangedOutside(core.db, id)) return getUser(core, id);
  // Only what changes is checked again: a name that already prints like another (kept from before a
  // rule, or two PCs' changes merged by the hub) and a home ward since taken off the list do not
  // stop an administrator changing the rest.
  if (fields.name !== before.name) assertNameFree(core, fields.name, id);
  if (fields.homeLocationId !== before.home_location_id) assertLocation(core, fields.homeLocationId);
  assertRightsChange(core, actor, before, { role: fields.role });
  update.run(core, { id, name: fields.name, name_key: nameKey(fields.name), role: fields.role, home_location_id: fields.homeLocationId, updated_at: isoInstant(core.clock.now()) });
  const after = userRowById(core, id)!;
  appendAudit(core, actor, { action: 'update', entity: 'user', entityId: id, old: publicFields(before), new: publicFields(after) });
  return getUser(core, id);
}

/** Users are never deleted (their records keep their names): they are deactivated. */
export function setUserActive(core: WriteCore, actor: Actor, id: string, active: boolean): UserListing {
  const before = userRowById(core, id);
  if (!before) throw new AppError('not_found', 'That user does not exist.');
  assertRightsChange(core, actor, before, { active });
  setActive.run(core, { id, active: active ? 1 : 0, updated_at: isoInstant(core.clock.now()) });
  appendAudit(core, actor, { action: active ? 'activate' : 'deactivate', entity: 'user', entityId: id, old: { active: before.active }, new: { active: active ? 1 : 0 } });
  return getUser(core, id);
}

/**
 * An admin sets a temporary PIN; the user chooses their own at next sign-in. A password an admin
 * chose for them (auth/passwords.ts, markTemporary) is removed too: the reset leaves one secret
 * someone else knows, the temporary PIN. A password the user set for themselves stays.
 */
export function resetPin(core: WriteCore, actor: Actor, id: string, pinHash: string): UserListing {
  const before = userRowById(core, id);
  if (!before) throw new AppError('not_found', 'That user does not exist.');
  setTemporaryPin.run(core, { id, pin_hash: pinHash, updated_at: isoInstant(core.clock.now()) });
  // The trail says which lock and count of wrong attempts the reset lifted (never a hash).
  const removed = removeTemporaryPassword(core, id);
  appendAudit(core, actor, {
    action: 'pin_reset',
    entity: 'user',
    entityId: id,
    old: { failed_attempts: before.failed_attempts, locked_until: before.locked_until },
    new: { failed_attempts: 0, locked_until: null, ...('new' in removed ? removed.new : {}) },
  });
  return getUser(core, id);
}
