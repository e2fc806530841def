import type { loggingChannels } from '../../../shared/contract/logging';
import { localDate } from '../clock';
import { AppError } from '../errors';
import { amendCompletion, completionHistory, getCompletion, listReferenceStandards, logCompletion, logForm, reviewCompletion } from '../services/logging';
import type { HandlersFor } from './types';

export const loggingHandlers: HandlersFor<keyof typeof loggingChannels> = {
  'log.form': ({ planId }, { core, session }) => {
    if (!session.user) throw new AppError('unauthenticated', 'Sign in first.');
    return logForm(core, { id: session.user.id, name: session.user.name, role: session.user.role }, planId);
  },
  'completions.log': (input, { core, session }) => logCompletion(core, session, input),
  'completions.amend': (input, { core, session }) => amendCompletion(core, session, input),
  'completions.review': (input, { core, session }) => reviewCompletion(core, session, input),
  'completions.get': ({ id }, { core }) => getCompletion(core, id),
  'completions.history': (input, { core }) => completionHistory(core, input),
  'referenceStandards.list': ({ asOf }, { core }) => listReferenceStandards(core, asOf ?? localDate(core.clock.now())),
};
