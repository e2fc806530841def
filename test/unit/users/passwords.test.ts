import { describe, expect, it } from 'vitest';
import { currentHashCost, HASH_COST, hashSecret, isTemporaryHash, markTemporary, needsRehash, useHashCostForTests, verifySecret } from '../../../main/core/auth/passwords';

describe('PIN and password hashing', () => {
  it('stores a salted scrypt hash at the OWASP cost (N = 2^17, r = 8, p = 1), never the secret', async () => {
    const testing = currentHashCost().N;
    useHashCostForTests(HASH_COST.N);
    try {
      const hash = await hashSecret('2468');
      expect(hash).toMatch(/^scrypt\$131072\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
      expect(hash).not.toContain('2468');
      expect(await verifySecret('2468', hash)).toBe(true);
      expect(needsRehash(hash)).toBe(false);
      // A hash from before (N = 2^15) still verifies, and is marked to be made again.
      const old = 'scrypt$32768$8$1$';
      expect(needsRehash(`${old}AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=`)).toBe(true);
    } finally {
      useHashCostForTests(testing);
    }
  }, 30_000);

  it('salts: the same PIN hashes differently each time', async () => {
    expect(await hashSecret('2468')).not.toBe(await hashSecret('2468'));
  });

  it('verifies the right secret and refuses others', async () => {
    const hash = await hashSecret('correct horse');
    expect(await verifySecret('correct horse', hash)).toBe(true);
    expect(await verifySecret('correct hors', hash)).toBe(false);
    expect(await verifySecret('Correct horse', hash)).toBe(false);
    expect(await verifySecret('', hash)).toBe(false);
  });

  it('treats a missing or malformed stored hash as no match', async () => {
    expect(await verifySecret('2468', null)).toBe(false);
    expect(await verifySecret('2468', '2468')).toBe(false);
    expect(await verifySecret('2468', 'scrypt$1$1$1$AAAA$AAAA')).toBe(false);
    expect(await verifySecret('2468', 'scrypt$99999999$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=')).toBe(false);
  });

  it('normalises Unicode so the same password typed two ways matches', async () => {
    const hash = await hashSecret('Café-2026!');
    expect(await verifySecret('Cafe\u0301-2026!', hash)).toBe(true);
  });
});

describe('a password someone else chose (temporary)', () => {
  it("is stored marked, still verifies, and is told apart from the user's own", async () => {
    const own = await hashSecret('correct horse');
    const temporary = markTemporary(await hashSecret('admin knows this'));
    expect(temporary).toMatch(/^temporary\$scrypt\$/);
    expect(markTemporary(temporary)).toBe(temporary);
    expect(isTemporaryHash(temporary)).toBe(true);
    expect(isTemporaryHash(own)).toBe(false);
    expect(isTemporaryHash(null)).toBe(false);
    expect(await verifySecret('admin knows this', temporary)).toBe(true);
    expect(await verifySecret('admin knows thi', temporary)).toBe(false);
    // The mark alone, or on something that is no hash, never matches.
    expect(await verifySecret('', 'temporary$')).toBe(false);
    expect(await verifySecret('2468', 'temporary$2468')).toBe(false);
    // A marked hash made at a lower cost than today's is made again, like any other.
    expect(needsRehash(markTemporary('scrypt$2$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='))).toBe(true);
  });
});
