import type { authChannels } from '../../../shared/contract/auth';
import type { HandlersFor } from '../dispatcher/handler';
import { authStatus, lockSession, setOwnPin, setupFirstAdmin, signIn, signOut } from './service';
import { signInCandidates } from '../users/service';

export const authHandlers: HandlersFor<keyof typeof authChannels> = {
  'auth.status': (_input, { core, session }) => authStatus(core, session),
  'auth.setupFirstAdmin': (input, { core, session }) => setupFirstAdmin(core, session, input),
  'auth.candidates': (_input, { core }) => signInCandidates(core),
  'auth.signIn': (input, { core, session }) => signIn(core, session, 'userId' in input ? { userId: input.userId } : { name: input.name }, input.secret),
  'auth.signOut': (_input, { core, session }) => {
    signOut(core, session);
    return null;
  },
  'auth.lock': (_input, { core, session }) => {
    lockSession(core, session, 'by user');
    return null;
  },
  'auth.touch': () => null,
  'auth.setOwnPin': (input, { core, session }) => setOwnPin(core, session, input.currentSecret, input.newPin),
};
