import { firstHiddenCharacter } from '../../../shared/hidden-characters';
import { nameKey } from '../../../shared/domain/common';
import { howItDiffers, lookAlikeKeys, lookAlikeSets } from '../users/names';

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

/**
 * The rows in use that print alike without being the same name, as groups: within each scope (a
 * location's parent, a repair code's kind; `scopeOf`), names that print like one another, directly
 * or through a third, are one group, and it counts while two of its names differ once folded (the
 * same name twice is a clash of its own, sync/keys.ts). Each PC refuses such a name beside one it
 * holds, but two PCs of a hub apart each hold only their own, and a name kept from before the rule
 * stays as it was.
 */
export function printingAlike<T extends { name: string }>(rows: readonly T[], scopeOf: (row: T) => string = () => '', fold: (name: string) => string = nameKey): T[][] {
  const scopes = new Map<string, T[]>();
  for (const r of rows) {
    const scope = scopeOf(r);
    const list = scopes.get(scope) ?? [];
    list.push(r);
    scopes.set(scope, list);
  }
  const out: T[][] = [];
  for (const list of scopes.values()) {
    for (const group of printAlikeGroups(list.map((r) => r.name))) {
      const members = group.map((i) => list[i]!);
      if (new Set(members.map((r) => fold(r.name))).size >= 2) out.push(members);
    }
  }
  return out;
}

/**
 * For each row of a group printingAlike found, the other names of its group (each once, its own
 * left out) and what tells its own apart ("holds “о” (U+043E, Cyrillic)"), or null: what a screen
 * says under the name.
 */
export function printsLikeOthers<T extends { id: string; name: string }>(groups: readonly (readonly T[])[]): Map<string, { others: string[]; differs: string | null }> {
  const out = new Map<string, { others: string[]; differs: string | null }>();
  for (const group of groups) {
    const names = [...new Set(group.map((r) => r.name))];
    for (const r of group) {
      const others = names.filter((n) => n !== r.name);
      out.set(r.id, { others, differs: howItDiffers(r.name, others) });
    }
  }
  return out;
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
