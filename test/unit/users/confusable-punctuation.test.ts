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

/**
 * The spacing accents a dead key types alone (´ ¨ ¯ ¸ ˘ ˜ ˝): NFKC takes each apart into a space
 * and a combining accent, so the confusables table is applied to the name as typed too.
 */
describe('spacing accents', () => {
  it.each([
    ['\u00B4', "'"], // acute accent
    ['\u00B8', ','], // cedilla
    ['\u02DC', '~'], // small tilde
    ['\u02DD', '"'], // double acute accent
  ])('%s prints like %s', (ch, ascii) => {
    expect(looksAlike(`O${ch}Brien`, `O${ascii}Brien`)).toBe(true);
  });

  it.each(['\u00A8', '\u00AF', '\u02D8'])('%s prints like its space and combining accent, and like no ASCII punctuation', (ch) => {
    expect(looksAlike(`O${ch}Brien`, `O${ch.normalize('NFKC')}Brien`)).toBe(true);
    for (const ascii of ["'", '"', '-', '_', '~', '^', '`', ',', '.', ' ']) expect(looksAlike(`O${ch}Brien`, `O${ascii}Brien`), ascii).toBe(false);
  });
});
