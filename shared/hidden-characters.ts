/**
 * Characters that print as nothing or reorder what follows: zero-width spaces and joiners, the
 * bidirectional controls such as a right-to-left override, other format and control characters,
 * spaces other than the plain one (a non-breaking space prints like a space and is another
 * character), and blanks that print as a space (below). Text that must print as what it is
 * refuses them: a user's name (a signature must never look like someone else's), an asset tag (a
 * sticker must never name two devices), the names of locations, categories and codes.
 */
const HIDDEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Bidi_Control}\p{Default_Ignorable_Code_Point}\u2800\u3164\uFFA0]|[^\P{Zs} ]/u;

/**
 * Blanks that are not spaces to Unicode but print as one: the Braille pattern blank (U+2800, a
 * symbol) and the Hangul fillers U+3164 and U+FFA0 (letters, and Default_Ignorable, but named
 * here too, as not every engine's Unicode data says so). "Tim⠀Tech" prints like "Tim Tech".
 */
const BLANK = /[\p{Zs}\u2800\u3164\uFFA0]/u;

/** A character as people and Unicode's charts name it: U+200B. */
export function codePointName(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The first character that must not be in such text, and whether it prints as a space (U+00A0, U+2800…), or null. */
export function firstHiddenCharacter(text: string): { char: string; code: string; space: boolean } | null {
  const m = HIDDEN.exec(text);
  if (!m) return null;
  return { char: m[0], code: codePointName(m[0]), space: BLANK.test(m[0]) };
}

/** The first character that must not be in such text, as U+XXXX, or null. */
export function hiddenCharacter(text: string): string | null {
  return firstHiddenCharacter(text)?.code ?? null;
}
