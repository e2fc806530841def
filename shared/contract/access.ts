import type { Role } from '../domain/common';
import type { Access } from './channel';
import type { ChannelName } from './index';

/** ward staff < technician < supervisor < admin: each role may do everything the roles below it may. */
export const ROLE_RANK: Readonly<Record<Role, number>> = { ward_staff: 0, technician: 1, supervisor: 2, admin: 3 };

/** Whether `role` may call a channel of this access. Main checks it on every call; screens use it to show or hide controls. */
export function roleAllows(role: Role, access: Access): boolean {
  return access === 'public' || ROLE_RANK[role] >= ROLE_RANK[access];
}

/** A role as a sentence names a person holding it: "a technician", "an administrator", "ward staff". */
export const AS_A: Readonly<Record<Role, string>> = { ward_staff: 'ward staff', technician: 'a technician', supervisor: 'a supervisor', admin: 'an administrator' };

/** Why a channel of `access` is refused to a user signed in as `role`, in words (no role codes). */
export function roleRefusal(role: Role, access: Exclude<Access, 'public'>): string {
  return `Only ${AS_A[access]} or above may do this; you are signed in as ${AS_A[role]}.`;
}

/** What a user with a temporary PIN may still do: choose a PIN, or leave. */
export const ALLOWED_BEFORE_PIN_SET: ReadonlySet<ChannelName> = new Set<ChannelName>([
  'app.info',
  'auth.status',
  'auth.candidates',
  'auth.setOwnPin',
  'auth.signOut',
  'auth.lock',
  'auth.touch',
]);
