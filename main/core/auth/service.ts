import { addMinutes, format } from 'date-fns';
import { AS_A, roleAllows } from '../../../shared/contract/access';
import type { Access } from '../../../shared/contract/channel';
import type { AuthStatus, SignedInUser } from '../../../shared/domain/user';
import { ROLE_LABELS } from '../../../shared/domain/user';
import { TEMPORARY_PIN_HOURS } from '../../../shared/contract/users';
import { formatDateTime } from '../../../shared/date-format';
import { appendAudit } from '../audit';
import { isoInstant } from '../clock';
import type { Actor, Core, WriteCore } from '../context';
import { actorOfUser } from '../context';
import { AppError, RecordedRefusal } from '../errors';
import type { Session } from '../session';
import { hashSecret, isTemporaryHash, markTemporary, needsRehash, verifySecret } from './passwords';
import type { JobContext } from '../dispatcher/handler';
import { getSettings } from '../settings/service';
import { command, query } from '../sql/query';
import type { AuditRow, UserRow } from '../sql/rows';
import { countUsers, insertUser, othersNamedAlike, removeTemporaryPassword, temporaryPin, userRowById, userRowByName } from '../users/service';
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

/** Who last reset a user's PIN: the audit trail's newest `pin_reset` entry about them. */
const lastPinReset = query<Pick<AuditRow, 'actor_name'>, { id: string }>(
  "SELECT actor_name FROM audit_log WHERE entity = 'user' AND entity_id = @id AND action = 'pin_reset' ORDER BY at DESC, seq DESC LIMIT 1",
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

/** What a secret is checked for: each has its own audit actions (`sign_in`, `sign_in_failed`…). */
export type Purpose = 'sign_in' | 'signature' | 'pin_change';

/**
 * A check of the user's row as it is when the attempt is about to be counted: it refuses (with a
 * RecordedRefusal, so what it audits is kept) an attempt that may not go on at all, before anything
 * is counted or hashed.
 */
export type AttemptGuard = (core: WriteCore, now: UserRow | undefined) => void;

/**
 * Step 2, in its own transaction: counts the attempt, locking the account if it is the last allowed.
 * Returns the row as it is now: the secret is checked against it (step 3), never against a row read
 * before the attempt waited its turn, so a PIN its owner changed meanwhile no longer works.
 */
export function beginAttempt(core: WriteCore, userId: string, purpose: Purpose, guard?: AttemptGuard): { row: UserRow; attempt: number } {
  const row = userRowById(core, userId);
  guard?.(core, row);
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
  return { row: { ...row, failed_attempts: attempt, locked_until: lockedUntil }, attempt };
}

/** What the slow half found. */
export interface SecretCheck {
  /** The user's row as the attempt was counted: the secret was checked against its hashes. */
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

/**
 * Steps 2 and 3 for a job: the attempt counted and committed, then the secret hashed against the
 * user's row as it was counted. `row` is the user as the call found them; `guard` may refuse the
 * attempt before it is counted.
 */
export async function proveSecret(
  ctx: Pick<JobContext, 'write'>,
  row: UserRow,
  secret: string,
  purpose: Purpose,
  guard?: AttemptGuard,
): Promise<SecretCheck> {
  const counted = ctx.write((w) => beginAttempt(w.core, row.id, purpose, guard));
  return { ...counted, ...(await hashAttempt(counted.row, secret)) };
}

type Meanwhile = 'deactivated' | 'pin_reset' | 'secret_changed';

/**
 * What changed in a user's row since `before` that a check of their secret must not outlive, or
 * null: deactivated (or gone); a PIN reset (a temporary PIN given); their PIN or password changed
 * otherwise (by themselves, or on another PC).
 */
function changedSince(before: UserRow, now: UserRow | undefined): Meanwhile | null {
  if (!now || now.active !== 1) return 'deactivated';
  const pinChanged = now.pin_hash !== before.pin_hash;
  if (now.must_set_pin === 1 && (before.must_set_pin !== 1 || pinChanged)) return 'pin_reset';
  if (pinChanged || now.password_hash !== before.password_hash || now.must_set_pin !== before.must_set_pin) return 'secret_changed';
  return null;
}

/** Who last reset the user's PIN, as the audit trail names them. */
function resetBy(core: Core, userId: string): string {
  return lastPinReset.get(core, { id: userId })?.actor_name ?? 'an administrator';
}

/**
 * Refuses a sign-in or a change of one's own PIN whose user changed (changedSince) while the secret
 * waited its turn or was hashed: audited as `<purpose>_refused` with the reason, and refused in a
 * sentence. The attempt stays counted: the secret no longer proves what it proved.
 */
function refuseChangedMeanwhile(core: WriteCore, row: UserRow, purpose: 'sign_in' | 'pin_change', reason: Meanwhile, field: string): never {
  appendAudit(core, actorOfUser(row), { action: `${purpose}_refused`, entity: 'user', entityId: row.id, new: { reason } });
  const code = reason === 'deactivated' ? 'forbidden' : 'conflict';
  if (purpose === 'sign_in') {
    const sentence: Record<Meanwhile, string> = {
      deactivated: `${row.name}'s account was deactivated while the PIN was being checked, so no one was signed in.`,
      pin_reset: `${row.name}'s PIN was reset by ${resetBy(core, row.id)} while it was being checked, so no one was signed in: sign in with the temporary PIN given instead.`,
      secret_changed: `${row.name}'s PIN or password was changed while it was being checked, so no one was signed in: sign in with the new one.`,
    };
    throw new RecordedRefusal(code, sentence[reason], reason === 'deactivated' ? {} : { field });
  }
  const sentence: Record<Meanwhile, string> = {
    deactivated: 'Your account was deactivated while your PIN was being checked, so your PIN was not changed.',
    pin_reset: `Your PIN was reset by ${resetBy(core, row.id)} while you were changing it, so your new PIN was not saved: choose your own with the temporary PIN you are given.`,
    secret_changed: 'Your PIN or password was changed elsewhere while it was being checked, so your new PIN was not saved: type your current PIN or password again.',
  };
  throw new RecordedRefusal(code, sentence[reason], reason === 'secret_changed' ? { field } : {});
}

/**
 * For changing one's own PIN, before the attempt is counted: refused when the user was deactivated
 * or their PIN reset since `before` (the row the call found), so a reset an administrator made
 * while the change waited its turn is never undone.
 */
export function pinChangeGuard(before: UserRow, field: string): AttemptGuard {
  return (core, now) => {
    const reason = changedSince(before, now);
    if (reason === 'deactivated' || reason === 'pin_reset') refuseChangedMeanwhile(core, before, 'pin_change', reason, field);
  };
}

/**
 * The check's outcome, recorded under `purpose`: a match clears the count and the lock (and keeps
 * the hash made again at today's cost, unless that hash changed meanwhile); a miss stays counted and
 * is audited, and is refused with a RecordedRefusal (committed, then refused): the attempt that
 * reached the limit says the account is locked.
 */
function recordOutcome(core: WriteCore, check: SecretCheck, purpose: Purpose, field: string): UserRow {
  const row = check.row;
  if (check.matched) {
    clearAttempts.run(core, { id: row.id });
    const rehash = check.rehash && userRowById(core, row.id)?.[check.rehash.column] === row[check.rehash.column] ? check.rehash : null;
    if (rehash) (rehash.column === 'pin_hash' ? rehashPin : rehashPassword).run(core, { id: row.id, hash: rehash.hash });
    appendAudit(core, actorOfUser(row), { action: purpose, entity: 'user', entityId: row.id, new: { with: check.matched, ...(rehash ? { rehashed: true } : {}) } });
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
 * Step 4 of a sign-in or of changing one's own PIN, inside the transaction of what the secret was
 * for: the outcome recorded (recordOutcome). A secret that matched is refused all the same when,
 * while it was hashed, the user was deactivated, their PIN reset or their PIN or password changed:
 * the row is read again here, in the transaction that would act on the check. Returns the user.
 */
export function finishAttempt(core: WriteCore, check: SecretCheck, purpose: 'sign_in' | 'pin_change', field = 'secret'): UserRow {
  if (check.matched) {
    const now = userRowById(core, check.row.id);
    const reason = changedSince(check.row, now);
    if (reason) refuseChangedMeanwhile(core, check.row, purpose, reason, field);
    if (now) refuseExpiredTemporary(core, now, check, purpose, field);
  }
  return recordOutcome(core, check, purpose, field);
}

/**
 * A temporary PIN works for TEMPORARY_PIN_HOURS after it was given (users/service.ts,
 * temporaryPin), and a password someone else chose for the user goes with it: matched after that,
 * it signs no one in and changes no PIN. Audited as `<purpose>_refused` (reason
 * `temporary_pin_expired`), refused in a sentence beside the secret; the attempt stays counted.
 * The user's own password (the first administrator's) never expires.
 */
function refuseExpiredTemporary(core: WriteCore, row: UserRow, check: SecretCheck, purpose: 'sign_in' | 'pin_change', field: string): void {
  const temporary = temporaryPin(core, row);
  if (!temporary || temporary.expiresAt > isoInstant(core.clock.now())) return;
  if (check.matched === 'password' && !isTemporaryHash(row.password_hash)) return;
  appendAudit(core, actorOfUser(row), {
    action: `${purpose}_refused`,
    entity: 'user',
    entityId: row.id,
    new: { reason: 'temporary_pin_expired', given_at: temporary.givenAt, expired_at: temporary.expiresAt },
  });
  // The attempt that reached the limit locked the account when it was counted: the trail says so, as for a wrong PIN.
  if (check.row.locked_until) {
    appendAudit(core, actorOfUser(row), { action: 'account_locked', entity: 'user', entityId: row.id, new: { until: check.row.locked_until } });
  }
  const what = check.matched === 'pin' ? 'temporary PIN' : 'password an administrator chose';
  const when = formatDateTime(temporary.expiresAt, getSettings(core).dateFormat);
  const rule = `a temporary PIN works for ${TEMPORARY_PIN_HOURS} hours after it is given`;
  throw new RecordedRefusal(
    'forbidden',
    purpose === 'sign_in'
      ? `The ${what} for ${row.name} expired on ${when} (${rule}), so no one was signed in. Ask an administrator to reset the PIN for a new one.`
      : `Your ${what} expired on ${when} (${rule}), so your new PIN was not saved. Ask an administrator to reset the PIN for a new one.`,
    { field },
  );
}

/**
 * Why a new PIN may not be the one chosen, or null: the secret the user holds now. A temporary PIN
 * (or a password an administrator chose) is known to whoever gave it, so it is never taken as the
 * user's own; their own current PIN is no change at all.
 */
export async function reusedSecret(row: UserRow, newPin: string): Promise<string | null> {
  const given = row.must_set_pin === 1;
  const yours = 'Choose a PIN of your own, not the one you were given';
  if (await verifySecret(newPin, row.pin_hash)) {
    return given ? `${yours}: the temporary PIN is known to whoever gave it to you.` : 'Choose a PIN different from the current one.';
  }
  if (given && isTemporaryHash(row.password_hash) && (await verifySecret(newPin, row.password_hash))) {
    return `${yours}: the password an administrator chose for you is known to them.`;
  }
  return null;
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

/** Refuses a signature whose signer's rights were withdrawn: a 'signature_refused' entry, then forbidden. */
function refuseWithdrawn(core: WriteCore, row: UserRow, withdrawn: { reason: string; sentence: string }): never {
  appendAudit(core, actorOfUser(row), { action: 'signature_refused', entity: 'user', entityId: row.id, new: { reason: withdrawn.reason } });
  throw new RecordedRefusal('forbidden', withdrawn.sentence);
}

/**
 * For a signature, before the attempt is counted: a signer whose rights were withdrawn while the
 * signature waited its turn behind another attempt of theirs (deactivated, given a temporary PIN,
 * demoted below `access`) signs nothing, and no attempt is counted.
 */
export function signatureGuard(before: UserRow, access: Access): AttemptGuard {
  return (core, now) => {
    const withdrawn = withdrawnRight(now, access);
    if (withdrawn) refuseWithdrawn(core, now ?? before, withdrawn);
  };
}

/**
 * Step 4 for a signature (auth/signed.ts), inside the transaction of what is signed: the attempt's
 * outcome recorded as for a sign-in (a wrong secret counted and refused), then the signer's row
 * read again. A signer deactivated, demoted below the channel's `access` or given a temporary PIN
 * while their secret was being hashed signs nothing: the attempt and a 'signature_refused' audit
 * entry are committed, and the call is refused as forbidden. A PIN or password changed otherwise
 * meanwhile (on another PC) signs nothing either: what was typed is no longer their secret.
 */
export function finishSignature(core: WriteCore, check: SecretCheck, access: Access): UserRow {
  const now = userRowById(core, check.row.id);
  const withdrawn = withdrawnRight(now, access);
  if (check.matched && !withdrawn && changedSince(check.row, now)) {
    appendAudit(core, actorOfUser(check.row), { action: 'signature_refused', entity: 'user', entityId: check.row.id, new: { reason: 'secret_changed' } });
    throw new RecordedRefusal('conflict', 'Your PIN or password was changed while it was being checked, so nothing was signed: sign with your current one.', {
      field: 'secret',
    });
  }
  const signer = recordOutcome(core, check, 'signature', 'secret');
  if (withdrawn) refuseWithdrawn(core, now ?? check.row, withdrawn);
  return signer;
}

/** The active user a sign-in names, before anything is counted. */
export function signInUser(core: Core, who: { userId: string } | { name: string }): UserRow {
  const row = 'userId' in who ? userRowById(core, who.userId) : userRowByName(core, who.name);
  if (!row || row.active !== 1) {
    throw new AppError('invalid_input', 'name' in who ? `There is no active user called "${who.name}".` : 'That user is not active.', {
      field: 'name' in who ? 'name' : 'userId',
    });
  }
  // A typed name that prints like another account's (made on two PCs of a hub apart) cannot say
  // which it means: a wrong guess would count a wrong PIN against the other person.
  if ('name' in who && othersNamedAlike(core, who.name, row).length > 0) {
    throw new AppError('invalid_input', `More than one account has a name that prints like "${who.name}": pick yours from the list, where each shows its ward.`, {
      field: 'name',
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
