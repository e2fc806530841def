import { addMinutes, format } from 'date-fns';
import { AS_A, roleAllows } from '../../../shared/contract/access';
import type { Access } from '../../../shared/contract/channel';
import type { AuthStatus, SignedInUser } from '../../../shared/domain/user';
import { ROLE_LABELS } from '../../../shared/domain/user';
import { appendAudit } from '../audit';
import { isoInstant } from '../clock';
import type { Actor, Core, WriteCore } from '../context';
import { actorOfUser } from '../context';
import { AppError, RecordedRefusal } from '../errors';
import type { Session } from '../session';
import { hashSecret, isTemporaryHash, markTemporary, needsRehash, verifySecret } from './passwords';
import type { JobContext } from '../dispatcher/handler';
import { getSettings } from '../settings/service';
import { command } from '../sql/query';
import type { UserRow } from '../sql/rows';
import { countUsers, insertUser, removeTemporaryPassword, userRowById, userRowByName } from '../users/service';
import { rightsChangedOutside } from '../users/trail-check';

export function signedIn(row: UserRow): SignedInUser {
  return { id: row.id, name: row.name, role: row.role, mustSetPin: row.must_set_pin === 1 };
}

export function authStatus(core: Core, session: Session): AuthStatus {
  const locked = session.lockedUserId ? userRowById(core, session.lockedUserId) : undefined;
  // Someone deactivated since the screen locked on them may not carry on: the lock screen neither
  // names nor preselects them (and their kept screens go), so the next person signs in as themselves.
  if (session.lockedUserId && locked?.active !== 1) session.lockedUserId = null;
  const current = session.user ? userRowById(core, session.user.id) : undefined;
  return {
    needsSetup: countUsers(core) === 0,
    user: current ? signedIn(current) : null,
    lockedUser: locked && session.lockedUserId ? { id: locked.id, name: locked.name } : null,
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
const rehashPin = command<{ id: string; hash: string }>('UPDATE users SET pin_hash = @hash WHERE id = @id');
const rehashPassword = command<{ id: string; hash: string }>('UPDATE users SET password_hash = @hash WHERE id = @id');
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

/**
 * Checking a PIN or password, the way no number of attempts at once can beat (issue 13, item 7):
 * 1. one attempt at a time per user in this process (`oneAtATime`);
 * 2. the attempt is counted and committed before anything is hashed (`beginAttempt`): the attempt
 *    that reaches the limit locks the account then and there, so attempts racing it find the lock,
 *    in this process or another, and are refused without a hash;
 * 3. the slow hash (`hashAttempt`), outside any transaction;
 * 4. the outcome recorded (`finishAttempt`): a match clears the count and the lock; a miss stays
 *    counted and is audited, and the attempt that reached the limit says the account is locked.
 * Sign-in, signing a record and changing one's own PIN all go through it.
 */
const queues = new WeakMap<Core['db'], Map<string, Promise<unknown>>>();

export function oneAtATime<T>(core: Core, userId: string, fn: () => Promise<T>): Promise<T> {
  let byUser = queues.get(core.db);
  if (!byUser) queues.set(core.db, (byUser = new Map()));
  const before = byUser.get(userId) ?? Promise.resolve();
  const run = before.then(fn, fn);
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  byUser.set(userId, settled);
  void settled.then(() => {
    if (byUser.get(userId) === settled) byUser.delete(userId);
  });
  return run;
}

function lockedRefusal(row: UserRow): RecordedRefusal {
  return new RecordedRefusal(
    'locked',
    `${row.name}'s account is locked after too many wrong attempts. Try again after ${format(new Date(row.locked_until!), 'HH:mm')}, or ask an administrator to reset the PIN.`,
    { field: 'secret' },
  );
}

/** Step 2, in its own transaction: counts the attempt, locking the account if it is the last allowed. */
export function beginAttempt(core: WriteCore, userId: string, purpose: string): { row: UserRow; attempt: number } {
  const row = userRowById(core, userId);
  if (!row || row.active !== 1) throw new AppError('forbidden', 'That account is not active.');
  const now = core.clock.now();
  if (row.locked_until && row.locked_until > isoInstant(now)) {
    appendAudit(core, actorOfUser(row), { action: `${purpose}_refused_locked`, entity: 'user', entityId: row.id });
    throw lockedRefusal(row);
  }
  const settings = getSettings(core);
  // A lock that has run its time ends the run of wrong attempts that set it: "five in a row" counts again from none.
  const attempt = (row.locked_until ? 0 : row.failed_attempts) + 1;
  const lockedUntil = attempt >= settings.lockoutAttempts ? isoInstant(addMinutes(now, settings.lockoutMinutes)) : null;
  setAttempts.run(core, { id: row.id, failed_attempts: attempt, locked_until: lockedUntil });
  return { row, attempt };
}

/** What the slow half found. */
export interface SecretCheck {
  row: UserRow;
  /** This attempt's number since the last success. */
  attempt: number;
  matched: 'pin' | 'password' | null;
  /** The secret hashed again at today's cost, when it matched a hash made with less. */
  rehash: { column: 'pin_hash' | 'password_hash'; hash: string } | null;
}

/**
 * The password a secret may match: a password someone else chose (passwords.ts, markTemporary)
 * only while the user has not yet chosen their own PIN, as a temporary PIN. Choosing one removes
 * it (setOwnPin), so this only matters for a row that arrived out of order from another PC.
 */
function usablePasswordHash(row: UserRow): string | null {
  return isTemporaryHash(row.password_hash) && row.must_set_pin !== 1 ? null : row.password_hash;
}

/** Step 3: hashes a PIN (4–8 digits) or password against the user's hashes. Writes nothing. */
export async function hashAttempt(row: UserRow, secret: string): Promise<Pick<SecretCheck, 'matched' | 'rehash'>> {
  const pinMatches = /^\d{4,8}$/.test(secret) && (await verifySecret(secret, row.pin_hash));
  const matched = pinMatches ? 'pin' : (await verifySecret(secret, usablePasswordHash(row))) ? 'password' : null;
  const column = matched === 'pin' ? 'pin_hash' : 'password_hash';
  let rehash: SecretCheck['rehash'] = null;
  if (matched && needsRehash(row[column])) {
    const hash = await hashSecret(secret);
    // A temporary password made again stays temporary.
    rehash = { column, hash: column === 'password_hash' && isTemporaryHash(row.password_hash) ? markTemporary(hash) : hash };
  }
  return { matched, rehash } as Pick<SecretCheck, 'matched' | 'rehash'>;
}

/** Steps 2 and 3 for a job: the attempt counted and committed, then the secret hashed. */
export async function proveSecret(ctx: Pick<JobContext, 'write'>, row: UserRow, secret: string, purpose: string): Promise<SecretCheck> {
  const { attempt } = ctx.write((w) => beginAttempt(w.core, row.id, purpose));
  return { row, attempt, ...(await hashAttempt(row, secret)) };
}

/**
 * Step 4, inside the transaction of what the secret was for: audited under `purpose` ('sign_in',
 * 'signature', 'pin_change'). A miss is a RecordedRefusal: committed, then refused. Returns the user.
 */
export function finishAttempt(core: WriteCore, check: SecretCheck, purpose: string, field = 'secret'): UserRow {
  const row = check.row;
  if (check.matched) {
    clearAttempts.run(core, { id: row.id });
    if (check.rehash) (check.rehash.column === 'pin_hash' ? rehashPin : rehashPassword).run(core, { id: row.id, hash: check.rehash.hash });
    appendAudit(core, actorOfUser(row), { action: purpose, entity: 'user', entityId: row.id, new: { with: check.matched, ...(check.rehash ? { rehashed: true } : {}) } });
    return userRowById(core, row.id)!;
  }
  const settings = getSettings(core);
  appendAudit(core, actorOfUser(row), { action: `${purpose}_failed`, entity: 'user', entityId: row.id, new: { attempt: check.attempt } });
  if (check.attempt >= settings.lockoutAttempts) {
    const fresh = userRowById(core, row.id)!;
    appendAudit(core, actorOfUser(row), { action: 'account_locked', entity: 'user', entityId: row.id, new: { until: fresh.locked_until } });
    throw new RecordedRefusal(
      'locked',
      `Wrong PIN or password ${settings.lockoutAttempts} times: ${row.name}'s account is locked for ${settings.lockoutMinutes} minutes.`,
      { field },
    );
  }
  const left = settings.lockoutAttempts - check.attempt;
  throw new RecordedRefusal('invalid_input', `Wrong PIN or password. ${left} ${left === 1 ? 'try' : 'tries'} left before the account locks.`, { field });
}

/**
 * Why a signer who proved their secret may no longer sign, read again inside the transaction that
 * would write the record: the dispatcher checked the same three things at the door (active, their
 * own PIN chosen, a role with the channel's access), but before the slow hash, while an
 * administrator could deactivate them, reset their PIN or lower their role. Null when they still may.
 */
function withdrawnRight(now: UserRow | undefined, access: Access): { reason: string; sentence: string } | null {
  const nothing = 'so nothing was signed';
  if (!now || now.active !== 1) {
    return { reason: 'deactivated', sentence: `Your account was deactivated while your PIN was being checked, ${nothing}.` };
  }
  if (now.must_set_pin === 1) {
    return {
      reason: 'pin_reset',
      sentence: `Your PIN was reset by an administrator while it was being checked, ${nothing}. Choose your own PIN first.`,
    };
  }
  if (!roleAllows(now.role, access)) {
    const needed = access === 'public' ? '' : AS_A[access];
    return {
      reason: 'role',
      sentence: `Your role was changed to ${ROLE_LABELS[now.role].toLowerCase()} while your PIN was being checked: this needs ${needed} or above, ${nothing}.`,
    };
  }
  return null;
}

/**
 * Step 4 for a signature (auth/signed.ts), inside the transaction of what is signed: the attempt's
 * outcome recorded as finishAttempt records it (a wrong secret counted and refused), then the
 * signer's row read again. A signer deactivated, demoted below the channel's `access` or given a
 * temporary PIN while their secret was being hashed signs nothing: the attempt and a
 * 'signature_refused' audit entry are committed, and the call is refused as forbidden.
 */
export function finishSignature(core: WriteCore, check: SecretCheck, access: Access): UserRow {
  const now = userRowById(core, check.row.id);
  const signer = finishAttempt(core, check, 'signature');
  const withdrawn = withdrawnRight(now, access);
  if (!withdrawn) return signer;
  appendAudit(core, actorOfUser(now ?? check.row), {
    action: 'signature_refused',
    entity: 'user',
    entityId: check.row.id,
    new: { reason: withdrawn.reason },
  });
  throw new RecordedRefusal('forbidden', withdrawn.sentence);
}

/** The active user a sign-in names, before anything is counted. */
export function signInUser(core: Core, who: { userId: string } | { name: string }): UserRow {
  const row = 'userId' in who ? userRowById(core, who.userId) : userRowByName(core, who.name);
  if (!row || row.active !== 1) {
    throw new AppError('invalid_input', 'name' in who ? `There is no active user called "${who.name}".` : 'That user is not active.', {
      field: 'name' in who ? 'name' : 'userId',
    });
  }
  const tampered = rightsChangedOutside(core.db, row.id);
  if (tampered) throw new AppError('forbidden', tampered);
  return row;
}

/** The signed-in user, re-checked, whose secret signs a record or changes their PIN. */
export function identityRow(core: Core, session: Session): UserRow {
  if (!session.user) throw new AppError('unauthenticated', 'Sign in first.');
  const row = userRowById(core, session.user.id);
  if (!row || row.active !== 1) throw new AppError('forbidden', 'Your account is no longer active.');
  return row;
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

/**
 * The user replaces a temporary PIN (or changes theirs). Inside the transaction. A password someone
 * else chose for them (passwords.ts, markTemporary) is temporary like that PIN, and goes with it:
 * from now on only secrets the user chose sign in and sign as them. Their own password stays.
 */
export function setOwnPin(core: WriteCore, prepared: { row: UserRow; pinHash: string }): UserRow {
  const { row, pinHash } = prepared;
  setPin.run(core, { id: row.id, pin_hash: pinHash, updated_at: isoInstant(core.clock.now()) });
  appendAudit(core, actorOfUser(row), { action: 'pin_set', entity: 'user', entityId: row.id, ...removeTemporaryPassword(core, row.id) });
  return userRowById(core, row.id)!;
}
