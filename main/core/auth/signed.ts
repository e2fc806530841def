import type { WriteCore } from '../context';
import type { JobContext } from '../dispatcher/handler';
import type { UserRow } from '../sql/rows';
import { finishSignature, identityRow, oneAtATime, proveSecret, signatureGuard } from './service';

/**
 * Signs with the signed-in user's PIN or password: the attempt counted and committed, the secret
 * hashed (scrypt is slow on purpose), then the check's outcome (a counted wrong PIN too) and what
 * it signs written in one transaction; one attempt at a time per user (auth/service.ts). Records
 * and every step of a work order are signed this way. In that transaction the signer's row is read
 * again: deactivated, given a temporary PIN, or no longer of a role with the channel's access
 * (`ctx.access`) while the secret waited its turn or was hashed, they sign nothing (signatureGuard,
 * finishSignature). The secret is checked against the row as the attempt is counted, so a PIN the
 * signer replaced meanwhile signs nothing.
 */
export function signed<T>(ctx: JobContext, secret: string, write: (core: WriteCore, signer: UserRow) => T): Promise<T> {
  const row = identityRow(ctx.core, ctx.session);
  return oneAtATime(ctx.core, row.id, async () => {
    const check = await proveSecret(ctx, row, secret, 'signature', signatureGuard(row, ctx.access));
    return ctx.write(({ core }) => write(core, finishSignature(core, check, ctx.access)));
  });
}
