import { isPlainAscii } from '../../../shared/domain/common';
import { assetTagKey } from '../../../shared/domain/equipment';
import type { Core } from '../context';
import { query } from '../sql/query';
import type { EquipmentRow } from '../sql/rows';
import { CONFUSABLE_PROTOTYPES } from '../users/confusables-data';
import { skeleton } from '../users/names';

/**
 * Asset tags that print alike: "ІР-0001" in Cyrillic letters is "IP-0001" on a sticker and on a
 * device's page, so a second device may not take it. "Prints like" is the skeleton user names use
 * (users/names.ts, Unicode's UTS #39), taken of the tag's key (case is ignored, as for the key)
 * with the digits of every script read as ASCII digits ("IP-000١" is "IP-0001").
 *
 * Only a tag with a character beyond ASCII can print like another device's tag: two ASCII tags
 * are told apart by their key ("IP-0001" and "1P-0001", "XR-O1" and "XR-01" are different tags in
 * inventories, and a barcode holds each as it is). So the check costs nothing per device of an
 * inventory in ASCII:
 * - a new ASCII tag is compared with the inventory's tags beyond ASCII, read once (per
 *   transaction, or once for a whole import file): few, in any hospital;
 * - a new tag beyond ASCII whose skeleton is ASCII is looked up through the key's index, by a GLOB
 *   of the keys whose skeleton it can be (a literal prefix narrows it to an index range), each
 *   candidate then compared exactly.
 */

export type TagHolder = Pick<EquipmentRow, 'id' | 'asset_tag' | 'name'>;

/**
 * The devices whose key has a character beyond ASCII: found in the key's index alone (a key's
 * length in bytes is its length in characters only in ASCII), then read. At 50,000 devices (the
 * bench's hospital, a loaded machine) this took 3 to 12 ms, a GLOB for such a character 15 to 37 ms,
 * and reading every key alone 1 to 6 ms: once per new device or changed tag, once per import.
 */
const beyondAscii = query<TagHolder & Pick<EquipmentRow, 'asset_tag_key'>>(
  `SELECT id, asset_tag, asset_tag_key, name FROM equipment
   WHERE asset_tag_key IN (SELECT asset_tag_key FROM equipment WHERE length(CAST(asset_tag_key AS BLOB)) <> length(asset_tag_key))`,
);
const keysLike = query<TagHolder & Pick<EquipmentRow, 'asset_tag_key'>, { pattern: string }>(
  'SELECT id, asset_tag, asset_tag_key, name FROM equipment WHERE asset_tag_key GLOB @pattern',
);

const DECIMAL_DIGIT = /\p{Nd}/u;
const DECIMAL_DIGITS = /\p{Nd}/gu;

/**
 * A decimal digit of any script as its ASCII digit ("١" U+0661 and "۱" U+06F1 as "1"): on a sticker
 * they are a stroke like "1", and NFKC leaves them. Unicode keeps every script's decimal digits
 * (\p{Nd}) in contiguous runs of ten, 0 to 9 (a stability policy), some runs back to back (the
 * mathematical digits), so a digit's value is its distance from the start of its run, modulo ten.
 */
function asciiDigit(ch: string): string {
  const cp = ch.codePointAt(0)!;
  if (cp <= 0x7f) return ch;
  let start = cp;
  while (DECIMAL_DIGIT.test(String.fromCodePoint(start - 1))) start--;
  return String((cp - start) % 10);
}

/** How a tag prints, for comparing: the skeleton of its key in NFKC, with every script's digits as ASCII digits. */
export function tagSkeleton(tag: string): string {
  return skeleton(assetTagKey(tag).normalize('NFKC').replace(DECIMAL_DIGITS, asciiDigit));
}

/**
 * For each character a skeleton of an ASCII key can hold, the ASCII key characters that become it
 * ('l' from 1, I and |; 'O' from 0 and O); and the characters that start a prototype of more than
 * one character ('' from "), where any run may stand. Derived from the table, so it follows it.
 */
const { sources, starts } = (() => {
  const sources = new Map<string, Set<string>>();
  const starts = new Set<string>();
  for (let cp = 0x20; cp <= 0x7e; cp++) {
    const ch = String.fromCodePoint(cp);
    if (ch !== ch.toUpperCase()) continue; // keys are upper case
    const proto = CONFUSABLE_PROTOTYPES.get(cp) ?? ch;
    if ([...proto].length === 1) sources.set(proto, (sources.get(proto) ?? new Set()).add(ch));
    else starts.add(proto[0]!);
  }
  return { sources, starts };
})();

const globLiteral = (ch: string) => ('*?['.includes(ch) ? `[${ch}]` : ch);

/** A GLOB that every ASCII key whose skeleton is `s` matches (candidates, compared exactly after), or null when no ASCII key can have it. */
export function asciiKeysPattern(s: string): string | null {
  let out = '';
  for (const ch of s) {
    if (starts.has(ch)) {
      if (!out.endsWith('*')) out += '*';
      continue;
    }
    const from = sources.get(ch);
    if (!from) return null;
    const list = [...from];
    // In a class, ']' must come first and '-' last; '^' first would negate it.
    const ordered = [
      ...list.filter((c) => c === ']'),
      ...list.filter((c) => c !== ']' && c !== '-' && c !== '^'),
      ...list.filter((c) => c === '^'),
      ...list.filter((c) => c === '-'),
    ];
    out += list.length === 1 ? globLiteral(list[0]!) : `[${ordered.join('')}]`;
  }
  return out;
}

