import type { authChannels } from '../../../shared/contract/auth';
import type { HandlersFor } from '../dispatcher/handler';
import { job, steps } from '../dispatcher/handler';
import { RecordedRefusal } from '../errors';
import { hashSecret } from './passwords';
import { signInCandidates } from '../users/service';
import {
  authStatus,
  finishAttempt,
  hashFirstAdmin,
  identityRow,
  lockSession,
  oneAtATime,
  pinChangeGuard,
  proveSecret,
  reusedSecret,
  setOwnPin,
  setupFirstAdmin,
  signedIn,
  signInUser,
  signOut,
  startSession,
} from './service';

/**
 * Sign-in and changing one's own PIN are jobs: the attempt is counted and committed, the secret
 * hashed, and the outcome committed, one attempt at a time per user (auth/service.ts).
 */
export const authHandlers: HandlersFor<keyof typeof authChannels> = {
  'auth.status': (_input, { core, session }) => authStatus(core, session),
  'auth.setupFirstAdmin': steps({
    prepare: (input, { core }) => hashFirstAdmin(core, input),
    run: (input, { core, session, afterCommit }, hashes) => {
      const row = setupFirstAdmin(core, input.name, hashes);
      afterCommit(() => startSession(session, row, core.clock.now().getTime()));
      return signedIn(row);
    },
  }),
  'auth.candidates': (_input, { core }) => signInCandidates(core),
  'auth.signIn': job(async (input, ctx) => {
    const row = signInUser(ctx.core, 'userId' in input ? { userId: input.userId } : { name: input.name });
    return oneAtATime(ctx.core, row.id, async () => {
      const check = await proveSecret(ctx, row, input.secret, 'sign_in');
      return ctx.write(({ core, session, afterCommit }) => {
        const user = finishAttempt(core, check, 'sign_in');
        afterCommit(() => startSession(session, user, core.clock.now().getTime()));
        return signedIn(user);
      });
    });
  }),
  'auth.signOut': (_input, { core, session }) => {
    signOut(core, session);
    return null;
  },
  'auth.lock': (_input, { core, session }) => {
    lockSession(core, session, 'by user');
    return null;
  },
  'auth.touch': () => null,
  /**
   * The current PIN or password proves who it is, under the same count and lockout as signing in,
   * audited. It is checked against the user's row as the attempt is counted, and the new PIN is
   * saved only if that row is unchanged when it is written: a reset an administrator made
   * meanwhile, or a deactivation, stands (auth/service.ts, finishAttempt). A temporary PIN past its
   * 72 hours changes nothing, and the new PIN is never the secret the user was given (reusedSecret).
   */
  'auth.setOwnPin': job(async (input, ctx) => {
    const found = identityRow(ctx.core, ctx.session);
    return oneAtATime(ctx.core, found.id, async () => {
      const check = await proveSecret(ctx, found, input.currentSecret, 'pin_change', pinChangeGuard(found, 'currentSecret'));
      const row = check.row;
      const reused = check.matched !== null ? await reusedSecret(row, input.newPin) : null;
      const pinHash = check.matched !== null && !reused ? await hashSecret(input.newPin) : null;
      return ctx.write(({ core, session, afterCommit }) => {
        finishAttempt(core, check, 'pin_change', 'currentSecret');
        if (!pinHash)
          throw new RecordedRefusal('invalid_input', reused ?? 'Choose a PIN different from the current one.', { field: 'newPin' });
        const user = setOwnPin(core, { row, pinHash });
        afterCommit(() => startSession(session, user, core.clock.now().getTime()));
        return signedIn(user);
      });
    });
  }),
};
