import type { completionChannels } from '../../../shared/contract/completions';
import type { logChannels } from '../../../shared/contract/log';
import { signed } from '../auth/signed';
import type { HandlersFor } from '../dispatcher/handler';
import { job } from '../dispatcher/handler';
import { AppError } from '../errors';
import {
  amendCompletion,
  amendedDay,
  assertPlausiblePerformedAt,
  completionHistory,
  getCompletion,
  referenceStandardsFor,
  logCompletion,
  logForm,
  reviewCompletion,
} from './logging';


/** Records of work: signed, never changed, corrected by amendment. */
export const completionHandlers: HandlersFor<
  keyof typeof logChannels | keyof typeof completionChannels
> = {
  'log.form': (input, { core, session }) => {
    if (!session.user) throw new AppError('unauthenticated', 'Sign in first.');
    return logForm(core, { id: session.user.id, name: session.user.name, role: session.user.role }, input);
  },
  'log.referenceStandards': ({ asOf, amendsId }, { core }) => referenceStandardsFor(core, asOf, amendsId),
  'completions.log': job((input, ctx) => {
    // A date most likely mistyped is asked about before the PIN is even checked.
    assertPlausiblePerformedAt(ctx.core, input);
    return signed(ctx, input.secret, (core, signer) => logCompletion(core, signer, input));
  }),
  'completions.amend': job((input, ctx) => {
    assertPlausiblePerformedAt(ctx.core, input, amendedDay(ctx.core, input.amendsId));
    return signed(ctx, input.secret, (core, signer) => amendCompletion(core, signer, input));
  }),
  'completions.review': job((input, ctx) => signed(ctx, input.secret, (core, signer) => reviewCompletion(core, signer, input))),
  'completions.get': ({ id }, { core }) => getCompletion(core, id),
  'completions.history': (input, { core }) => completionHistory(core, input),
};
