import { closeSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
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
  | 'restore';

export interface HeadLine extends Head {
  v: 1;
  kind: HeadLineKind;
  /** The first entry this line covers (entries `from` to `seq` of its chain). */
  from: number;
  /** When the line was written. */
  at: string;
  /** For a restore: the head of the backup the new chain continues from, and its file name. */
  base?: Head | null;
  backup?: string;
  /** The key that signed it (its id), and the signature; null when no key was at hand. */
  key: string | null;
  mac: string | null;
}

export function headLogPath(dataDir: string): string {
  return path.join(dataDir, HEAD_LOG);
}

/** Signs and appends one line, then fsyncs: the line is on disk when this returns. */
export function appendHeadLine(dataDir: string, line: Omit<HeadLine, 'v' | 'key' | 'mac'>, key: AnchorKey | null): HeadLine {
  const unsigned = { v: 1 as const, ...line };
  const signed: HeadLine = { ...unsigned, key: key?.id ?? null, mac: key ? key.sign(unsigned) : null };
  // One write of one line with O_APPEND: lines from two processes never interleave.
  const fd = openSync(headLogPath(dataDir), 'a', 0o660);
  try {
    writeSync(fd, `${JSON.stringify(signed)}\n`);
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
  /** Lines that are not heads Wardkeep wrote, by line number (the last line torn by a power cut is not among them). */
  unreadable: number[];
  /** The last line was cut short (a power cut while it was written). */
  torn: boolean;
  exists: boolean;
}

const isHead = (v: Record<string, unknown>) =>
  v.v === 1 && typeof v.chain === 'string' && typeof v.seq === 'number' && typeof v.hash === 'string' && typeof v.from === 'number' && typeof v.kind === 'string';

export function readHeadLog(dataDir: string): HeadLog {
  let text: string;
  try {
    text = readFileSync(headLogPath(dataDir), 'utf8');
  } catch {
    return { lines: [], unreadable: [], torn: false, exists: false };
  }
  const lines: HeadLine[] = [];
  const unreadable: number[] = [];
  let torn = false;
  const raw = text.split('\n');
  raw.forEach((l, i) => {
    if (l.trim() === '') return;
    try {
      const v = JSON.parse(l) as Record<string, unknown>;
      if (isHead(v)) lines.push(v as unknown as HeadLine);
      else unreadable.push(i + 1);
    } catch {
      // Only the last line can be torn by a power cut: it has no line end after it.
      if (i === raw.length - 1) torn = true;
      else unreadable.push(i + 1);
    }
  });
  return { lines, unreadable, torn, exists: true };
}

/** Whether a line's signature holds: 'ok', 'bad' (changed), 'unsigned', or 'foreign' (a key this process does not hold). */
export function lineSignature(line: HeadLine, keys: Map<string, AnchorKey>): 'ok' | 'bad' | 'unsigned' | 'foreign' {
  if (!line.key || !line.mac) return 'unsigned';
  const key = keys.get(line.key);
  if (!key) return 'foreign';
  const { key: _k, mac, ...unsigned } = line;
  return key.verify(unsigned, mac) ? 'ok' : 'bad';
}
