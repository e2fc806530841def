import { z } from 'zod';
import { id, requiredText, ROLES } from './common';
import type { Role } from './common';

/**
 * A PIN anyone would try first: one digit repeated (1111, 000000) or a run up or down (1234,
 * 4321, 34567). Refused wherever a PIN is set (issue 13, item 7): five tries would find them.
 */
export function isGuessablePin(digits: string): boolean {
  if (/^(\d)\1+$/.test(digits)) return true;
  const steps = [...digits].slice(1).map((d, i) => Number(d) - Number(digits[i]));
  return steps.every((s) => s === 1) || steps.every((s) => s === -1);
}

export const pin = z
  .string({ message: 'is required' })
  .regex(/^\d{4,8}$/, { message: 'must be 4 to 8 digits' })
  .refine((p) => !isGuessablePin(p), { message: 'must not be one digit repeated or a run such as 1234 or 4321: those are tried first' });

/**
 * A password goes in the same box as a PIN at sign-in, so a password of digits only is held to the
 * PIN's rule: not one digit repeated nor a run (11111111, 12345678, 87654321).
 */
export const password = z
  .string({ message: 'is required' })
  .min(8, { message: 'must be at least 8 characters' })
  .max(200, { message: 'must be at most 200 characters' })
  .refine((p) => !(/^\d+$/.test(p) && isGuessablePin(p)), {
    message: 'must not be one digit repeated or a run of digits such as 12345678: those are tried first',
  });

/** What a person types at sign-in: a PIN or a password. */
export const secret = z.string({ message: 'is required' }).min(1, { message: 'is required' }).max(200, { message: 'is too long' });

export const ROLE_LABELS: Record<Role, string> = { ward_staff: 'Ward staff', technician: 'Technician', supervisor: 'Supervisor', admin: 'Administrator' };

/** A role after "is" or "make someone", with its article: "Make Tom Tech ward staff?", "… a supervisor?". */
export const ROLE_AS_NOUN: Record<Role, string> = { ward_staff: 'ward staff', technician: 'a technician', supervisor: 'a supervisor', admin: 'an administrator' };

export const UserFields = z.object({
  name: requiredText(120),
  role: z.enum(ROLES, { message: 'must be ward staff, technician, supervisor or admin' }),
  homeLocationId: id.nullable().optional().transform((v) => v ?? null),
});

export interface User {
  id: string;
  name: string;
  role: Role;
  homeLocationId: string | null;
  homeLocationPath: string | null;
  active: boolean;
  hasPin: boolean;
  hasPassword: boolean;
  mustSetPin: boolean;
  lockedUntil: string | null;
}

export interface SignedInUser {
  id: string;
  name: string;
  role: Role;
  /** The PIN was set or reset by an admin: the user chooses their own before going on. */
  mustSetPin: boolean;
}

export interface SignInCandidate {
  id: string;
  name: string;
  role: Role;
  /**
   * Set when another name on the list prints like this one (two PCs of a hub each added one while
   * apart): the home ward's name, or "any ward", so each person can pick their own.
   */
  alike: string | null;
}

export interface AuthStatus {
  /** No user exists yet: the first-run screen creates the first admin. */
  needsSetup: boolean;
  user: SignedInUser | null;
  /** Someone was signed in and the screen locked; their unsaved work is kept for them. */
  lockedUser: { id: string; name: string } | null;
  idleTimeoutSeconds: number;
}
