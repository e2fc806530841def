import { CONFUSABLE_PROTOTYPES } from './confusables-data';

/**
 * People's names as signatures print them (issue 13, item 11). A name must look like what it is:
 * characters that print as nothing or reorder what follows (zero-width spaces and joiners, the
 * bidirectional controls such as a right-to-left override, other format and control characters,
 * spaces other than the plain one) are refused; and a name that prints like another user's, such
 * as "Jоhn" with a Cyrillic о, is that user's name.
 *
 * "Prints like" is Unicode's skeleton (UTS #39 §4): decompose (NFD), replace each character by its
 * prototype from confusables.txt, decompose again; two names are confusable when their skeletons are
 * equal. The table is focused on the scripts names on Wardkeep's wards are written in (confusables-data.ts);
 * the comparison is made both as typed and in lower case, since user names are unique whatever their case.
 */
const HIDDEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Bidi_Control}\p{Default_Ignorable_Code_Point}]|[^\P{Zs} ]/u;

/** The first character that must not be in a name, as U+XXXX, or null. */
export function hiddenCharacter(name: string): string | null {
  const m = HIDDEN.exec(name);
  return m ? `U+${m[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}` : null;
}

export function skeleton(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFD')) out += CONFUSABLE_PROTOTYPES.get(ch.codePointAt(0)!) ?? ch;
  return out.normalize('NFD');
}

/** The keys under which two names print alike: as typed, and in lower case. */
export function lookAlikeKeys(name: string): string[] {
  const s = name.normalize('NFKC').trim().replace(/\s+/g, ' ');
  return [...new Set([skeleton(s), skeleton(s.toLowerCase()), skeleton(s.toLowerCase()).toLowerCase()])];
}

export function looksAlike(a: string, b: string): boolean {
  const keys = new Set(lookAlikeKeys(a));
  return lookAlikeKeys(b).some((k) => keys.has(k));
}
