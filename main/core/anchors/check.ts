import type { Database } from 'better-sqlite3';
import type { Head } from './chain';
import { chainId, currentHead, entryHash, parseHead, shortChain, shortHead } from './chain';
import type { HeadLine, HeadLog } from './head-log';
import { lineSignature, startsChain } from './head-log';
import type { KeyRing } from './key';

/**
 * Checks a database against its anchors: the heads its data folder recorded (the head log), a head
 * read off paper, or the head stored in a backup. What each finding means is in docs/security.md.
 */
export interface AnchorCheck {
  ok: boolean;
  /** Sentences, one per problem: each makes `wardkeep verify` fail. */
  findings: string[];
  /** What was checked and what could not be, in sentences: shown, never a failure. */
  notes: string[];
  /** The head the database ends on. */
  head: Head | null;
}

const day = (iso: string) => iso.slice(0, 10);

/** Which entries of which chain this database holds: its own chain from its branch point on, and each ancestor up to where its child branched. */
function heldRanges(dbChain: string, lines: readonly HeadLine[]): Map<string, { lower: number; upper: number }> {
  const parent = new Map<string, Head>();
  for (const l of lines) if (startsChain(l) && l.base) parent.set(l.chain, l.base);
  const ranges = new Map<string, { lower: number; upper: number }>();
  let chain: string | undefined = dbChain;
  let upper = Number.POSITIVE_INFINITY;
  while (chain !== undefined && !ranges.has(chain)) {
    const p = parent.get(chain);
    ranges.set(chain, { lower: p?.seq ?? 0, upper });
    upper = p?.seq ?? 0;
    chain = p?.chain;
  }
  return ranges;
}

/**
 * The database against the head log. `backup`: the database is a backup, older than the log by
 * nature, so heads past its end are expected; only a head it contradicts is a problem.
 */
export function checkAgainstLog(db: Database, log: HeadLog, ring: KeyRing, options: { backup?: boolean } = {}): AnchorCheck {
  const findings: string[] = [];
  const notes: string[] = [];
  const head = currentHead(db);
  const dbChain = head?.chain ?? chainId(db);
  const where = options.backup ? 'The backup' : 'The database';
  if (!log.exists || log.lines.length === 0) {
    if (!options.backup) notes.push('Head log: none in this data folder yet, so the trail was checked against nothing outside the file.');
    if (ring.known.size > 0 && !log.exists && !options.backup) {
      findings.push('Head log: this data folder has an anchor key but its head log (audit-heads.log) is missing: it was deleted.');
    }
    return { ok: findings.length === 0, findings, notes, head };
  }
  const unreadable = [...log.unreadable];
  if (log.torn) notes.push('Head log: its last line was cut short by a power cut and is ignored.');
  let unsigned = 0;
  let foreign = 0;
  const trusted: HeadLine[] = [];
  // Every Wardkeep that could make a key signs with it: with keys in the folder, an unsigned line, or
  // one naming a key the folder does not have, was written by someone without one.
  const keyed = ring.known.size + ring.foreign.size > 0;
  log.lines.forEach((line, i) => {
    const sig = lineSignature(line, ring.known);
    const n = log.lineNumbers[i] ?? i + 1;
    if (sig === 'bad') findings.push(`Head log: line ${n} was changed after it was written (its signature does not match).`);
    else if (sig === 'unsigned' && keyed) findings.push(`Head log: line ${n} is not signed although this data folder has a key: someone without the key wrote it.`);
    else if (sig === 'foreign' && !ring.foreign.has(line.key ?? '')) findings.push(`Head log: line ${n} is signed with a key this data folder does not have: someone without the key wrote it.`);
    else {
      if (sig === 'unsigned') unsigned++;
      if (sig === 'foreign') foreign++;
      trusted.push(line);
    }
  });
  // A line cut short by a power cut, then closed by the next start's line taking on its entries:
  // torn, if that line is one this folder's key signed (no one without it can write one).
  const signedHere = new Set(trusted);
  for (const { line, next, nextLine } of log.mended) {
    if (signedHere.has(next)) notes.push(`Head log: line ${line} was cut short by a power cut; the next start took on the entries it named (line ${nextLine}).`);
    else unreadable.push(line);
  }
  findings.unshift(...unreadable.sort((a, b) => a - b).map((n) => `Head log: line ${n} is not a head Wardkeep wrote: the log was edited.`));
  if (!options.backup) {
    const restores = trusted.filter(startsChain);
    const follows = restores.at(-1)?.chain ?? trusted.at(-1)?.chain;
    if (follows && follows !== dbChain) {
      findings.push(
        `${where} is not the one this data folder's head log follows (the log's heads are of chain ${shortChain(follows)}, the database writes chain ${shortChain(dbChain)}): it was replaced outside Wardkeep. Restore a backup through Wardkeep instead.`,
      );
    }
  }
  const ranges = heldRanges(dbChain, trusted);
  const rewritten: HeadLine[] = [];
  const lost: HeadLine[] = [];
  let compared = 0;
  let abandoned = 0;
  for (const line of trusted) {
    const range = ranges.get(line.chain);
    if (!range || line.seq > range.upper) {
      // A head of history a restore went back from: true of a chain this database no longer continues.
      abandoned++;
      continue;
    }
    const hash = entryHash(db, line.chain, line.seq);
    if (hash === null) {
      if (!options.backup) lost.push(line);
      continue;
    }
    compared++;
    if (hash !== line.hash) rewritten.push(line);
  }
  if (rewritten.length > 0) {
    const first = rewritten.reduce((a, b) => (b.seq < a.seq ? b : a));
    findings.push(
      `${where}'s audit entry ${first.seq} is not the one recorded in the head log on ${day(first.at)} (${shortHead(first)}): the trail was rewritten at or before that entry and hashed again${rewritten.length > 1 ? ` (${rewritten.length} recorded heads disagree)` : ''}.`,
    );
  }
  if (lost.length > 0) {
    const last = lost.reduce((a, b) => (b.seq > a.seq ? b : a));
    findings.push(
      `The audit trail ends at entry ${head?.seq ?? 0}, but the head log recorded entry ${last.seq} on ${day(last.at)}: entries ${(head?.seq ?? 0) + 1} to ${last.seq} were deleted.`,
    );
  }
  if (!options.backup && head) {
    const range = ranges.get(dbChain) ?? { lower: 0, upper: Number.POSITIVE_INFINITY };
    const spans = trusted
      .filter((l) => l.chain === dbChain)
      .map((l) => [Math.max(l.from, range.lower + 1), l.seq] as const)
      .sort((a, b) => a[0] - b[0]);
    let next = range.lower + 1;
    for (const [from, to] of spans) {
      if (from > next && from <= head.seq) {
        findings.push(
          `Audit entries ${next} to ${from - 1} are in no head this data folder recorded: something other than Wardkeep added them (or a Wardkeep process stopped between writing them and recording their head).`,
        );
      }
      next = Math.max(next, to + 1);
    }
    if (next <= head.seq) notes.push(`Audit entries ${next} to ${head.seq} have no recorded head yet (the next write records one).`);
    const adopted = trusted.filter((l) => l.kind === 'adopt' && l.chain === dbChain);
    if (adopted.length > 0) {
      notes.push(
        `Head log: ${adopted.length} time${adopted.length === 1 ? '' : 's'} Wardkeep found entries at start that no head recorded and took them on (after a crash or an upgrade): ${adopted.map((l) => `${l.from}–${l.seq} on ${day(l.at)}`).slice(-3).join(', ')}.`,
      );
    }
  }
  notes.push(
    `Head log: ${log.lines.length} head${log.lines.length === 1 ? '' : 's'}, ${compared} compared with the database${abandoned ? `, ${abandoned} of history a restore went back from` : ''}${
      unsigned ? `, ${unsigned} unsigned` : ''
    }${foreign ? `, ${foreign} signed with a key this account does not hold (not checked)` : ''}.`,
  );
  return { ok: findings.length === 0, findings, notes, head };
}

