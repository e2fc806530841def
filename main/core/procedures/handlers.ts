import type { procedureChannels } from '../../../shared/contract/procedures';
import { categoryProcedure, saveProcedure } from './service';
import type { HandlersFor } from '../dispatcher/handler';

export const procedureHandlers: HandlersFor<keyof typeof procedureChannels> = {
  'procedures.forCategory': ({ categoryId, task }, { core }) => categoryProcedure(core, categoryId, task),
  'procedures.save': (input, { core, actor }) => saveProcedure(core, actor, input),
};
