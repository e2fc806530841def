import { addMinutes, format } from 'date-fns';
import type { AuthStatus, SignedInUser } from '../../../shared/domain/user';
import { appendAudit } from '../audit';
import { isoInstant } from '../clock';
import type { Actor, Core, WriteCore } from '../context';
import { actorOfUser } from '../context';
import { AppError, RecordedRefusal } from '../errors';
import type { Session } from '../session';
import { hashSecret, verifySecret } from './passwords';
import { getSettings } from '../settings/service';
import { command } from '../sql/query';
import type { UserRow } from '../sql/rows';
import { countUsers, insertUser, userRowById, userRowByName } from '../users/service';

export function signedIn(row: UserRow): SignedInUser {
  return { id: row.id, name: row.name, role: row.role, mustSetPin: row.must_set_pin === 1 };
}

export function authStatus(core: Core, session: Session): AuthStatus {
  const locked = session.lockedUserId ? userRowById(core, session.lockedUserId) : undefined;
  const current = session.user ? userRowById(core, session.user.id) : undefined;
  return {
    needsSetup: countUsers(core) === 0,
    user: current ? signedIn(current) : null,
    lockedUser: locked ? { id: locked.id, name: locked.name } : null,
    idleTimeoutSeconds: getSettings(core).idleTimeoutSeconds,
  };
}

/** Puts the user in the session (after the commit that recorded the sign-in). */
export function startSession(session: Session, row: UserRow, nowMs: number): void {
  session.user = { id: row.id, name: row.name, role: row.role, mustSetPin: row.must_set_pin === 1 };
  session.lockedUserId = null;
  session.lastActivityMs = nowMs;
}

const clearAttempts = command<{ id: string }>('UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE id = @id');
const setAttempts = command<Pick<UserRow, 'id' | 'failed_attempts' | 'locked_until'>>(
  'UPDATE users SET failed_attempts = @failed_attempts, locked_until = @locked_until WHERE id = @id',
);
const setPin = command<Pick<UserRow, 'id' | 'pin_hash' | 'updated_at'>>(
  'UPDATE users SET pin_hash = @pin_hash, must_set_pin = 0, updated_at = @updated_at WHERE id = @id',
);

const alreadySetUp = () => new AppError('forbidden', 'Wardkeep is already set up: sign in instead.');

/** First run, before the transaction: the slow hashes of the first administrator's secrets. */
export async function hashFirstAdmin(
  core: Core,
  input: { password: string; pin?: string | undefined },
): Promise<{ passwordHash: string; pinHash: string | null }> {
  if (countUsers(core) > 0) throw alreadySetUp();
  return { passwordHash: await hashSecret(input.password), pinHash: input.pin ? await hashSecret(input.pin) : null };
}

/** First run: the first account is an administrator. Refused once any user exists. Inside the transaction. */
export function setupFirstAdmin(core: WriteCore, name: string, hashes: { passwordHash: string; pinHash: string | null }): UserRow {
  if (countUsers(core) > 0) throw alreadySetUp();
  const system: Actor = { userId: null, name, role: null, via: 'app' };
  const created = insertUser(core, system, { name, role: 'admin', homeLocationId: null, ...hashes, mustSetPin: false });
  appendAudit(core, actorOfUser(created), { action: 'sign_in', entity: 'user', entityId: created.id, new: { first_run: true } });
  return userRowById(core, created.id)!;
}

/** The slow half of checking a PIN or password, done before the transaction; it writes nothing. */
export interface SecretCheck {
  row: UserRow;
  /** The account was locked: the secret was not even hashed. */
  locked: boolean;
  matched: 'pin' | 'password' | null;
}

/** Hashes a PIN (4–8 digits) or password against a user's hashes, unless the account is locked. */
export async function checkSecret(core: Core, row: UserRow, secret: string): Promise<SecretCheck> {
  if (row.locked_until && row.locked_until > isoInstant(core.clock.now())) return { row, locked: true, matched: null };
  const pinMatches = /^\d{4,8}$/.test(secret) && (await verifySecret(secret, row.pin_hash));
  const matched = pinMatches ? 'pin' : (await verifySecret(secret, row.password_hash)) ? 'password' : null;
  return { row, locked: false, matched };
}

/**
 * The recorded half, inside the transaction: every outcome is audited under `purpose` ('sign_in',
 * or 'signature' when signing a record); wrong secrets count towards the lockout. A refusal is a
 * RecordedRefusal, so the count and the lock are committed even though the call then fails.
 */
