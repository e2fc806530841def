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

export function looksAlike(a: string, b: string): boolean {
  const keys = new Set(lookAlikeKeys(a));
  return lookAlikeKeys(b).some((k) => keys.has(k));
}
