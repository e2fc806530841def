import { randomBytes, scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { currentHashCost, HASH_COST, useHashCostForTests } from '../../../main/core/auth/passwords';
import { createBackend } from '../../../main/core/backend';
import { newSession } from '../../../main/core/session';
import { testCore } from '../../helpers/core';

/** A PIN hash as the first Wardkeep made it: scrypt at N = 2^15. */
function oldHash(secret: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(secret.normalize('NFKC'), salt, 32, { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
  return `scrypt$32768$8$1$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** Issue 13, item 7: scrypt at the OWASP minimum, N = 2^17, and old hashes made again at the next sign-in. */
describe('the cost of a PIN hash (item 7)', () => {
  it('re-hashes a PIN made at N = 2^15 at N = 2^17 when its owner next signs in', async () => {
    const testing = currentHashCost().N;
    useHashCostForTests(HASH_COST.N);
    try {
      const core = testCore();
      const backend = createBackend(core);
      const admin = newSession();
      expect(await backend.invoke(admin, 'auth.setupFirstAdmin', { name: 'Ada Admin', password: 'correct horse battery' })).toMatchObject({ ok: true });
      core.db.prepare("UPDATE users SET pin_hash = ? WHERE name = 'Ada Admin'").run(oldHash('2468'));
      expect(await backend.invoke(newSession(), 'auth.signIn', { name: 'Ada Admin', secret: '2468' })).toMatchObject({ ok: true });
      const stored = core.db.prepare("SELECT pin_hash FROM users WHERE name = 'Ada Admin'").pluck().get() as string;
      expect(stored).toMatch(/^scrypt\$131072\$8\$1\$/);
      expect(await backend.invoke(newSession(), 'auth.signIn', { name: 'Ada Admin', secret: '2468' })).toMatchObject({ ok: true });
      expect(core.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'sign_in' AND json_extract(new_value, '$.rehashed') = 1").pluck().get()).toBe(1);
    } finally {
      useHashCostForTests(testing);
    }
  }, 60_000);
});
