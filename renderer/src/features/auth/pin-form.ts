import { z } from 'zod';
import { pin, secret } from '../../../../shared/domain/user';

/**
 * Choosing one's own PIN, after an administrator set it or at any time: the current secret (named
 * as the form labels it, `currentLabel`), and the new PIN twice, held to the rule of every PIN (not
 * 1234, not 1111). The sentences name the fields as labelled.
 */
export function pinChangeSchema(currentLabel: string) {
  return z
    .object({
      currentSecret: z.string().refine((s) => s !== '', { message: `${currentLabel} is required.`, params: { sentence: true } }).pipe(secret),
      newPin: pin,
      again: z.string(),
    })
    .refine((v) => v.newPin === v.again, { message: 'New PIN again is not the same as the new PIN.', path: ['again'], params: { sentence: true } });
}

export const emptyPinChange = { currentSecret: '', newPin: '', again: '' };
