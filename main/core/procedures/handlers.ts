import type { procedureChannels } from '../../../shared/contract/procedures';
import { categoryProcedure, planProcedure, saveProcedure } from './service';
import type { HandlersFor } from '../dispatcher/handler';

export const procedureHandlers: HandlersFor<keyof typeof procedureChannels> = {
  'procedures.forCategory': ({ categoryId, task }, { core }) => categoryProcedure(core, categoryId, task),
  'procedures.forPlan': ({ planId }, { core }) => planProcedure(core, planId),
  'procedures.save': (input, { core, actor }) => saveProcedure(core, actor, input),
};
