import type { authChannels } from '../../../shared/contract/auth';
import type { HandlersFor } from '../dispatcher/handler';
import { steps } from '../dispatcher/handler';
import { signInCandidates } from '../users/service';
import {
  authStatus,
  checkSignIn,
  hashFirstAdmin,
  lockSession,
  prepareOwnPin,
  recordSecretCheck,
  setOwnPin,
  setupFirstAdmin,
  signedIn,
  signOut,
  startSession,
} from './service';
import { userRowById } from '../users/service';

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
  'auth.signIn': steps({
    prepare: (input, { core }) => checkSignIn(core, 'userId' in input ? { userId: input.userId } : { name: input.name }, input.secret),
    run: (_input, { core, session, afterCommit }, check) => {
      recordSecretCheck(core, check, 'sign_in');
      const row = userRowById(core, check.row.id)!;
      afterCommit(() => startSession(session, row, core.clock.now().getTime()));
      return signedIn(row);
    },
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
  'auth.setOwnPin': steps({
    prepare: (input, { core, session }) => prepareOwnPin(core, session, input.currentSecret, input.newPin),
    run: (_input, { core, session, afterCommit }, prepared) => {
      const row = setOwnPin(core, prepared);
      afterCommit(() => startSession(session, row, core.clock.now().getTime()));
      return signedIn(row);
    },
  }),
};
