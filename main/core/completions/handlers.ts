import type { completionChannels } from '../../../shared/contract/completions';
import type { logChannels } from '../../../shared/contract/log';
import { finishAttempt, identityRow, oneAtATime, proveSecret } from '../auth/service';
import type { HandlersFor } from '../dispatcher/handler';
import type { JobContext } from '../dispatcher/handler';
import { job } from '../dispatcher/handler';
import type { UserRow } from '../sql/rows';
import type { WriteCore } from '../context';
import { AppError } from '../errors';
import {
  amendCompletion,
  amendedDay,
  assertPlausiblePerformedAt,
  completionHistory,
  getCompletion,
  logCompletion,
  logForm,
  reviewCompletion,
} from './logging';

/**
 * Signs with the signed-in user's PIN or password: the attempt counted and committed, the secret
 * hashed (scrypt is slow on purpose), then the check's outcome (a counted wrong PIN too) and what
 * it signs written in one transaction; one attempt at a time per user (auth/service.ts).
 */
function signed<T>(ctx: JobContext, secret: string, write: (core: WriteCore, signer: UserRow) => T): Promise<T> {
  const row = identityRow(ctx.core, ctx.session);
  return oneAtATime(ctx.core, row.id, async () => {
    const check = await proveSecret(ctx, row, secret, 'signature');
    return ctx.write(({ core }) => write(core, finishAttempt(core, check, 'signature')));
  });
}

/** Records of work: signed, never changed, corrected by amendment. */
export const completionHandlers: HandlersFor<
  keyof typeof logChannels | keyof typeof completionChannels
> = {
  'log.form': ({ planId }, { core, session }) => {
    if (!session.user) throw new AppError('unauthenticated', 'Sign in first.');
    return logForm(core, { id: session.user.id, name: session.user.name, role: session.user.role }, planId);
  },
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
