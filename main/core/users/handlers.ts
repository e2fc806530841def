import type { userChannels } from '../../../shared/contract/users';
import { hashSecret } from '../auth/passwords';
import { inTransaction } from '../context';
import type { HandlersFor } from '../dispatcher/handler';
import { getUser, insertUser, listUsers, resetPin, setUserActive, updateUser } from './service';

export const userHandlers: HandlersFor<keyof typeof userChannels> = {
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
};
