import { firstHiddenCharacter } from '../../../shared/hidden-characters';
import { lookAlikeKeys, lookAlikeSets } from '../users/names';

/**
 * Names of locations, categories, task types and repair codes print as what they are, as users'
 * names and asset tags do: a due list, a sticker and a filter show them, and "Ward 4B" with a
 * zero-width space after it is another location that prints the same. Refused in a new or changed name: characters that print as
 * nothing or reorder the text (shared/hidden-characters.ts), and a name that prints like another
 * one where it must be told apart (Unicode's skeleton, users/names.ts; a hidden character counts
 * as nothing there). Rows saved before this rule keep working: only the name being typed is checked.
 */

/** The name with what prints as nothing taken out, and odd spaces made plain: how it looks. */
function asPrinted(name: string): string {
  let out = name;
  for (let hidden = firstHiddenCharacter(out); hidden; hidden = firstHiddenCharacter(out)) {
    out = out.replace(hidden.char, hidden.space ? ' ' : '');
  }
  return out;
}

/** The keys under which two names print alike (case ignored, as names are unique whatever their case). */
export function printKeys(name: string): string[] {
  return lookAlikeKeys(asPrinted(name));
}

/**
 * Which of `names` print alike, as groups of their indexes (each name in one group at most): names
 * that print like one another, directly or through a third, are one group. The same name twice
 * is a group too.
 */
export function printAlikeGroups(names: readonly string[]): number[][] {
  const parent = names.map((_, i) => i);
  const root = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  for (const [first, ...rest] of lookAlikeSets(names.map(asPrinted))) for (const i of rest) parent[root(i)] = root(first!);
  const groups = new Map<number, number[]>();
  names.forEach((_, i) => {
    const group = groups.get(root(i)) ?? [];
    group.push(i);
    groups.set(root(i), group);
  });
  return [...groups.values()].filter((g) => g.length > 1);
}

/** The first of `others` whose name prints like `name`, or undefined. */
export function printsLike<T extends { name: string }>(name: string, others: readonly T[]): T | undefined {
  const keys = new Set(printKeys(name));
  return others.find((o) => printKeys(o.name).some((k) => keys.has(k)));
}

/** What a hidden character in the name is, in words for the sentence that refuses it, or null. */
export function hiddenInName(name: string): string | null {
  const hidden = firstHiddenCharacter(name);
  if (!hidden) return null;
  return hidden.space
    ? `a space other than the plain one (${hidden.code}), which prints like a space`
    : `a character that prints as nothing or reorders the text (${hidden.code})`;
}

/** Whether the name is nothing but characters that print as nothing. */
export function printsAsNothing(name: string): boolean {
  return asPrinted(name).trim() === '';
}

/**
 * Why a new or changed name is refused for what it holds, or null. The sentence names the character,
 * so a pasted one can be found, and the field as its form labels it (`what`: "Name", "Code").
 */
export function hiddenNameProblem(name: string, what = 'Name'): string | null {
  if (printsAsNothing(name)) return `${what} holds only characters that print as nothing: type the ${what.toLowerCase()} with letters, digits and punctuation.`;
  const hidden = hiddenInName(name);
  return hidden ? `${what} holds ${hidden}: type it with letters, digits, plain spaces and punctuation only.` : null;
}
