import { randomUUID } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { fsyncFolder } from '../db/open';
import type { AnchorKey, KeyRing } from './key';

/**
 * Which Wardkeep processes have the database open for writing, with its anchors: each writes a
 * small signed file, `<data folder>/audit-open-<id>.json`, when it opens (on disk before it writes
 * anything) and removes it when it closes the database properly. A file still there from a
 * process that is gone is a run that did not close properly (killed, a crash, a power cut).
 *
 * That is what tells an honest crash from a write outside Wardkeep, when the trail ends in entries
 * no head covers: a crash between a commit and its head line leaves the writer's file behind,
 * which opened before those entries were written. Entries written when every Wardkeep had closed
 * properly (someone opened the file with the app's code but without its anchors, or with the
 * sqlite3 library) have no such file before them: they are a finding, never taken on.
 *
 * The worker thread (which signs with the main thread's key, and whose commits the main thread
 * records) and `wardkeep verify` (which opens without anchors and writes nothing beside the
 * database) write no file; every other command-line command does, like the app.
 */
export const RUN_FILE_PREFIX = 'audit-open-';

export interface RunMarker {
  v: 1;
  id: string;
  pid: number;
  host: string;
  /** The chain the database wrote when the run began, and its newest entry then (0: none): the run can only have written entries after it. */
  chain: string;
  seq: number;
  at: string;
  key: string | null;
  mac: string | null;
}

/** A marker as read back: its file, and whether its signature holds against the keys at hand. */
export interface ReadRun extends RunMarker {
  file: string;
}

/** The runs of this process that are open, by marker id: a marker of this process not among them was left by a connection closed without its close (a crash within the process). */
const live = new Map<string, Database>();

const runFile = (dataDir: string, id: string) => path.join(dataDir, `${RUN_FILE_PREFIX}${id}.json`);

/**
 * Records that this process has the database open for writing (from entry `seq` of `chain` on),
 * signed with `key`; on disk, and its name in the folder, before this returns.
 */
export function startRun(dataDir: string, db: Database, at: { chain: string; seq: number }, key: AnchorKey | null): ReadRun {
  const id = randomUUID();
  const unsigned = { v: 1 as const, id, pid: process.pid, host: hostname(), chain: at.chain, seq: at.seq, at: new Date().toISOString() };
  const marker: RunMarker = { ...unsigned, key: key?.id ?? null, mac: key ? key.sign(unsigned) : null };
  const file = runFile(dataDir, id);
  const temp = `${file}.tmp`;
  const fd = openSync(temp, 'w', 0o660);
  try {
    writeSync(fd, JSON.stringify(marker));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
  fsyncFolder(dataDir);
  live.set(id, db);
  return { ...marker, file };
}

/** The run closed properly: its marker goes. */
export function endRun(run: Pick<ReadRun, 'id' | 'file'>): void {
  live.delete(run.id);
  try {
    unlinkSync(run.file);
  } catch {
    // Already gone (a folder removed with the test that made it), or a read-only folder.
  }
}

/**
 * Every run marker in the data folder whose signature holds against `ring` (or, in a folder with
 * no key at all, unsigned): one without a valid signature was not written by Wardkeep, and
 * explains nothing. A marker signed with another account's key counts, as its head lines do.
 */
export function readRuns(dataDir: string, ring: KeyRing): ReadRun[] {
  let names: string[];
  try {
    names = readdirSync(dataDir);
  } catch {
    return [];
  }
  const keyed = ring.known.size + ring.foreign.size > 0;
  const out: ReadRun[] = [];
  for (const name of names) {
    if (!name.startsWith(RUN_FILE_PREFIX) || !name.endsWith('.json')) continue;
    const file = path.join(dataDir, name);
    try {
      const v = JSON.parse(readFileSync(file, 'utf8')) as RunMarker;
      if (v.v !== 1 || typeof v.id !== 'string' || typeof v.chain !== 'string' || typeof v.seq !== 'number' || typeof v.pid !== 'number') continue;
      const { key: keyId, mac, ...unsigned } = v;
      const key = keyId ? ring.known.get(keyId) : undefined;
      const trusted = key ? mac !== null && key.verify(unsigned, mac) : keyId ? ring.foreign.has(keyId) : !keyed;
      if (trusted) out.push({ ...v, file });
    } catch {
      // Removed meanwhile, or not a marker: explains nothing.
    }
  }
  return out;
}

function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    // EPERM: it runs, as another account.
    return (err as { code?: string }).code === 'ESRCH';
  }
}

/**
 * Whether a run is over without having closed properly: its process is gone (or, in this process,
 * its connection was closed without the core's close). A run on another computer (a data folder on
 * a network share) is never taken for over.
 */
export function runOver(run: RunMarker): boolean {
  if (run.host !== hostname()) return false;
  if (run.pid === process.pid) return !(live.get(run.id)?.open ?? false);
  return processGone(run.pid);
}

/**
 * Whether some run that had not closed explains entries from `first` on of `chain`: it began
 * before entry `first` was written, on that chain or on one `chain` continues from (a restore
 * while it ran). `held`: the chains this database's own history is made of.
 */
export function runExplains(runs: readonly RunMarker[], chain: string, first: number, held: (chain: string) => boolean): boolean {
  return runs.some((r) => (r.chain === chain ? r.seq < first : held(r.chain)));
}
