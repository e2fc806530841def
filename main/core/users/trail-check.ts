import type { Database } from 'better-sqlite3';
import { sortKey } from '../../../shared/domain/common';
import { chainLineage } from '../anchors/chain';
import { query, scalar } from '../sql/query';

interface UserAgainstTrail {
  name: string;
  role: string;
  active: number;
  trail_role: string | null;
  trail_active: number | null;
}

/**
 * Each user's role and whether they may sign in, against what the audit trail last recorded of them
 * (users.create / update / activate / deactivate write it), newest entry first.
 */
const AGAINST_TRAIL = (where: string) => `SELECT u.name, u.role, u.active,
     (SELECT json_extract(a.new_value, '$.role') FROM audit_log a
       WHERE a.entity = 'user' AND a.entity_id = u.id AND json_type(a.new_value, '$.role') = 'text' ORDER BY a.seq DESC LIMIT 1) AS trail_role,
     (SELECT json_extract(a.new_value, '$.active') FROM audit_log a
       WHERE a.entity = 'user' AND a.entity_id = u.id AND json_type(a.new_value, '$.active') = 'integer' ORDER BY a.seq DESC LIMIT 1) AS trail_active
   FROM users u ${where}`;
const againstTrail = query<UserAgainstTrail>(AGAINST_TRAIL(''));
const oneAgainstTrail = query<UserAgainstTrail, { id: string }>(AGAINST_TRAIL('WHERE u.id = @id'));
/** Users sharing one PIN hash: a salted hash is made once per PIN chosen, so a shared one was copied. */
const sharedHashes = query<{ name: string; pin_hash: string }>(
  `SELECT name, pin_hash FROM users
    WHERE pin_hash IN (SELECT pin_hash FROM users WHERE pin_hash IS NOT NULL GROUP BY pin_hash HAVING count(*) > 1)`,
);
const userChains = query<{ chain_id: string }>("SELECT DISTINCT chain_id FROM audit_log WHERE entity = 'user'");
const hasChainColumn = scalar<number>("SELECT count(*) FROM pragma_table_info('audit_log') WHERE name = 'chain_id'");

const roleWords: Record<string, string> = { ward_staff: 'ward staff', technician: 'technician', supervisor: 'supervisor', admin: 'administrator' };
const roleOf = (r: string) => roleWords[r] ?? r;

/**
 * A user's rights edited in the database file (the sqlite3 command line: a technician who makes
 * himself an administrator, a deactivated user put back, another user's PIN hash copied onto an
 * account to sign as them): named by `wardkeep verify` and the deep check. Roles and active flags are
 * compared with the trail only where every entry about users is this database's own history: on a
 * PC of a hub, users are merged from other PCs' entries too (the hub's rule decides a clash), and a
 * write outside Wardkeep there is found by the change capture (sync/capture.ts).
 */
/** Whether every audit entry about users is this database's own history (never a hub's merge). */
function ownUserHistory(db: Database): boolean {
  if ((hasChainColumn.get({ db }) ?? 0) === 0) return true;
  const own = new Set(chainLineage(db));
  return !userChains.all({ db }).some((c) => !own.has(c.chain_id));
}

/**
 * At sign-in: whether this user's role or active flag is not what the trail last recorded (the file
 * edited to raise their rights), in a sentence; null when they agree or cannot be compared. An
 * administrator who sets the user's role again on the Users screen records it, and they sign in.
 */
export function rightsChangedOutside(db: Database, userId: string): string | null {
  const u = oneAgainstTrail.get({ db }, { id: userId });
  if (!u || !ownUserHistory(db)) return null;
  if ((u.trail_role !== null && u.trail_role !== u.role) || (u.trail_active !== null && u.trail_active !== u.active)) {
    return `${u.name}'s account was changed outside Wardkeep (the database file was edited): it cannot sign in until an administrator sets its role again on the Users screen. Ask IT to run wardkeep verify.`;
  }
  return null;
}

/**
 * Names in the order the Users screen lists them (accents and case aside, sortKey), sorted here, not
 * in SQL: this check also runs on backup files opened without Wardkeep's `name_sort()` function.
 */
function byName<T extends { name: string }>(rows: T[]): T[] {
  return rows.sort((a, b) => {
    const ka = sortKey(a.name);
    const kb = sortKey(b.name);
    return ka < kb ? -1 : ka > kb ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
}

export function userTrailProblems(db: Database): string[] {
  const problems: string[] = [];
  const sharing = new Map<string, string[]>();
  for (const r of byName(sharedHashes.all({ db }))) sharing.set(r.pin_hash, [...(sharing.get(r.pin_hash) ?? []), r.name]);
  for (const names of sharing.values()) {
    problems.push(`Users ${names.join(', ')} have the same PIN hash: one was copied onto another account outside Wardkeep, so one can sign as the other.`);
  }
  if (!ownUserHistory(db)) return problems;
  for (const u of byName(againstTrail.all({ db }))) {
    if (u.trail_role !== null && u.trail_role !== u.role) {
      problems.push(`User "${u.name}" is ${roleOf(u.role)} in the database, but the audit trail last made them ${roleOf(u.trail_role)}: the role was changed outside Wardkeep.`);
    }
    if (u.trail_active !== null && u.trail_active !== u.active) {
      problems.push(
        `User "${u.name}" ${u.active ? 'may sign in' : 'may not sign in'} in the database, but the audit trail last ${u.trail_active ? 'activated' : 'deactivated'} them: it was changed outside Wardkeep.`,
      );
    }
  }
  return problems;
}
