import { appendAudit } from '../audit';
import type { Core } from '../context';
import { actorOfUser } from '../context';
import type { Session } from '../session';
import { userRowById } from '../users/service';
import { inTransaction } from './transaction';

/** Signs the session out: no one is signed in, and no one's locked work is kept for them. */
export function endSession(session: Session): void {
  session.user = null;
  session.lockedUserId = null;
}

/**
 * Issue 13 item 9: rights are never cached. Before every call the signed-in user's role, name and
 * active flag are read again from the database: demoted, the next call has the new role's rights;
 * deactivated (or gone, after a restore), the session is signed out at once and that is audited.
 * Returns 'ended' when it signed the session out.
 */
export function currentRights(core: Core, session: Session): 'none' | 'current' | 'ended' {
  const user = session.user;
  if (!user) return 'none';
  const row = userRowById(core, user.id);
  if (!row || row.active !== 1) {
    if (row) {
      inTransaction(
        core,
        (writable) =>
          appendAudit(writable, actorOfUser(row), { action: 'sign_out', entity: 'user', entityId: row.id, new: { reason: 'deactivated' } }),
        {
          origin: 'auth.deactivated',
          actor: actorOfUser(row),
        },
      );
    }
    endSession(session);
    return 'ended';
  }
  session.user = { id: row.id, name: row.name, role: row.role, mustSetPin: row.must_set_pin === 1 };
  return 'current';
}
