import { z } from 'zod';
import { id } from '../domain/common';
import type { CompletionView } from '../domain/completion';
import { AmendFields, LogFields } from '../domain/completion';
import { secret } from '../domain/user';
import { channel } from './channel';

/** Records of work: signed, never changed, corrected by amendment (docs/records.md). */
export const completionChannels = {
  /** Saves a record, signed by the signed-in user re-entering their PIN or password. */
  'completions.log': channel<CompletionView>()({ input: LogFields.strict(), access: 'technician', writes: true }),
  /** A correction: a new record pointing at the one it corrects, with a reason; both stay. */
  'completions.amend': channel<CompletionView>()({ input: AmendFields.strict(), access: 'technician', writes: true }),
  /** A second signature, "reviewed by" (supervisors). */
  'completions.review': channel<CompletionView>()({
    input: z.object({ completionId: id, secret }).strict(),
    access: 'supervisor',
    writes: true,
  }),
  'completions.get': channel<CompletionView>()({ input: z.object({ id }).strict(), access: 'ward_staff', writes: false }),
  /** A device's or stock location's records, newest first, amendments included. */
  'completions.history': channel<CompletionView[]>()({
    input: z.union([z.object({ equipmentId: id }).strict(), z.object({ stockLocationId: id }).strict()]),
    access: 'ward_staff',
    writes: false,
  }),
};
