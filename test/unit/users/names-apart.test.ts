import { describe, expect, it } from 'vitest';
import { howItDiffers, lookAlikeSets } from '../../../main/core/users/names';

/** Two accounts whose names print alike look the same on every list: what tells a supervisor which is which. */
describe('names that print alike, told apart', () => {
  it('names the character each holds that the other does not, with its code point and script', () => {
    const cyrillic = 'J\u043Ehn Smith';
    expect(howItDiffers(cyrillic, ['John Smith'])).toBe('holds “о” (U+043E, Cyrillic)');
    expect(howItDiffers('John Smith', [cyrillic])).toBe('holds “o” (U+006F, Latin)');
    expect(howItDiffers('Ana Silva', ['Ana Silva'])).toBeNull();
    // A Greek capital alpha, and punctuation a dead key typed.
    expect(howItDiffers('\u0391na Silva', ['Ana Silva'])).toBe('holds “Α” (U+0391, Greek)');
    expect(howItDiffers('Sean O\u2019Brien', ["Sean O'Brien"])).toBe('holds “’” (U+2019, punctuation)');
    // Place by place: the Latin name's "a" is also in the other's "casing", but not where the other has its Cyrillic "а".
    expect(howItDiffers('Cracked casing', ['Cr\u0430cked casing'])).toBe('holds “a” (U+0061, Latin)');
    // Names of different lengths: the characters the other does not hold at all.
    expect(howItDiffers('Ana\u00A0Silva', ['Ana  Silva'])).toBe('holds “\u00A0” (U+00A0)');
  });

  it('lists at most three characters, then how many more', () => {
    expect(howItDiffers('\u0410\u0412\u0421\u0415 \u041D', ['ABCE H'])).toBe(
      'holds “А” (U+0410, Cyrillic), “В” (U+0412, Cyrillic), “С” (U+0421, Cyrillic) and 2 more',
    );
  });

  it('groups the names that print alike, and leaves the rest out', () => {
    const sets = lookAlikeSets(['John Smith', 'Ana Silva', 'J\u043Ehn Smith', 'Anna Silva', 'JOHN SMITH']);
    // Each set holds names alike under one key (as typed, in lower case…): together, John Smith in its three spellings.
    expect([...new Set(sets.flat())].sort()).toEqual([0, 2, 4]);
    expect(sets.some((s) => [...s].sort().join() === '0,2,4')).toBe(true);
    expect(lookAlikeSets(['Zoë Ward', 'Zoe Ward', 'Élodie', 'Elodie'])).toEqual([]);
  });
});
