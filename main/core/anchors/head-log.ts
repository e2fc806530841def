import type { Hash } from 'node:crypto';
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, fsyncSync, openSync, readSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { Head } from './chain';
import type { AnchorKey } from './key';

/**
 * The head log: `<data folder>/audit-heads.log`, outside the database file, append-only, one JSON
 * line per commit that added audit entries, fsynced before the write is reported done. Each line
 * names the entries the commit added (`from` to `seq`) and the hash of the last, and is signed with
 * the PC's key. Deleting the newest entries, or rewriting the trail and re-hashing it, leaves the
 * database disagreeing with lines it cannot change.
 */
export const HEAD_LOG = 'audit-heads.log';

export type HeadLineKind =
  /** A commit of this process added entries `from` to `seq`. */
  | 'head'
  /** Entries found at start that no line covers: written by a commit whose head was never recorded (a crash, an upgrade, an older Wardkeep). */
  | 'adopt'
  /** A restore put a backup in place: the database continues from `base` (the backup's head) on a new chain. */
  | 'restore'
  /**
   * A database copied back by hand over a newer one, found at a sync with the hub: it continues from
   * `base` on a new chain, like a restore (what it wrote since the copy moved there; sync/replica.ts).
   */
  | 'branch';

/** A line that starts a new chain continuing from `base`. */
export const startsChain = (line: Pick<HeadLine, 'kind'>): boolean => line.kind === 'restore' || line.kind === 'branch';

export interface HeadLine extends Head {
  v: 1;
  kind: HeadLineKind;
  /** The first entry this line covers (entries `from` to `seq` of its chain). */
  from: number;
  /** When the line was written. */
  at: string;
  /** For a restore (or a branch): the head the new chain continues from, and the backup's file name (or what happened). */
  base?: Head | null;
  backup?: string;
  /** The key that signed it (its id), and the signature; null when no key was at hand. */
  key: string | null;
  mac: string | null;
}

export function headLogPath(dataDir: string): string {
  return path.join(dataDir, HEAD_LOG);
}

/** Whether the file ends part-way through a line: the last write before a power cut was cut short. */
function endsMidLine(fd: number): boolean {
  const size = fstatSync(fd).size;
  if (size === 0) return false;
  const last = Buffer.alloc(1);
  readSync(fd, last, 0, 1, size - 1);
  return last[0] !== 10;
}

/**
 * Signs and appends one line, then fsyncs: the line is on disk when this returns. After a power
 * cut that tore the last line, the new line starts on a line of its own: written on the end of
 * the torn one, it would be lost with it (and the check would take the two for an edit).
 */
