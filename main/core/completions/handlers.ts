import type { completionChannels } from '../../../shared/contract/completions';
import type { logChannels } from '../../../shared/contract/log';
import { checkIdentity, confirmIdentity } from '../auth/service';
import type { HandlersFor } from '../dispatcher/handler';
import { steps } from '../dispatcher/handler';
import { AppError } from '../errors';
import {
  amendCompletion,
  completionHistory,
  getCompletion,
  logCompletion,
  logForm,
  reviewCompletion,
} from './logging';

/**
 * Records of work. Signing (log, amend, review) is two steps: the PIN or password is checked
 * before the transaction (scrypt is slow on purpose), then the check's record (a counted wrong PIN
 * too) and the record itself are written in the dispatcher's one transaction.
 */
export const completionHandlers: HandlersFor<
  keyof typeof logChannels | keyof typeof completionChannels
> = {
  'log.form': ({ planId }, { core, session }) => {
    if (!session.user) throw new AppError('unauthenticated', 'Sign in first.');
    return logForm(core, { id: session.user.id, name: session.user.name, role: session.user.role }, planId);
  },
  'completions.log': steps({
    prepare: (input, { core, session }) => checkIdentity(core, session, input.secret),
    run: (input, { core }, check) => logCompletion(core, confirmIdentity(core, check, 'signature'), input),
  }),
  'completions.amend': steps({
    prepare: (input, { core, session }) => checkIdentity(core, session, input.secret),
    run: (input, { core }, check) => amendCompletion(core, confirmIdentity(core, check, 'signature'), input),
  }),
  'completions.review': steps({
    prepare: (input, { core, session }) => checkIdentity(core, session, input.secret),
    run: (input, { core }, check) => reviewCompletion(core, confirmIdentity(core, check, 'signature'), input),
  }),
  'completions.get': ({ id }, { core }) => getCompletion(core, id),
  'completions.history': (input, { core }) => completionHistory(core, input),
};
