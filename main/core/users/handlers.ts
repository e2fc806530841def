import type { userChannels } from '../../../shared/contract/users';
import { hashSecret, markTemporary } from '../auth/passwords';
import type { HandlersFor } from '../dispatcher/handler';
import { steps } from '../dispatcher/handler';
import { getUser, insertUser, listUsers, resetPin, setUserActive, updateUser } from './service';

export const userHandlers: HandlersFor<keyof typeof userChannels> = {
  'users.list': (_input, { core }) => listUsers(core),
  'users.create': steps({
    prepare: async (input) => ({
      pinHash: await hashSecret(input.temporaryPin),
      // A password the admin chooses is temporary, like the PIN: it goes when the user chooses their own.
      passwordHash: input.password ? markTemporary(await hashSecret(input.password)) : null,
    }),
    run: (input, { core, actor }, hashes) =>
      insertUser(core, actor, { name: input.name, role: input.role, homeLocationId: input.homeLocationId, ...hashes, mustSetPin: true }),
  }),
  'users.update': (input, { core, actor }) => updateUser(core, actor, input.id, input),
  'users.setActive': (input, { core, actor }) => setUserActive(core, actor, input.id, input.active),
  'users.resetPin': steps({
    prepare: async (input, { core }) => {
      getUser(core, input.id);
      return hashSecret(input.temporaryPin);
    },
    run: (input, { core, actor }, pinHash) => resetPin(core, actor, input.id, pinHash),
  }),
};
