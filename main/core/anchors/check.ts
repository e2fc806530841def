import type { Database } from 'better-sqlite3';
import type { Head } from './chain';
import { chainId, currentHead, entryHash, entryHashes, parseHead, shortChain, shortHead } from './chain';
import type { HeadLog, ReadHead } from './head-log';
import { changedSince, readHeadLog, readHeadLogAfter, startsChain } from './head-log';
import type { KeyRing } from './key';
import type { RunMarker } from './runs';
import { readRuns, runExplains } from './runs';

/** "line 4", "lines 1 to 40", "lines 1 to 3, 7 and 9 to 12". */
function lineRanges(lines: readonly number[]): string {
  const runs: string[] = [];
  for (let i = 0; i < lines.length; ) {
    let j = i;
    while (j + 1 < lines.length && lines[j + 1] === lines[j]! + 1) j++;
    runs.push(i === j ? `${lines[i]}` : `${lines[i]} to ${lines[j]}`);
    i = j + 1;
  }
  const text = runs.length === 1 ? runs[0]! : `${runs.slice(0, -1).join(', ')} and ${runs.at(-1)!}`;
  return `${lines.length === 1 ? 'line' : 'lines'} ${text}`;
}

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
function heldRanges(dbChain: string, parent: ReadonlyMap<string, Head>): Map<string, { lower: number; upper: number }> {
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
 * What a check of the head log that passed leaves for the next start's check to go on from (issue
 * 17), kept in the verified position's signed file: the log grows by a line per commit, and
 * checking every line at every start grew with the hospital's history (200,000 lines: 4–7 s and
 * up to 600 MB in the worker; a million: 21 s and 1.9 GB; read a block at a time since, 2.7 s
 * and 12–17 s, in less than half the memory). The next start checks that the bytes
 * checked are unchanged (their SHA-256), each held chain's newest head against the database
 * again, and only the lines after.
 */
export interface LogCheckpoint {
  /** The bytes checked (whole lines only), their SHA-256, and how many lines they hold. */
  bytes: number;
  sha256: string;
  lines: number;
  /** The chain the database wrote: the checkpoint holds only while it still does. */
  chain: string;
  heads: number;
  unsigned: number;
  foreign: number;
  abandoned: number;
  /** The keys whose signatures held on those lines, and the keys of other accounts they named. */
  signers: string[];
  foreignSigners: string[];
  /** Chains a restore or a branch started, each with the head it continues from. */
  parents: { chain: string; base: Head }[];
  lastRestoreChain: string | null;
  lastChain: string | null;
  /** The newest head recorded of each chain the database holds: compared with it again at every start. */
  tops: { chain: string; seq: number; hash: string; at: string }[];
  /** The database's own chain is in recorded heads, without a gap, up to this entry. */
  coveredTo: number;
  /** How many times entries were taken on at start, and the last three. */
  adopted: number;
  lastAdopted: { from: number; seq: number; at: string }[];
}

type Compared = LogCheckpoint['tops'][number];

/** A check of the head log, and what the next start can go on from when it passed. */
export interface LogCheckResult {
  check: AnchorCheck;
  checkpoint: LogCheckpoint | null;
}

/**
 * The database against the head log (read with `ring.known`: each line's signature was checked as
 * it was read). `backup`: the database is a backup, older than the log by nature, so heads past
 * its end are expected; only a head it contradicts is a problem.
 */
export function checkAgainstLog(db: Database, log: HeadLog, ring: KeyRing, options: { backup?: boolean } = {}): AnchorCheck {
  return judge(db, log, ring, options, null, []).check;
}

/**
 * The start-up check of the head log: from `since` (what an earlier check found sound) when it
 * still holds, else every line. Returns what the next start can go on from, when this one passed.
 * `whole`: check every line even so (the weekly deep check); the bytes `since` covers must still
 * be what they were, either way: the log is only ever appended to.
 */
export function checkHeadLogSince(
  db: Database,
  dataDir: string,
  ring: KeyRing,
  since: (LogCheckpoint & { at: string }) | null,
  options: { whole?: boolean } = {},
): LogCheckResult {
  return headLogSince(db, dataDir, ring, since, options);
}

