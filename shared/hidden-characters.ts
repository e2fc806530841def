/**
 * Characters that print as nothing or reorder what follows: zero-width spaces and joiners, the
 * bidirectional controls such as a right-to-left override, other format and control characters,
 * and spaces other than the plain one (a non-breaking space prints like a space and is another
 * character). Text that must print as what it is refuses them: a user's name (a signature must
 * never look like someone else's) and an asset tag (a sticker must never name two devices).
 */
const HIDDEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Bidi_Control}\p{Default_Ignorable_Code_Point}]|[^\P{Zs} ]/u;

/** A character as people and Unicode's charts name it: U+200B. */
export function codePointName(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The first character that must not be in such text, and whether it is a space (U+00A0…), or null. */
export function firstHiddenCharacter(text: string): { char: string; code: string; space: boolean } | null {
  const m = HIDDEN.exec(text);
  if (!m) return null;
  return { char: m[0], code: codePointName(m[0]), space: /\p{Zs}/u.test(m[0]) };
}

/** The first character that must not be in such text, as U+XXXX, or null. */
export function hiddenCharacter(text: string): string | null {
  return firstHiddenCharacter(text)?.code ?? null;
}
