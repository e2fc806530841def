import { addMinutes, format } from 'date-fns';
import type { AuthStatus, SignedInUser } from '../../../shared/domain/user';
import { appendAudit } from '../audit';
import { isoInstant } from '../clock';
import type { Actor, Core } from '../context';
import { inTransaction } from '../context';
import { AppError } from '../errors';
import type { Session } from '../session';
import { hashSecret, verifySecret } from './passwords';
import { getSettings } from '../settings/service';
import type { UserRow } from '../users/service';
import { countUsers, insertUser, userRowById, userRowByName } from '../users/service';

const actorFor = (row: Pick<UserRow, 'id' | 'name' | 'role'>): Actor => ({ userId: row.id, name: row.name, role: row.role, via: 'app' });

function signedIn(row: UserRow): SignedInUser {
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

function startSession(session: Session, row: UserRow, nowMs: number): void {
  session.user = { id: row.id, name: row.name, role: row.role, mustSetPin: row.must_set_pin === 1 };
  session.lockedUserId = null;
  session.lastActivityMs = nowMs;
}

/** First run: the first account is an administrator. Refused once any user exists. */
export async function setupFirstAdmin(core: Core, session: Session, input: { name: string; password: string; pin?: string | undefined }): Promise<SignedInUser> {
  if (countUsers(core) > 0) throw new AppError('forbidden', 'Wardkeep is already set up: sign in instead.');
  const passwordHash = await hashSecret(input.password);
  const pinHash = input.pin ? await hashSecret(input.pin) : null;
  const user = inTransaction(core, () => {
    if (countUsers(core) > 0) throw new AppError('forbidden', 'Wardkeep is already set up: sign in instead.');
    const system: Actor = { userId: null, name: input.name, role: null, via: 'app' };
    const created = insertUser(core, system, { name: input.name, role: 'admin', homeLocationId: null, pinHash, passwordHash, mustSetPin: false });
    appendAudit(core, actorFor(created), { action: 'sign_in', entity: 'user', entityId: created.id, new: { first_run: true } });
    return userRowById(core, created.id)!;
  });
  startSession(session, user, core.clock.now().getTime());
  return signedIn(user);
}

/**
 * Checks a PIN (4–8 digits) or password against a user's hashes. Wrong secrets count towards the
 * lockout; the count and the lock are committed even though the call then fails. Every outcome
 * is audited under `purpose` ('sign_in', or e.g. 'signature' when signing a record).
 */
async function verifyWithLockout(core: Core, row: UserRow, secret: string, purpose: string): Promise<'pin' | 'password'> {
  const now = core.clock.now();
  const nowIso = isoInstant(now);
  const settings = getSettings(core);
  if (row.locked_until && row.locked_until > nowIso) {
    inTransaction(core, () => appendAudit(core, actorFor(row), { action: `${purpose}_refused_locked`, entity: 'user', entityId: row.id }));
    throw new AppError(
      'locked',
      `${row.name}'s account is locked after too many wrong attempts. Try again after ${format(new Date(row.locked_until), 'HH:mm')}, or ask an administrator to reset the PIN.`,
      { field: 'secret' },
    );
  }
  const pinMatches = /^\d{4,8}$/.test(secret) && (await verifySecret(secret, row.pin_hash));
  const matches = pinMatches || (await verifySecret(secret, row.password_hash));
  const result = inTransaction(core, () => {
    const fresh = userRowById(core, row.id)!;
    if (matches) {
      core.db.prepare('UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE id = ?').run(row.id);
      appendAudit(core, actorFor(row), { action: purpose, entity: 'user', entityId: row.id, new: { with: pinMatches ? 'pin' : 'password' } });
      return { ok: true as const };
    }
    const attempts = fresh.failed_attempts + 1;
    const lock = attempts >= settings.lockoutAttempts;
    const lockedUntil = lock ? isoInstant(addMinutes(now, settings.lockoutMinutes)) : null;
    core.db.prepare('UPDATE users SET failed_attempts = ?, locked_until = ? WHERE id = ?').run(lock ? 0 : attempts, lockedUntil, row.id);
    appendAudit(core, actorFor(row), { action: `${purpose}_failed`, entity: 'user', entityId: row.id, new: { attempt: attempts } });
    if (lock) appendAudit(core, actorFor(row), { action: 'account_locked', entity: 'user', entityId: row.id, new: { until: lockedUntil } });
    return { ok: false as const, lock, attempts };
  });
  if (!result.ok) {
    if (result.lock) {
      throw new AppError(
        'locked',
        `Wrong PIN or password ${settings.lockoutAttempts} times: ${row.name}'s account is locked for ${settings.lockoutMinutes} minutes.`,
        { field: 'secret' },
      );
    }
    const left = settings.lockoutAttempts - result.attempts;
    throw new AppError('invalid_input', `Wrong PIN or password. ${left} ${left === 1 ? 'try' : 'tries'} left before the account locks.`, {
      field: 'secret',
    });
  }
  return pinMatches ? 'pin' : 'password';
}

export async function signIn(core: Core, session: Session, who: { userId: string } | { name: string }, secret: string): Promise<SignedInUser> {
  const row = 'userId' in who ? userRowById(core, who.userId) : userRowByName(core, who.name);
  if (!row || row.active !== 1) {
    throw new AppError('invalid_input', 'name' in who ? `There is no active user called "${who.name}".` : 'That user is not active.', {
      field: 'name' in who ? 'name' : 'userId',
    });
  }
  await verifyWithLockout(core, row, secret, 'sign_in');
  const fresh = userRowById(core, row.id)!;
  startSession(session, fresh, core.clock.now().getTime());
  return signedIn(fresh);
}

/** Re-checks the signed-in user's PIN or password, e.g. to sign a record. Counts towards the lockout like sign-in. */
export async function confirmIdentity(core: Core, session: Session, secret: string, purpose: string): Promise<UserRow> {
  if (!session.user) throw new AppError('unauthenticated', 'Sign in first.');
  const row = userRowById(core, session.user.id);
  if (!row || row.active !== 1) throw new AppError('forbidden', 'Your account is no longer active.');
  await verifyWithLockout(core, row, secret, purpose);
  return row;
}

export function lockSession(core: Core, session: Session, reason: string): void {
  if (!session.user) return;
  const user = session.user;
  inTransaction(core, () => appendAudit(core, { userId: user.id, name: user.name, role: user.role, via: 'app' }, { action: 'lock', entity: 'user', entityId: user.id, new: { reason } }));
  session.lockedUserId = user.id;
  session.user = null;
}

export function signOut(core: Core, session: Session): void {
  if (session.user) {
    const user = session.user;
    inTransaction(core, () => appendAudit(core, { userId: user.id, name: user.name, role: user.role, via: 'app' }, { action: 'sign_out', entity: 'user', entityId: user.id }));
  }
  session.user = null;
  session.lockedUserId = null;
}

/** The user replaces a temporary PIN (or changes theirs), proving who they are with the current PIN or password. */
export async function setOwnPin(core: Core, session: Session, currentSecret: string, newPin: string): Promise<SignedInUser> {
  if (!session.user) throw new AppError('unauthenticated', 'Sign in first.');
  const row = userRowById(core, session.user.id);
  if (!row || row.active !== 1) throw new AppError('forbidden', 'Your account is no longer active.');
  const current = (/^\d{4,8}$/.test(currentSecret) && (await verifySecret(currentSecret, row.pin_hash))) || (await verifySecret(currentSecret, row.password_hash));
  if (!current) throw new AppError('invalid_input', 'The current PIN or password is wrong.', { field: 'currentSecret' });
  if (await verifySecret(newPin, row.pin_hash)) throw new AppError('invalid_input', 'Choose a PIN different from the current one.', { field: 'newPin' });
  const pinHash = await hashSecret(newPin);
  const updated = inTransaction(core, () => {
    core.db.prepare('UPDATE users SET pin_hash = ?, must_set_pin = 0, updated_at = ? WHERE id = ?').run(pinHash, isoInstant(core.clock.now()), row.id);
    appendAudit(core, actorFor(row), { action: 'pin_set', entity: 'user', entityId: row.id });
    return userRowById(core, row.id)!;
  });
  startSession(session, updated, core.clock.now().getTime());
  return signedIn(updated);
}
