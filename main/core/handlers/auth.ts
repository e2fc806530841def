import type { authChannels } from '../../../shared/contract/auth';
import { inTransaction } from '../context';
import { authStatus, lockSession, setOwnPin, setupFirstAdmin, signIn, signOut } from '../services/auth';
import { hashSecret } from '../services/passwords';
import { getSettings, updateSettings } from '../services/settings';
import { getUser, insertUser, listUsers, resetPin, setUserActive, signInCandidates, updateUser } from '../services/users';
import type { HandlersFor } from './types';

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
  'users.list': (_input, { core }) => listUsers(core),
  'users.create': async (input, { core, actor }) => {
    const pinHash = await hashSecret(input.temporaryPin);
    const passwordHash = input.password ? await hashSecret(input.password) : null;
    return inTransaction(core, () =>
      insertUser(core, actor, { name: input.name, role: input.role, homeLocationId: input.homeLocationId, pinHash, passwordHash, mustSetPin: true }),
    );
  },
  'users.update': (input, { core, actor }) => inTransaction(core, () => updateUser(core, actor, input.id, input)),
  'users.setActive': (input, { core, actor }) => inTransaction(core, () => setUserActive(core, actor, input.id, input.active)),
  'users.resetPin': async (input, { core, actor }) => {
    getUser(core, input.id);
    const pinHash = await hashSecret(input.temporaryPin);
    return inTransaction(core, () => resetPin(core, actor, input.id, pinHash));
  },
  'settings.get': (_input, { core }) => getSettings(core),
  'settings.update': (input, { core, actor }) => inTransaction(core, () => updateSettings(core, actor, input)),
};
