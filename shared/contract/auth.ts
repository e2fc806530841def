import { z } from 'zod';
import { id, requiredText } from '../domain/common';
import type { AuthStatus, SignedInUser, SignInCandidate } from '../domain/user';
import { password, pin, secret } from '../domain/user';
import { channel } from './channel';

const none = z.object({}).strict();

/** Signing in and out, the screen lock, and a user's own PIN. */
export const authChannels = {
  'auth.status': channel<AuthStatus>()({ input: none, access: 'public', writes: false }),
  'auth.setupFirstAdmin': channel<SignedInUser>()({
    input: z.object({ name: requiredText(120), password, pin: pin.optional() }).strict(),
    access: 'public',
    writes: true,
  }),
  /** Names to pick from on the shared PC: active users of this PC's ward, or everyone. */
  'auth.candidates': channel<SignInCandidate[]>()({ input: none, access: 'public', writes: false }),
  'auth.signIn': channel<SignedInUser>()({
    input: z.union([z.object({ userId: id, secret }).strict(), z.object({ name: requiredText(120), secret }).strict()]),
    access: 'public',
    writes: true,
  }),
  'auth.signOut': channel<null>()({ input: none, access: 'public', writes: true }),
  /** Lock the screen: the user's work stays, hidden, until they or someone else signs in. */
  'auth.lock': channel<null>()({ input: none, access: 'public', writes: true }),
  /** The renderer reports the person is active (at most every few seconds) so main's idle lock does not fire. */
  'auth.touch': channel<null>()({ input: none, access: 'ward_staff', writes: false }),
  'auth.setOwnPin': channel<SignedInUser>()({
    input: z.object({ currentSecret: secret, newPin: pin }).strict(),
    access: 'ward_staff',
    writes: true,
  }),
};
