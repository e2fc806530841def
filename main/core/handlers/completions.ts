import { recordCompletion } from '../services/completions';
import type { HandlersFor } from './types';

/** The minimal completion write; the logging issue replaces it with the full signed form. */
export const completionHandlers: HandlersFor<'completions.record'> = {
  'completions.record': (input, { core, actor }) =>
    recordCompletion(core, actor, {
      planId: input.planId,
      performedAt: input.performedAt,
      outcome: input.outcome,
      notes: input.notes,
      performedByName: input.performedByName,
      source: 'app',
    }),
};
