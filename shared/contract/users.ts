import { z } from 'zod';
import { id } from '../domain/common';
import type { User } from '../domain/user';
import { password, pin, UserFields } from '../domain/user';
import { channel } from './channel';

const none = z.object({}).strict();

/** The administrators' user list: accounts are deactivated, never deleted. */
export const userChannels = {
  'users.list': channel<User[]>()({ input: none, access: 'admin', writes: false }),
  'users.create': channel<User>()({
    input: UserFields.extend({ temporaryPin: pin, password: password.optional() }).strict(),
    access: 'admin',
    writes: true,
  }),
  /**
   * `expected`: the name, role and home ward the edit dialog opened with. When the user no longer
   * has them (another administrator changed them meanwhile) the save is refused, not made over
   * that change (users/service.ts, updateUser).
   */
  'users.update': channel<User>()({ input: UserFields.extend({ id, expected: UserFields.strict().optional() }).strict(), access: 'admin', writes: true }),
  'users.setActive': channel<User>()({ input: z.object({ id, active: z.boolean() }).strict(), access: 'admin', writes: true }),
  'users.resetPin': channel<User>()({ input: z.object({ id, temporaryPin: pin }).strict(), access: 'admin', writes: true }),
};
