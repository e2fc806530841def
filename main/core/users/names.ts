import { CONFUSABLE_PROTOTYPES } from './confusables-data';

/**
 * People's names as signatures print them (issue 13, item 11). A name must look like what it is:
 * characters that print as nothing or reorder what follows (zero-width spaces and joiners, the
 * bidirectional controls such as a right-to-left override, other format and control characters,
 * spaces other than the plain one) are refused; and a name that prints like another user's, such
 * as "Jоhn" with a Cyrillic о, is that user's name.
 *
 * The characters refused are shared with asset tags (shared/hidden-characters.ts).
 *
 * "Prints like" is Unicode's skeleton (UTS #39 §4): decompose (NFD), replace each character by its
 * prototype from confusables.txt, decompose again; two names are confusable when their skeletons are
 * equal. The table is focused on the scripts names on Wardkeep's wards are written in, and the punctuation
 * that prints like ASCII punctuation (confusables-data.ts);
 * the comparison is made both as typed and in lower case, since user names are unique whatever their case.
 */
export function skeleton(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFD')) out += CONFUSABLE_PROTOTYPES.get(ch.codePointAt(0)!) ?? ch;
  return out.normalize('NFD');
}

/**
 * The keys under which two names print alike: as typed, and in lower case; each from the name as
 * typed and from its compatibility form (NFKC, so a full-width "Ｊ" or a ligature prints as its
 * letters). The table is applied to both, since NFKC takes the spacing accents apart into a space
 * and a combining mark, where the table knows what they print like: "Sean O´Brien" (an acute
 * accent, typed for the apostrophe with a dead key) and "Sean O¸Brien" (a cedilla for the comma)
 * print like "Sean O'Brien" and "Sean O,Brien", and NFKC would make them "O ́Brien" and "O ̧Brien".
 */
export function lookAlikeKeys(name: string): string[] {
  const keys = new Set<string>();
  for (const form of [name, name.normalize('NFKC')]) {
    const s = form.trim().replace(/\s+/g, ' ');
    keys.add(skeleton(s));
    keys.add(skeleton(s.toLowerCase()));
    keys.add(skeleton(s.toLowerCase()).toLowerCase());
  }
  return [...keys];
}

/**
 * lookAlikeKeys, kept per name: the sync status (read every few seconds) lists the users in use
 * whose names print alike, and a hospital's 2,000 names take 20 to 40 ms to fold afresh. Names
 * change seldom; the memo is emptied when it grows past any hospital's users.
 */
const keysMemo = new Map<string, readonly string[]>();
function keysOf(name: string): readonly string[] {
  let keys = keysMemo.get(name);
  if (!keys) {
    if (keysMemo.size >= 20_000) keysMemo.clear();
    keys = lookAlikeKeys(name);
    keysMemo.set(name, keys);
  }
  return keys;
}

/**
 * Which of `names` print alike: for each key two or more of them share, their indexes (a name
 * printing like two others is in two such lists; the same name twice is in one).
 */
export function lookAlikeSets(names: readonly string[]): number[][] {
  const byKey = new Map<string, Set<number>>();
  names.forEach((name, i) => {
    for (const key of keysOf(name)) byKey.set(key, (byKey.get(key) ?? new Set()).add(i));
  });
  const seen = new Set<string>();
  const out: number[][] = [];
  for (const set of byKey.values()) {
    if (set.size < 2) continue;
    const list = [...set];
    const id = list.join(' ');
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(list);
  }
  return out;
}

/** The indexes of `names` that print like `name` (each name's keys kept, as for lookAlikeSets). */
export function namesLike(name: string, names: readonly string[]): number[] {
  const keys = new Set(keysOf(name));
  const out: number[] = [];
  names.forEach((other, i) => {
    if (keysOf(other).some((k) => keys.has(k))) out.push(i);
  });
  return out;
}

export function looksAlike(a: string, b: string): boolean {
  const keys = new Set(lookAlikeKeys(a));
  return lookAlikeKeys(b).some((k) => keys.has(k));
}

/** Scripts whose letters print like Latin ones (the confusables above), named so a person can tell "о" from "o". */
const SCRIPTS: readonly (readonly [string, RegExp])[] = [
  ['Latin', /\p{Script=Latin}/u],
  ['Cyrillic', /\p{Script=Cyrillic}/u],
  ['Greek', /\p{Script=Greek}/u],
  ['Armenian', /\p{Script=Armenian}/u],
  ['Cherokee', /\p{Script=Cherokee}/u],
  ['Georgian', /\p{Script=Georgian}/u],
  ['Coptic', /\p{Script=Coptic}/u],
];

function characterWords(ch: string): string {
  const code = `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  const script = SCRIPTS.find(([, re]) => re.test(ch))?.[0];
  const what = script ?? (/\p{M}/u.test(ch) ? 'a mark over the letter before' : /\p{P}/u.test(ch) ? 'punctuation' : null);
  return `“${ch}” (${code}${what ? `, ${what}` : ''})`;
}

/**
 * How a name tells itself apart from names that print like it: the characters it holds that none
 * of the others does ("“о” (U+043E, Cyrillic)"), the first three, or null if it holds none. Two
 * accounts whose names print alike look the same on every list; this is what tells a supervisor
 * which one to rename.
 */
export function howItDiffers(name: string, others: readonly string[]): string | null {
  const mine = [...name.normalize('NFC')];
  const differing = new Set<string>();
  const unaligned: string[] = [];
  for (const other of others) {
    const theirs = [...other.normalize('NFC')];
    // A look-alike is most often the same letters with one swapped ("Crаcked casing"): compared place by place.
    if (theirs.length !== mine.length) unaligned.push(...theirs);
    else for (let i = 0; i < mine.length; i++) if (mine[i] !== theirs[i]) differing.add(mine[i]!);
  }
  // Otherwise the characters none of the others holds.
  const theirs = new Set(unaligned);
  if (unaligned.length > 0) for (const ch of mine) if (!theirs.has(ch)) differing.add(ch);
  const own = [...new Set(mine)].filter((ch) => differing.has(ch) && ch !== ' ');
  if (own.length === 0) return null;
  const shown = own.slice(0, 3).map(characterWords);
  return `holds ${shown.join(', ')}${own.length > 3 ? ` and ${own.length - 3} more` : ''}`;
}
