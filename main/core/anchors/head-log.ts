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

export interface HeadLog {
  lines: HeadLine[];
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
  mended: { line: number; next: HeadLine; nextLine: number }[];
  exists: boolean;
  /**
   * The log read through its last line end: its length in bytes, their SHA-256, how many lines
   * they hold, and whether that is the whole file (false when the last line has no end yet).
   */
  extent: { bytes: number; sha256: string; lines: number; whole: boolean };
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

function readFrom(fd: number, start: number, length: number, hash?: Hash): Buffer {
  const buf = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buf, done, length - done, start + done);
    if (n <= 0) break;
    done += n;
  }
  const out = buf.subarray(0, done);
  hash?.update(out);
  return out;
}

const isHead = (v: Record<string, unknown>) =>
  v.v === 1 && typeof v.chain === 'string' && typeof v.seq === 'number' && typeof v.hash === 'string' && typeof v.from === 'number' && typeof v.kind === 'string';

/** Reads the lines of `text`, whose first line is line `first` of the file; `breaks`: how many line ends it holds. */
function parseLines(text: string, first: number): Omit<HeadLog, 'exists' | 'extent'> & { breaks: number } {
  const lines: HeadLine[] = [];
  const lineNumbers: number[] = [];
  const unreadable: number[] = [];
  const mended: HeadLog['mended'] = [];
  let torn = false;
  // A line that is not JSON, waiting to learn what follows it.
  let broken: number | null = null;
  const raw = text.split('\n');
  raw.forEach((l, i) => {
    if (l.trim() === '') return;
    const n = first + i;
    let v: Record<string, unknown> | null = null;
    try {
      v = JSON.parse(l) as Record<string, unknown>;
    } catch {
      // The last line is torn by a power cut when it has no line end after it.
      if (i === raw.length - 1) torn = true;
      else {
        if (broken !== null) unreadable.push(broken);
        broken = n;
      }
      return;
    }
    const head = isHead(v) ? (v as unknown as HeadLine) : null;
    if (broken !== null) {
      // A line cut short by a power cut is followed by the next start's taking on of its entries.
      if (head?.kind === 'adopt') mended.push({ line: broken, next: head, nextLine: n });
      else unreadable.push(broken);
      broken = null;
    }
    if (head) {
      lines.push(head);
      lineNumbers.push(n);
    } else unreadable.push(n);
  });
  if (broken !== null) unreadable.push(broken);
  return { lines, lineNumbers, unreadable, torn, mended, breaks: raw.length - 1 };
}

/** What a read from the start of the log has read before it: nothing. */
const NOTHING_READ = { bytes: 0, sha256: createHash('sha256').digest('hex'), lines: 0 };

/** Every line of the head log. */
export function readHeadLog(dataDir: string): HeadLog {
  const log = readHeadLogAfter(dataDir, NOTHING_READ);
  // Nothing read before cannot have changed: only a missing log is not read.
  return typeof log === 'string' ? MISSING : log;
}

/**
 * The lines after what an earlier check read (`since`: its bytes, their SHA-256 and line count),
 * with `extent` of the whole log. 'changed' when those bytes are no longer what they were (the
 * log is only ever appended to), 'missing' without a log. Reads the bytes checked before once,
 * in blocks, to hash them: memory does not grow with the log.
 */
export function readHeadLogAfter(dataDir: string, since: { bytes: number; sha256: string; lines: number }): HeadLog | 'changed' | 'missing' {
  let fd: number;
  try {
    fd = openSync(headLogPath(dataDir), 'r');
  } catch {
    return 'missing';
  }
  try {
    settled(fd);
    const size = fstatSync(fd).size;
    if (size < since.bytes) return 'changed';
    const hash = createHash('sha256');
    const block = 1 << 20;
    for (let at = 0; at < since.bytes; at += block) {
      if (readFrom(fd, at, Math.min(block, since.bytes - at), hash).length === 0) return 'changed';
    }
    if (hash.copy().digest('hex') !== since.sha256) return 'changed';
    const rest = readFrom(fd, since.bytes, size - since.bytes);
    const end = rest.lastIndexOf(10) + 1;
    hash.update(rest.subarray(0, end));
    const { breaks, ...parsed } = parseLines(rest.toString('utf8'), since.lines + 1);
    return { ...parsed, exists: true, extent: { bytes: since.bytes + end, sha256: hash.digest('hex'), lines: since.lines + breaks, whole: end === rest.length } };
  } finally {
    closeSync(fd);
  }
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
  let fd: number;
  try {
    fd = openSync(headLogPath(dataDir), 'r');
  } catch {
    return null;
  }
  try {
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
  } finally {
    closeSync(fd);
  }
}

/** Whether a line's signature holds: 'ok', 'bad' (changed), 'unsigned', or 'foreign' (a key this process does not hold). */
export function lineSignature(line: HeadLine, keys: Map<string, AnchorKey>): 'ok' | 'bad' | 'unsigned' | 'foreign' {
  if (!line.key || !line.mac) return 'unsigned';
  const key = keys.get(line.key);
  if (!key) return 'foreign';
  const { key: _k, mac, ...unsigned } = line;
  return key.verify(unsigned, mac) ? 'ok' : 'bad';
}