/**
 * The devices' tags as they print, to check new tags against: read once, then asked per tag. The
 * tags added meanwhile (an import's rows) are told with `add`, so a file cannot hold two either.
 */
export class PrintedTags {
  /** The inventory's (and added) tags beyond ASCII, by skeleton. */
  private readonly beyond = new Map<string, Taken[]>();
  /** Added ASCII tags by skeleton, made only once a tag beyond ASCII asks (an inventory in ASCII never needs them). */
  private readonly added = new Map<string, Taken[]>();
  private readonly pending: Taken[] = [];

  constructor(private readonly core: Core) {
    for (const row of beyondAscii.all(core)) put(this.beyond, tagSkeleton(row.asset_tag_key), { key: row.asset_tag_key, holder: row });
  }

  /** A device (other than `exceptId`) whose tag prints like `tag` but is another tag, or null. */
  clash(tag: string, exceptId: string | null = null): TagHolder | null {
    const key = assetTagKey(tag);
    const ascii = isPlainAscii(key);
    if (ascii && this.beyond.size === 0) return null;
    const s = tagSkeleton(tag);
    const other = (list: Taken[] | undefined) => list?.find((t) => t.key !== key && t.holder.id !== exceptId)?.holder ?? null;
    const alike = other(this.beyond.get(s));
    if (alike || ascii) return alike;
    for (const p of this.pending.splice(0)) put(this.added, tagSkeleton(p.key), p);
    const added = other(this.added.get(s));
    if (added) return added;
    const pattern = asciiKeysPattern(s);
    if (pattern === null) return null;
    return (
      keysLike
        .all(this.core, { pattern })
        .find((r) => r.asset_tag_key !== key && r.id !== exceptId && tagSkeleton(r.asset_tag_key) === s) ?? null
    );
  }

  /** A tag now taken (a row of the same file), with what to name it by. */
  add(tag: string, holder: TagHolder): void {
    const key = assetTagKey(tag);
    if (isPlainAscii(key)) this.pending.push({ key, holder });
    else put(this.beyond, tagSkeleton(tag), { key, holder });
  }
}

interface Taken {
  key: string;
  holder: TagHolder;
}

function put(map: Map<string, Taken[]>, s: string, taken: Taken): void {
  const list = map.get(s);
  if (list) list.push(taken);
  else map.set(s, [taken]);
}

const beyondAsciiInUse = query<TagHolder & Pick<EquipmentRow, 'asset_tag_key'>>(
  `SELECT id, asset_tag, asset_tag_key, name FROM equipment
   WHERE status <> 'retired' AND asset_tag_key IN (SELECT asset_tag_key FROM equipment WHERE length(CAST(asset_tag_key AS BLOB)) <> length(asset_tag_key))
   ORDER BY id`,
);

const keysLikeInUse = query<TagHolder & Pick<EquipmentRow, 'asset_tag_key'>, { pattern: string }>(
  "SELECT id, asset_tag, asset_tag_key, name FROM equipment WHERE asset_tag_key GLOB @pattern AND status <> 'retired'",
);

/**
 * The devices in use whose tags print alike but are different tags (two PCs of a hub each tagged
 * one while apart: each refuses only a look-alike of a tag it holds), grouped by how they print,
 * each group's devices in id order. Only a tag beyond ASCII prints like another, so the inventory's
 * few such tags are read, and the ASCII tags each could be found through the key's index.
 */
export function tagsPrintingAlike(core: Pick<Core, 'db'>): TagHolder[][] {
  const bySkeleton = new Map<string, Map<string, TagHolder & { key: string }>>();
  const add = (s: string, row: TagHolder & Pick<EquipmentRow, 'asset_tag_key'>) => {
    const group = bySkeleton.get(s) ?? new Map<string, TagHolder & { key: string }>();
    group.set(row.id, { id: row.id, asset_tag: row.asset_tag, name: row.name, key: row.asset_tag_key });
    bySkeleton.set(s, group);
  };
  // A key two PCs' devices share carries a suffix on all but one (sync/keys.ts): how it prints is its base's.
  const base = (key: string) => key.split('\u001f')[0]!;
  for (const row of beyondAsciiInUse.all(core)) add(tagSkeleton(base(row.asset_tag_key)), row);
  for (const s of [...bySkeleton.keys()]) {
    const pattern = asciiKeysPattern(s);
    if (pattern === null) continue;
    for (const row of keysLikeInUse.all(core, { pattern })) if (tagSkeleton(row.asset_tag_key) === s) add(s, row);
  }
  const out: TagHolder[][] = [];
  for (const group of bySkeleton.values()) {
    const rows = [...group.values()];
    if (new Set(rows.map((r) => base(r.key))).size < 2) continue;
    out.push(rows.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0)).map(({ id, asset_tag, name }) => ({ id, asset_tag, name })));
  }
  return out;
}
