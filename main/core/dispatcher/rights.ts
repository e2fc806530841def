import { appendAudit } from '../audit';
import type { Core } from '../context';
import { actorOfUser } from '../context';
import type { Session } from '../session';
import type { UserRow } from '../sql/rows';
import { userRowById } from '../users/service';
import { rightsChangedOutside } from '../users/trail-check';
import { inTransaction } from './transaction';

/** Signs the session out: no one is signed in, and no one's locked work is kept for them. */
export function endSession(session: Session): void {
  session.user = null;
  session.lockedUserId = null;
}

/**
 * For each session, the user row (its identity: id, last change, role, active flag) last found to
 * agree with the audit trail, so the trail is read again only when the row changed.
 */
const agreed = new WeakMap<Session, string>();
const identity = (row: UserRow) => JSON.stringify([row.id, row.updated_at, row.role, row.active]);

/** Ends the session of `row`'s user, audited as a sign-out with its reason. */
function signOutFor(core: Core, session: Session, row: UserRow | undefined, reason: string): 'ended' {
  if (row) {
    inTransaction(
      core,
      (writable) => appendAudit(writable, actorOfUser(row), { action: 'sign_out', entity: 'user', entityId: row.id, new: { reason } }),
      {
        origin: `auth.${reason}`,
        actor: actorOfUser(row),
      },
    );
  }
  endSession(session);
  agreed.delete(session);
  return 'ended';
}

/**
 * Issue 13 item 9: rights are never cached. Before every call the signed-in user's role, name and
 * active flag are read again from the database: demoted, the next call has the new role's rights;
 * deactivated (or gone, after a restore), the session is signed out at once and that is audited.
 * A role or active flag that disagrees with what the audit trail last recorded (the database file
 * edited with sqlite3 to raise them, users/trail-check.ts) signs the session out the same way, as
 * it refuses a fresh sign-in: the trail is read when the user's row is not the one last found to
 * agree, so a call costs one row read while nothing changes.
 * Returns 'ended' when it signed the session out.
 */
export function currentRights(core: Core, session: Session): 'none' | 'current' | 'ended' {
  const user = session.user;
  if (!user) return 'none';
  const row = userRowById(core, user.id);
  if (!row || row.active !== 1) return signOutFor(core, session, row, 'deactivated');
  const now = identity(row);
  if (agreed.get(session) !== now) {
    if (rightsChangedOutside(core.db, row.id)) return signOutFor(core, session, row, 'changed_outside');
    agreed.set(session, now);
  }
  session.user = { id: row.id, name: row.name, role: row.role, mustSetPin: row.must_set_pin === 1 };
  return 'current';
}
