import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { asciiKeysPattern, tagSkeleton } from '../../../main/core/equipment/look-alike-tags';
import { assetTagKey } from '../../../shared/domain/equipment';

/**
 * A tag beyond ASCII is compared with the inventory's ASCII tags through the key's index, by a GLOB
 * of the keys whose skeleton it can be. The GLOB must let through every such key (each is then
 * compared exactly): checked here on SQLite's own GLOB for keys made of the characters that have
 * look-alikes (0 and O, 1 I and |, ` and ', ") and some that do not.
 */
describe('the GLOB that finds the ASCII tags a look-alike can print as', () => {
  const db = new Database(':memory:');
  const glob = db.prepare<[string, string], { m: number }>('SELECT ? GLOB ? AS m');
  const matches = (key: string, pattern: string) => glob.get(key, pattern)!.m === 1;

  it('matches every ASCII key whose skeleton it was made from', () => {
    const char = fc.constantFrom(...'0O1Il|`\'"AB -*?[]^'.split(''));
    fc.assert(
      fc.property(fc.array(char, { minLength: 1, maxLength: 12 }), (chars) => {
        const key = assetTagKey(chars.join(''));
        if (key === '') return;
        const pattern = asciiKeysPattern(tagSkeleton(key));
        expect(pattern, key).not.toBeNull();
        expect(matches(key, pattern!), `${key} against ${pattern}`).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps a literal prefix where the skeleton has one, so the key index narrows the search', () => {
    expect(asciiKeysPattern(tagSkeleton('\u0406\u0420-0001'))).toBe('[1I|]P-[0O][0O][0O][1I|]');
    expect(asciiKeysPattern(tagSkeleton('GH-\u0406\u0420-7'))).toMatch(/^GH-/);
    expect(asciiKeysPattern(tagSkeleton('مضخة-٠٠٧'))).toBeNull(); // no ASCII tag prints like it
  });
});