export function recordSecretCheck(core: WriteCore, check: SecretCheck, purpose: string): 'pin' | 'password' {
  const row = check.row;
  const settings = getSettings(core);
  if (check.locked) {
    appendAudit(core, actorOfUser(row), { action: `${purpose}_refused_locked`, entity: 'user', entityId: row.id });
    throw new RecordedRefusal(
      'locked',
      `${row.name}'s account is locked after too many wrong attempts. Try again after ${format(new Date(row.locked_until!), 'HH:mm')}, or ask an administrator to reset the PIN.`,
      { field: 'secret' },
    );
  }
  if (check.matched) {
    clearAttempts.run(core, { id: row.id });
    appendAudit(core, actorOfUser(row), { action: purpose, entity: 'user', entityId: row.id, new: { with: check.matched } });
    return check.matched;
  }
  const now = core.clock.now();
  const fresh = userRowById(core, row.id)!;
  const attempts = fresh.failed_attempts + 1;
  const lock = attempts >= settings.lockoutAttempts;
  const lockedUntil = lock ? isoInstant(addMinutes(now, settings.lockoutMinutes)) : null;
  setAttempts.run(core, { id: row.id, failed_attempts: lock ? 0 : attempts, locked_until: lockedUntil });
  appendAudit(core, actorOfUser(row), { action: `${purpose}_failed`, entity: 'user', entityId: row.id, new: { attempt: attempts } });
  if (lock) {
    appendAudit(core, actorOfUser(row), { action: 'account_locked', entity: 'user', entityId: row.id, new: { until: lockedUntil } });
    throw new RecordedRefusal(
      'locked',
      `Wrong PIN or password ${settings.lockoutAttempts} times: ${row.name}'s account is locked for ${settings.lockoutMinutes} minutes.`,
      { field: 'secret' },
    );
  }
  const left = settings.lockoutAttempts - attempts;
  throw new RecordedRefusal(
    'invalid_input',
    `Wrong PIN or password. ${left} ${left === 1 ? 'try' : 'tries'} left before the account locks.`,
    {
      field: 'secret',
    },
  );
}

/** Sign-in, before the transaction: the active user named, and their secret checked. */
export async function checkSignIn(core: Core, who: { userId: string } | { name: string }, secret: string): Promise<SecretCheck> {
  const row = 'userId' in who ? userRowById(core, who.userId) : userRowByName(core, who.name);
  if (!row || row.active !== 1) {
    throw new AppError('invalid_input', 'name' in who ? `There is no active user called "${who.name}".` : 'That user is not active.', {
      field: 'name' in who ? 'name' : 'userId',
    });
  }
  return checkSecret(core, row, secret);
}

/** Re-checks the signed-in user's PIN or password, e.g. to sign a record: the slow half, before the transaction. */
export async function checkIdentity(core: Core, session: Session, secret: string): Promise<SecretCheck> {
  if (!session.user) throw new AppError('unauthenticated', 'Sign in first.');
  const row = userRowById(core, session.user.id);
  if (!row || row.active !== 1) throw new AppError('forbidden', 'Your account is no longer active.');
  return checkSecret(core, row, secret);
}

/** The recorded half of checkIdentity, inside the transaction: counts towards the lockout like sign-in. Returns the signer. */
export function confirmIdentity(core: WriteCore, check: SecretCheck, purpose: string): UserRow {
  recordSecretCheck(core, check, purpose);
  return check.row;
}

/**
 * Locks the screen: audited, and the user's work is kept for them. Inside a transaction; the
 * session changes at once, since locking when the commit then fails is the safe way round.
 */
export function lockSession(core: WriteCore, session: Session, reason: string): void {
  if (!session.user) return;
  const user = session.user;
  appendAudit(core, actorOfUser(user), { action: 'lock', entity: 'user', entityId: user.id, new: { reason } });
  session.lockedUserId = user.id;
  session.user = null;
}

/** Signs out (audited). Inside a transaction; like the lock, it takes effect at once. */
export function signOut(core: WriteCore, session: Session): void {
  if (session.user) {
    const user = session.user;
    appendAudit(core, actorOfUser(user), { action: 'sign_out', entity: 'user', entityId: user.id });
  }
  session.user = null;
  session.lockedUserId = null;
}

/** A user's new PIN, before the transaction: the current PIN or password proves who they are; the new one is hashed. */
export async function prepareOwnPin(
  core: Core,
  session: Session,
  currentSecret: string,
  newPin: string,
): Promise<{ row: UserRow; pinHash: string }> {
  if (!session.user) throw new AppError('unauthenticated', 'Sign in first.');
  const row = userRowById(core, session.user.id);
  if (!row || row.active !== 1) throw new AppError('forbidden', 'Your account is no longer active.');
  const current =
    (/^\d{4,8}$/.test(currentSecret) && (await verifySecret(currentSecret, row.pin_hash))) ||
    (await verifySecret(currentSecret, row.password_hash));
  if (!current) throw new AppError('invalid_input', 'The current PIN or password is wrong.', { field: 'currentSecret' });
  if (await verifySecret(newPin, row.pin_hash))
    throw new AppError('invalid_input', 'Choose a PIN different from the current one.', { field: 'newPin' });
  return { row, pinHash: await hashSecret(newPin) };
}

/** The user replaces a temporary PIN (or changes theirs). Inside the transaction. */
export function setOwnPin(core: WriteCore, prepared: { row: UserRow; pinHash: string }): UserRow {
  const { row, pinHash } = prepared;
  setPin.run(core, { id: row.id, pin_hash: pinHash, updated_at: isoInstant(core.clock.now()) });
  appendAudit(core, actorOfUser(row), { action: 'pin_set', entity: 'user', entityId: row.id });
  return userRowById(core, row.id)!;
}