export function appendHeadLine(dataDir: string, line: Omit<HeadLine, 'v' | 'key' | 'mac'>, key: AnchorKey | null): HeadLine {
  const unsigned = { v: 1 as const, ...line };
  const signed: HeadLine = { ...unsigned, key: key?.id ?? null, mac: key ? key.sign(unsigned) : null };
  // One write of one line with O_APPEND: lines from two processes never interleave. Two that both
  // find a torn end each start a new line: the empty line between is skipped by every reader.
  const fd = openSync(headLogPath(dataDir), 'a+', 0o660);
  try {
    writeSync(fd, `${endsMidLine(fd) ? '\n' : ''}${JSON.stringify(signed)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return signed;
}

/** Makes the (empty) head log beside a new key, so a folder with a key and no log means one was deleted. */
export function ensureHeadLog(dataDir: string): void {
  closeSync(openSync(headLogPath(dataDir), 'a', 0o660));
}

/** Whether a line's signature holds: 'ok', 'bad' (changed), 'unsigned', or 'foreign' (a key this process does not hold). */
export type LineSignature = 'ok' | 'bad' | 'unsigned' | 'foreign';

/**
 * A line as the checks keep it once read: its signature checked against the keys at hand as it was
 * read, and only what the checks compare kept (a log of a million lines held whole as parsed took
 * 1.4 GB beside the rest of the process; kept so, 0.4 GB).
 */
export interface ReadHead extends Head {
  kind: HeadLineKind;
  from: number;
  at: string;
  base?: Head | null;
  key: string | null;
  sig: LineSignature;
}

export interface HeadLog {
  lines: ReadHead[];
  /** Each line's number in the file (blank and unreadable lines are counted, so these are the numbers an editor shows). */
  lineNumbers: number[];
  /** Lines that are not heads Wardkeep wrote, by line number (lines torn by a power cut, as `torn` and `mended` tell them, are not among them). */
  unreadable: number[];
  /** The last line was cut short (a power cut while it was written). */
  torn: boolean;
  /**
   * Lines cut short by a power cut before the last, by line number, each with the line after it:
   * the next start's, which took on the entries no whole line named (`adopt`). The check counts
   * one as torn only when that line's signature holds; otherwise it was edited.
   */
  mended: { line: number; next: ReadHead; nextLine: number }[];
  exists: boolean;
  /**
   * The log read through its last line end: its length in bytes, their SHA-256, how many lines
   * they hold, and whether that is the whole file (false when the last line has no end yet).
   */
  extent: { bytes: number; sha256: string; lines: number; whole: boolean };
}

/** What a check read of the log before: its first `bytes` bytes, their SHA-256, and how many lines they hold. */
export interface ReadBefore {
  bytes: number;
  sha256: string;
  lines: number;
}

const MISSING: HeadLog = { lines: [], lineNumbers: [], unreadable: [], torn: false, mended: [], exists: false, extent: { bytes: 0, sha256: '', lines: 0, whole: true } };

/** The file's bytes on disk before they are read: a check never records as read a line a power cut could still take back. */
function settled(fd: number): void {
  try {
    fsyncSync(fd);
  } catch {
    // A file opened for reading cannot be fsynced on Windows: its writer fsyncs every line anyway.
  }
}

/** The log is read a block at a time: memory does not grow with the log. */
const BLOCK = 1 << 20;

/** A head line is a few hundred bytes: a longer one is not a head, and is not made into a string to find that out. */
const MAX_LINE = 1 << 16;

function readFrom(fd: number, start: number, length: number): Buffer {
  const buf = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buf, done, length - done, start + done);
    if (n <= 0) break;
    done += n;
  }
  return buf.subarray(0, done);
}

/**
 * Whether the log's first bytes are still those an earlier check read (`since`), hashing them into
 * `hash` (which then goes on over what follows): false when they changed or the file is shorter.
 */
function prefixHolds(fd: number, size: number, since: ReadBefore, hash: Hash, blockBytes = BLOCK): boolean {
  if (size < since.bytes) return false;
  for (let at = 0; at < since.bytes; at += blockBytes) {
    const block = readFrom(fd, at, Math.min(blockBytes, since.bytes - at));
    if (block.length === 0) return false;
    hash.update(block);
  }
  return hash.copy().digest('hex') === since.sha256;
}

/** Runs `read` on the head log opened for reading, and closes it; `ifMissing` when there is no log. */
function withLog<T, M>(dataDir: string, ifMissing: M, read: (fd: number) => T): T | M {
  let fd: number;
  try {
    fd = openSync(headLogPath(dataDir), 'r');
  } catch {
    return ifMissing;
  }
  try {
    return read(fd);
  } finally {
    closeSync(fd);
  }
}

const isHeadOf = (v: unknown): v is Head => typeof v === 'object' && v !== null && typeof (v as Head).chain === 'string' && typeof (v as Head).seq === 'number' && typeof (v as Head).hash === 'string';

/** Whether a parsed line has the shape of a head Wardkeep writes (whose fields a check reads, and names in its findings). */
const isHead = (v: Record<string, unknown> | null) =>
  isHeadOf(v) &&
  v.v === 1 &&
  typeof v.from === 'number' &&
  typeof v.kind === 'string' &&
  typeof v.at === 'string' &&
  (v.base === undefined || v.base === null || isHeadOf(v.base)) &&
  (v.key === undefined || v.key === null || typeof v.key === 'string');

/**
 * Takes lines one at a time, as the log's blocks come, into a HeadLog; `first` is the number of the
 * first line it is given. A line that is not JSON is held until the next line tells what it was:
 * torn by a power cut when that is the next start's taking on of its entries (`adopt`), else
 * edited. The file's last segment, with no line end after it, is torn.
 */
function lineReader(keys: ReadonlyMap<string, AnchorKey>, first: number) {
  const out: Omit<HeadLog, 'exists' | 'extent'> = { lines: [], lineNumbers: [], unreadable: [], torn: false, mended: [] };
  // Chains and keys repeat on every line: one string each.
  const names = new Map<string, string>();
  const name = (s: string) => names.get(s) ?? (names.set(s, s), s);
  let n = first - 1;
  // A line that is not JSON, waiting to learn what follows it.
  let broken: number | null = null;
  return {
    out,
    /**
     * The next line (without its line end), or null for one too long to be a head (not made into a
     * string); `last`: the file's last segment, which no line end follows.
     */
    line(text: string | null, last = false): void {
      n++;
      if (text !== null && text.trim() === '') return;
      let v: Record<string, unknown> | null = null;
      try {
        if (text === null) throw new Error('too long to be a head');
        v = JSON.parse(text) as Record<string, unknown>;
      } catch {
        // The last line is torn by a power cut when it has no line end after it.
        if (last) out.torn = true;
        else {
          if (broken !== null) out.unreadable.push(broken);
          broken = n;
        }
        return;
      }
      let head: ReadHead | null = null;
      if (isHead(v)) {
        const line = v as unknown as HeadLine;
        const key = typeof line.key === 'string' ? name(line.key) : null;
        head = { kind: line.kind, chain: name(line.chain), seq: line.seq, from: line.from, hash: line.hash, at: line.at, key, sig: lineSignature(line, keys) };
        if (line.base !== undefined) head.base = line.base;
      }
      if (broken !== null) {
        // A line cut short by a power cut is followed by the next start's taking on of its entries.
        if (head?.kind === 'adopt') out.mended.push({ line: broken, next: head, nextLine: n });
        else out.unreadable.push(broken);
        broken = null;
      }
      if (head) {
        out.lines.push(head);
        out.lineNumbers.push(n);
      } else out.unreadable.push(n);
    },
    end(): Omit<HeadLog, 'exists' | 'extent'> {
      if (broken !== null) out.unreadable.push(broken);
      broken = null;
      return out;
    },
  };
}

/** What a read from the start of the log has read before it: nothing. */
const NOTHING_READ: ReadBefore = { bytes: 0, sha256: createHash('sha256').digest('hex'), lines: 0 };

/** Every line of the head log, each signature checked against `keys` as it is read. */
export function readHeadLog(dataDir: string, keys: ReadonlyMap<string, AnchorKey>, blockBytes = BLOCK): HeadLog {
  const log = readHeadLogAfter(dataDir, NOTHING_READ, keys, blockBytes);
  // Nothing read before cannot have changed: only a missing log is not read.
  return typeof log === 'string' ? MISSING : log;
}

/**
 * The lines after what an earlier check read (`since`), with `extent` of the whole log:
 * 'changed' when those bytes are no longer what they were (the log is only ever appended to),
 * 'missing' without a log. The file is read in blocks, the bytes read before only hashed, so
 * memory grows only with what is kept of each line after them.
 */
export function readHeadLogAfter(dataDir: string, since: ReadBefore, keys: ReadonlyMap<string, AnchorKey>, blockBytes = BLOCK): HeadLog | 'changed' | 'missing' {
  return withLog(dataDir, 'missing' as const, (fd): HeadLog | 'changed' => {
    settled(fd);
    const size = fstatSync(fd).size;
    const hash = createHash('sha256');
    if (!prefixHolds(fd, size, since, hash, blockBytes)) return 'changed';
    const reader = lineReader(keys, since.lines + 1);
    const take = (text: Buffer, from: number, to: number, last = false) => reader.line(to - from > MAX_LINE ? null : text.toString('utf8', from, to), last);
    let at = since.bytes;
    let lines = since.lines;
    // The start of a line whose end is in a later block: joined once its end comes, so a long run
    // of bytes with no line end (written by hand) is copied once, not once per block.
    let pending: Buffer[] = [];
    while (at < size) {
      const block = readFrom(fd, at, Math.min(blockBytes, size - at));
      if (block.length === 0) break;
      at += block.length;
      const lastBreak = block.lastIndexOf(10);
      if (lastBreak === -1) {
        pending.push(block);
        continue;
      }
      const text = pending.length > 0 ? Buffer.concat([...pending, block]) : block;
      const end = text.length - (block.length - lastBreak - 1);
      hash.update(text.subarray(0, end));
      for (let from = 0; from < end; lines++) {
        const to = text.indexOf(10, from);
        take(text, from, to);
        from = to + 1;
      }
      pending = lastBreak + 1 < block.length ? [block.subarray(lastBreak + 1)] : [];
    }
    const carry = Buffer.concat(pending);
    if (carry.length > 0) take(carry, 0, carry.length, true);
    const parsed = reader.end();
    return { ...parsed, exists: true, extent: { bytes: at - carry.length, sha256: hash.digest('hex'), lines, whole: carry.length === 0 } };
  });
}

/**
 * Whether the log's first bytes are no longer those an earlier check read (`since`): changed, or
 * cut short. Not without a log: a log deleted is a finding of its own.
 */
export function changedSince(dataDir: string, since: ReadBefore): boolean {
  return withLog(dataDir, false, (fd) => {
    settled(fd);
    return !prefixHolds(fd, fstatSync(fd).size, since, createHash('sha256'));
  });
}

/** Lines of a chain read back from the log's end at least (out-of-order lines of two processes are adjacent). */
const LAST_LINES = 8;

/**
 * How far the head log covers `chain`: the highest entry its last lines of that chain name, read
 * from the end of the file, so the cost does not grow with the log (a line per commit, read at
 * every start). Lines of two processes may land out of order, so the highest of the chain's last
 * eight lines (at least) counts. Null when no line names the chain. Nothing is checked
 * here: the start-up check and `wardkeep verify` check every line.
 */
export function coveredOfChain(dataDir: string, chain: string, blockBytes = 64 * 1024): number | null {
  return withLog(dataDir, null, (fd) => {
    let end = fstatSync(fd).size;
    // Bytes of a line that began before the block just read.
    let carry = Buffer.alloc(0);
    let best: number | null = null;
    let seen = 0;
    while (end > 0) {
      const start = Math.max(0, end - blockBytes);
      const block = Buffer.alloc(end - start);
      readSync(fd, block, 0, block.length, start);
      const text = Buffer.concat([block, carry]);
      end = start;
      // The block's first line began before it (unless the block starts the file): kept for the next block.
      const firstBreak = start === 0 ? -1 : text.indexOf(10);
      if (start > 0 && firstBreak === -1) {
        carry = text;
        continue;
      }
      carry = start === 0 ? Buffer.alloc(0) : text.subarray(0, firstBreak);
      for (const l of text.subarray(firstBreak + 1).toString('utf8').split('\n')) {
        if (!l.includes(chain)) continue;
        try {
          const v = JSON.parse(l) as Record<string, unknown>;
          if (isHead(v) && v.chain === chain) {
            best = Math.max(best ?? 0, v.seq as number);
            seen++;
          }
        } catch {
          // A torn last line (a power cut): not a head.
        }
      }
      if (seen >= LAST_LINES) return best;
    }
    return best;
  });
}

/**
 * Where each of `chains` first appears in the head log, as a line number (0 for the first line):
 * a chain that began later is a later state of the database (a restore or a branch starts one).
 * Read forward in blocks, and only until every chain asked for is found; a chain no line names is
 * absent from the answer. Nothing is checked here (recovery orders backups by it; the checks
 * check every line).
 */
export function chainStarts(dataDir: string, chains: ReadonlySet<string>, blockBytes = 256 * 1024): Map<string, number> {
  const found = new Map<string, number>();
  if (chains.size === 0) return found;
  return withLog(dataDir, found, (fd) => {
    const size = fstatSync(fd).size;
    // Bytes of a line that goes on in the next block (split as bytes, so no character is cut in two).
    let carry = Buffer.alloc(0);
    let lineNo = 0;
    for (let at = 0; at < size && found.size < chains.size; at += blockBytes) {
      const block = Buffer.alloc(Math.min(blockBytes, size - at));
      readSync(fd, block, 0, block.length, at);
      const text = Buffer.concat([carry, block]);
      const cut = at + block.length < size ? text.lastIndexOf(10) + 1 : text.length;
      carry = text.subarray(cut);
      if (cut === 0) continue; // one line longer than the block so far
      const lines = text.subarray(0, cut).toString('utf8').split('\n');
      if (cut > 0 && text[cut - 1] === 10) lines.pop();
      for (const l of lines) {
        const n = lineNo++;
        for (const chain of chains) {
          if (found.has(chain) || !l.includes(chain)) continue;
          try {
            const v = JSON.parse(l) as Record<string, unknown>;
            if (isHead(v) && v.chain === chain) found.set(chain, n);
          } catch {
            // A torn line (a power cut): not a head.
          }
        }
      }
    }
    return found;
  });
}

/** Whether a line's signature holds against `keys`. */
export function lineSignature(line: HeadLine, keys: ReadonlyMap<string, AnchorKey>): LineSignature {
  if (!line.key || !line.mac) return 'unsigned';
  const key = keys.get(line.key);
  if (!key) return 'foreign';
  const { key: _k, mac, ...unsigned } = line;
  return key.verify(unsigned, mac) ? 'ok' : 'bad';
}
