import { z } from 'zod';
import { isoDate } from '../domain/common';
import type { ReferenceStandard } from '../domain/completion';
import { channel } from './channel';

export const referenceStandardChannels = {
  'referenceStandards.list': channel<ReferenceStandard[]>()({
    input: z.object({ asOf: isoDate.optional() }).strict(),
    access: 'technician',
    writes: false,
  }),
};
