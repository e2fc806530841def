import type { Role } from '../../shared/domain/common';
import type { Core } from '../../main/core/context';
import { systemActor } from '../../main/core/context';
import { inTransaction } from '../../main/core/dispatcher/transaction';
import type { Session, SessionUser } from '../../main/core/session';
import { insertUser, setUserActive, updateUser } from '../../main/core/users/service';

/**
 * A user who exists in the database (the dispatcher reads every caller's rights from there on
 * each call), signed in to `session` when one is given. No PIN: tests that sign use realAdmin or
 * set one through the auth channels.
 */
export function signedInUser(core: Core, role: Role, options: { name?: string; session?: Session } = {}): SessionUser {
  const name = options.name ?? `Test ${role} ${Math.random().toString(36).slice(2, 8)}`;
  const user = inTransaction(core, (core) =>
    insertUser(core, systemActor, { name, role, homeLocationId: null, pinHash: null, passwordHash: null, mustSetPin: false }),
  );
  const signed: SessionUser = { id: user.id, name: user.name, role, mustSetPin: false };
  if (options.session) options.session.user = { ...signed };
  return signed;
}

/** What an administrator does from the Users screen, as a test's one line: a new role for someone. */
export function changeRole(core: Core, user: { id: string; name: string }, role: Role): void {
  inTransaction(core, (core) => updateUser(core, systemActor, user.id, { name: user.name, role, homeLocationId: null }));
}

export function setActive(core: Core, userId: string, active: boolean): void {
  inTransaction(core, (core) => setUserActive(core, systemActor, userId, active));
}