/**
 * A head-log check joined by the backups' (rollback.ts checkBackupsHeld): a newer backup holding
 * entries the database no longer has (the data folder put back from a copy) fails the check, and
 * no checkpoint is recorded past it. The caller runs the backups' check: it reads the backups
 * folder, which this module must not import (backup/ imports it).
 */
export function withBackupsHeld(result: LogCheckResult, held: { findings: string[] }): LogCheckResult {
  if (held.findings.length === 0) return result;
  return { check: { ...result.check, ok: false, findings: [...result.check.findings, ...held.findings] }, checkpoint: null };
}

function headLogSince(db: Database, dataDir: string, ring: KeyRing, since: (LogCheckpoint & { at: string }) | null, options: { whole?: boolean }): LogCheckResult {
  const runs = readRuns(dataDir, ring);
  if (since && !options.whole) {
    const after = readHeadLogAfter(dataDir, since, ring.known);
    if (after !== 'changed' && after !== 'missing' && resumable(since, after, ring, chainId(db))) {
      const resumed = judge(db, after, ring, {}, since, runs);
      // Anything found: the whole log is checked, for the findings in the words every check uses.
      if (resumed.check.ok) return resumed;
    }
  }
  return checkWholeHeadLog(db, readHeadLog(dataDir, ring.known), ring, dataDir, since);
}

/**
 * Every line of the log (the deep check, `wardkeep verify`; `log` read with `ring.known`), and
 * whether the bytes an earlier check read (`since`, whatever chain it was of) are still what it
 * read: the log is only ever appended to. Returns what the next start can go on from, when it passed.
 */
export function checkWholeHeadLog(
  db: Database,
  log: HeadLog,
  ring: KeyRing,
  dataDir: string,
  since: (LogCheckpoint & { at: string }) | null,
): LogCheckResult {
  const whole = judge(db, log, ring, {}, null, readRuns(dataDir, ring));
  if (!since || !changedSince(dataDir, since)) return whole;
  const finding = `Head log: its first ${since.lines} lines are not what the check of ${day(since.at)} read: lines were changed, removed or cut short since.`;
  return { check: { ...whole.check, ok: false, findings: [finding, ...whole.check.findings] }, checkpoint: null };
}

/** Whether the lines after a checkpoint can be judged on top of it: the same chain, the same keys, no chain of this database started again. */
function resumable(since: LogCheckpoint, after: HeadLog, ring: KeyRing, dbChain: string): boolean {
  if (since.chain !== dbChain) return false;
  const keyed = ring.known.size + ring.foreign.size > 0;
  if (since.unsigned > 0 && keyed) return false;
  if (!since.signers.every((id) => ring.known.has(id))) return false;
  if (!since.foreignSigners.every((id) => ring.foreign.has(id))) return false;
  const held = heldRanges(dbChain, new Map(since.parents.map((p) => [p.chain, p.base])));
  return !after.lines.some((l) => startsChain(l) && held.has(l.chain));
}

