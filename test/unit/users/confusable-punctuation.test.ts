import { describe, expect, it } from 'vitest';
import { looksAlike, skeleton } from '../../../main/core/users/names';

/** UTS #39 confusables.txt: the typographic apostrophes, primes, hyphens and dashes print as ' and -. */
describe('punctuation that prints like ASCII punctuation', () => {
  it.each([
    ['\u2018', "'"],
    ['\u2019', "'"],
    ['\u02BC', "'"],
    ['\u2032', "'"],
    ['\u2010', '-'],
    ['\u2011', '-'],
    ['\u2012', '-'],
    ['\u2013', '-'],
    ['\u2212', '-'],
  ])('%s is %s', (ch, ascii) => {
    expect(skeleton(ch)).toBe(ascii);
    expect(looksAlike(`O${ch}Brien`, `O${ascii}Brien`)).toBe(true);
  });

  it('leaves names that differ in their letters apart', () => {
    expect(looksAlike("Sean O'Brien", 'Sean OBrien')).toBe(false);
    expect(looksAlike('Anne-Marie', 'Anne Marie')).toBe(false);
  });
});