/** A head read off a printout (`wardkeep verify --head SEQ:HASH`). */
export function checkGivenHead(db: Database, text: string, log: HeadLog): AnchorCheck {
  const head = currentHead(db);
  const given = parseHead(text);
  if (!given) return { ok: false, findings: [`--head "${text}" is not a head: write it as printed, SEQ:HASH or CHAIN:SEQ:HASH (e.g. 4521:9f3a61c2d07e5b18).`], notes: [], head };
  const dbChain = head?.chain ?? chainId(db);
  const known = [dbChain, ...log.lines.map((l) => l.chain), ...log.lines.flatMap((l) => (l.base ? [l.base.chain] : []))];
  const chain = given.chain === null ? dbChain : (known.find((c) => c.replace(/-/g, '').startsWith(given.chain!)) ?? null);
  const restores = log.lines.filter((l) => l.kind === 'restore' && l.base && l.base.seq < given.seq);
  const restoreNote = restores.length
    ? ` (A restore on ${day(restores.at(-1)!.at)} went back to entry ${restores.at(-1)!.base!.seq}: a head printed before it may name history the database no longer holds.)`
    : '';
  if (chain === null) return { ok: false, findings: [`The head ${text} names a chain this database and its head log do not know.`], notes: [], head };
  const hash = entryHash(db, chain, given.seq);
  if (hash === null) {
    return { ok: false, findings: [`The head ${text} names audit entry ${given.seq}, but the audit trail ends at entry ${head?.seq ?? 0}: entries were deleted.${restoreNote}`], notes: [], head };
  }
  if (!hash.startsWith(given.hash)) {
    return { ok: false, findings: [`Audit entry ${given.seq} does not match the head ${text}: the trail was rewritten at or before that entry.${restoreNote}`], notes: [], head };
  }
  return { ok: true, findings: [], notes: [`The head ${text} matches audit entry ${given.seq}.`], head };
}