function judge(
  db: Database,
  log: HeadLog,
  ring: KeyRing,
  options: { backup?: boolean },
  prior: LogCheckpoint | null,
  /** The run markers of the data folder (anchors/runs.ts): what explains entries at the end that no head covers yet. */
  runs: readonly RunMarker[],
): LogCheckResult {
  const findings: string[] = [];
  const notes: string[] = [];
  const head = currentHead(db);
  const dbChain = head?.chain ?? chainId(db);
  const where = options.backup ? 'The backup' : 'The database';
  if (!prior && (!log.exists || log.lines.length === 0)) {
    if (!options.backup) notes.push('Head log: none in this data folder yet, so the trail was checked against nothing outside the file.');
    if (ring.known.size > 0 && !log.exists && !options.backup) {
      findings.push('Head log: this data folder has an anchor key but its head log (audit-heads.log) is missing: it was deleted.');
    }
    return { check: { ok: findings.length === 0, findings, notes, head }, checkpoint: null };
  }
  const unreadable = [...log.unreadable];
  if (log.torn) notes.push('Head log: its last line was cut short by a power cut and is ignored.');
  let unsigned = prior?.unsigned ?? 0;
  let foreign = prior?.foreign ?? 0;
  const signers = new Set(prior?.signers);
  const foreignSigners = new Set(prior?.foreignSigners);
  const trusted: ReadHead[] = [];
  // Every Wardkeep that could make a key signs with it: with keys in the folder, an unsigned line, or
  // one naming a key the folder does not have, was written by someone without one. (Each line's
  // signature was checked against `ring.known` as it was read.)
  const keyed = ring.known.size + ring.foreign.size > 0;
  // Lines signed with a key the folder has no file of, by key: one finding per key, naming its lines.
  const missingKeys = new Map<string, number[]>();
  const isTrusted = ({ sig, key }: ReadHead) => sig === 'ok' || (sig === 'unsigned' && !keyed) || (sig === 'foreign' && ring.foreign.has(key ?? ''));
  log.lines.forEach((line, i) => {
    const sig = line.sig;
    const n = log.lineNumbers[i] ?? i + 1;
    if (sig === 'bad') findings.push(`Head log: line ${n} was changed after it was written (its signature does not match).`);
    else if (sig === 'unsigned' && keyed) findings.push(`Head log: line ${n} is not signed although this data folder has a key: someone without the key wrote it.`);
    else if (sig === 'foreign' && !ring.foreign.has(line.key ?? '')) {
      const lines = missingKeys.get(line.key ?? '');
      if (lines) lines.push(n);
      else missingKeys.set(line.key ?? '', [n]);
    } else {
      if (sig === 'unsigned') unsigned++;
      if (sig === 'foreign') {
        foreign++;
        foreignSigners.add(line.key!);
      }
      if (sig === 'ok') signers.add(line.key!);
      trusted.push(line);
    }
  });
  for (const [key, lines] of missingKeys) {
    findings.push(
      `Head log: ${lineRanges(lines)} ${lines.length === 1 ? 'is' : 'are'} signed with key ${key}, which this data folder does not have: its key file (audit-keys/${key}.json) was deleted, or someone without the key wrote ${lines.length === 1 ? 'it' : 'them'}.`,
    );
  }
  // A line cut short by a power cut, then closed by the next start's line taking on its entries:
  // torn, if that line is one this folder's key signed (no one without it can write one).
  for (const { line, next, nextLine } of log.mended) {
    if (isTrusted(next)) notes.push(`Head log: line ${line} was cut short by a power cut; the next start took on the entries it named (line ${nextLine}).`);
    else unreadable.push(line);
  }
  findings.unshift(...unreadable.sort((a, b) => a - b).map((n) => `Head log: line ${n} is not a head Wardkeep wrote: the log was edited.`));
  const restores = trusted.filter(startsChain);
  const lastRestoreChain = restores.at(-1)?.chain ?? prior?.lastRestoreChain ?? null;
  const lastChain = trusted.at(-1)?.chain ?? prior?.lastChain ?? null;
  if (!options.backup) {
    const follows = lastRestoreChain ?? lastChain;
    if (follows && follows !== dbChain) {
      findings.push(
        `${where} is not the one this data folder's head log follows (the log's heads are of chain ${shortChain(follows)}, the database writes chain ${shortChain(dbChain)}): it was replaced outside Wardkeep. Restore a backup through Wardkeep instead.`,
      );
    }
  }
  const parent = new Map<string, Head>((prior?.parents ?? []).map((p) => [p.chain, p.base]));
  for (const l of restores) if (l.base) parent.set(l.chain, l.base);
  const ranges = heldRanges(dbChain, parent);
  const rewritten: Compared[] = [];
  const lost: Compared[] = [];
  const tops = new Map<string, Compared>();
  let compared = 0;
  let abandoned = prior?.abandoned ?? 0;
  const hashOf = entryHashes(db);
  // The lines a checkpoint covers were each compared when first checked: the newest of each chain
  // is compared again (a trail rewritten and hashed again before it, or cut back past it, shows there).
  for (const line of [...(prior?.tops ?? []), ...trusted]) {
    const range = ranges.get(line.chain);
    if (!range || line.seq > range.upper) {
      // A head of history a restore went back from: true of a chain this database no longer continues.
      abandoned++;
      continue;
    }
    const hash = hashOf(line.chain, line.seq);
    if (hash === null) {
      if (!options.backup) lost.push(line);
      continue;
    }
    compared++;
    if (hash !== line.hash) rewritten.push(line);
    else if ((tops.get(line.chain)?.seq ?? -1) < line.seq) tops.set(line.chain, { chain: line.chain, seq: line.seq, hash: line.hash, at: line.at });
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
  const range = ranges.get(dbChain) ?? { lower: 0, upper: Number.POSITIVE_INFINITY };
  let next = Math.max(range.lower + 1, (prior?.coveredTo ?? 0) + 1);
  const adopted = trusted.filter((l) => l.kind === 'adopt' && l.chain === dbChain);
  const lastAdopted = [...(prior?.lastAdopted ?? []), ...adopted.map((l) => ({ from: l.from, seq: l.seq, at: l.at }))].slice(-3);
  const adoptions = (prior?.adopted ?? 0) + adopted.length;
  if (!options.backup && head) {
    const spans = trusted
      .filter((l) => l.chain === dbChain)
      .map((l) => [Math.max(l.from, range.lower + 1), l.seq] as const)
      .sort((a, b) => a[0] - b[0]);
    for (const [from, to] of spans) {
      if (from > next && from <= head.seq) {
        findings.push(
          `Audit entries ${next} to ${from - 1} are in no head this data folder recorded: something other than Wardkeep added them (or a Wardkeep process stopped between writing them and recording their head).`,
        );
      }
      next = Math.max(next, to + 1);
    }
    // A chain some head already names: entries after its last head were written by a Wardkeep that is
    // running, or one that stopped before recording their head (its run marker is still there, and
    // the next start takes them on), or outside Wardkeep, while every Wardkeep was closed properly.
    const named = spans.length > 0 || range.lower > 0 || (prior?.coveredTo ?? 0) > 0;
    if (next <= head.seq) {
      if (!named || runExplains(runs, dbChain, next, (c) => ranges.has(c))) {
        notes.push(`Audit entries ${next} to ${head.seq} have no recorded head yet (a Wardkeep that is running records it, or the next start takes them on).`);
      } else {
        findings.push(
          `Audit entries ${next} to ${head.seq} were written with no head recorded, and Wardkeep was closed properly before them: they were written outside Wardkeep.`,
        );
      }
    }
    if (adoptions > 0) {
      notes.push(
        `Head log: ${adoptions} time${adoptions === 1 ? '' : 's'} Wardkeep found entries at start that no head recorded and took them on (after a crash or an upgrade): ${lastAdopted.map((l) => `${l.from}–${l.seq} on ${day(l.at)}`).join(', ')}.`,
      );
    }
  }
  const heads = (prior?.heads ?? 0) + log.lines.length;
  const counts = `${compared} compared with the database${abandoned ? `, ${abandoned} of history a restore went back from` : ''}${unsigned ? `, ${unsigned} unsigned` : ''}${
    foreign ? `, ${foreign} signed with a key this account does not hold (not checked)` : ''
  }`;
  notes.push(
    prior
      ? `Head log: ${heads} head${heads === 1 ? '' : 's'}: the first ${prior.heads} as an earlier check found them, unchanged since (the newest of each chain compared again), and ${log.lines.length} written since, checked now; ${counts}.`
      : `Head log: ${heads} head${heads === 1 ? '' : 's'}, ${counts}.`,
  );
  const ok = findings.length === 0;
  // Only a passing check of a log that ends on a whole line (no power cut part-way through one) leaves a checkpoint.
  const checkpoint: LogCheckpoint | null =
    ok && !options.backup && head && log.extent.whole
      ? {
          bytes: log.extent.bytes,
          sha256: log.extent.sha256,
          lines: log.extent.lines,
          chain: dbChain,
          heads,
          unsigned,
          foreign,
          abandoned,
          signers: [...signers].sort(),
          foreignSigners: [...foreignSigners].sort(),
          parents: [...parent].map(([chain, base]) => ({ chain, base })),
          lastRestoreChain,
          lastChain,
          tops: [...tops.values()],
          coveredTo: next - 1,
          adopted: adoptions,
          lastAdopted,
        }
      : null;
  return { check: { ok, findings, notes, head }, checkpoint };
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
