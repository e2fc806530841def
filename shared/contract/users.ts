import { z } from 'zod';
import { id } from '../domain/common';
import type { User } from '../domain/user';
import { password, pin, UserFields } from '../domain/user';
import { channel } from './channel';

const none = z.object({}).strict();

/**
 * How long a temporary PIN (and a password an administrator chose, which goes with it) works after
 * it was given: after that it signs in no one, and an administrator resets the PIN for a new one
 * (docs/users.md).
 */
export const TEMPORARY_PIN_HOURS = 72;

/** A user as the administrators' Users screen sees them: with whether their temporary PIN has run its time. */
export interface UserListing extends User {
  /** Given a temporary PIN more than TEMPORARY_PIN_HOURS ago and not yet signed in to choose their own. */
  temporaryPinExpired: boolean;
  /**
   * Set when the name prints like another user's (two PCs of a hub each let one be made while
   * apart, or it was kept from before the rule): which, and what tells this one apart.
   */
  printsLike: string | null;
}

/** The administrators' user list: accounts are deactivated, never deleted. */
export const userChannels = {
  'users.list': channel<UserListing[]>()({ input: none, access: 'admin', writes: false }),
  'users.create': channel<UserListing>()({
    input: UserFields.extend({ temporaryPin: pin, password: password.optional() }).strict(),
    access: 'admin',
    writes: true,
  }),
  /**
   * `expected`: the name, role and home ward the edit dialog opened with. When the user no longer
   * has them (another administrator changed them meanwhile) the save is refused, not made over
   * that change (users/service.ts, updateUser).
   */
  'users.update': channel<UserListing>()({ input: UserFields.extend({ id, expected: UserFields.strict().optional() }).strict(), access: 'admin', writes: true }),
  'users.setActive': channel<UserListing>()({ input: z.object({ id, active: z.boolean() }).strict(), access: 'admin', writes: true }),
  'users.resetPin': channel<UserListing>()({ input: z.object({ id, temporaryPin: pin }).strict(), access: 'admin', writes: true }),
};
