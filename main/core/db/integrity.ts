import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Database } from 'better-sqlite3';
import { builtQuery, query } from '../sql/query';

/**
 * `PRAGMA integrity_check` for `wardkeep verify` and a backup's check (backup/inspect.ts), in
 * worker threads beside the audit checks (issue 17). At hospital scale it is the longest step by
 * far (on the 50,000-device benchmark about 5× the time it takes to read every row, mostly its
 * look-ups of each row in each of its table's indexes), and one SQLite statement runs on one core. So its work is split: one worker
 * runs `quick_check` over the whole file (every page of every b-tree, each page used once, the
 * freelist, NOT NULL and CHECK constraints) and `foreign_key_check`; each table with an index (or
 * a virtual table) gets `integrity_check(table)`, which adds the index cross-checks, the tables
 * spread over the workers by their size. The union is what the whole `integrity_check` checks.
 *
 * Each worker opens the file read-only, with SQLite's ordinary reads (no memory map: a disk error
 * stays a finding, never a crash). Only "ok" everywhere is taken from here: on anything else (a
 * line of damage, an error, a worker that could not start) the caller runs the whole
 * `integrity_check` on its own connection, so the findings are SQLite's own lines as they always were.
 */

export interface IntegrityParts {
  /** Every part said "ok" and no row points at a missing record. */
  ok: boolean;
}

/** One worker's share: `quick` the whole-file quick_check and the foreign keys; `tables` integrity_check(t) each. */
interface Share {
  quick: boolean;
  tables: string[];
}

/** A worker's state in its signal, the one Int32 of a SharedArrayBuffer it is given: 0 until it starts. */
const STARTED = 1;
const OK = 2;
const NOT_OK = 3;

/**
 * The worker's code. It needs nothing but better-sqlite3 (given by path, with the build the
 * caller's connection uses), so it runs the same from the sources, the built CLI and the app.
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const signal = new Int32Array(workerData.signal);
const tell = (state) => { Atomics.store(signal, 0, state); Atomics.notify(signal, 0); };
tell(${STARTED});
let db;
let good = false;
try {
  const Database = require(workerData.module);
  db = new Database(workerData.file, { readonly: true, fileMustExist: true, ...(workerData.nativeBinding ? { nativeBinding: workerData.nativeBinding } : {}) });
  db.pragma('cache_size = -65536');
  const ok = (rows) => rows.length === 1 && Object.values(rows[0])[0] === 'ok';
  good = true;
  if (workerData.share.quick) {
    good = ok(db.pragma('quick_check')) && db.pragma('foreign_key_check').length === 0;
  }
  // The index look-ups revisit pages: a larger cache spares reading them again (TABLE_CHECK_CACHE_KIB).
  if (workerData.share.tables.length > 0) db.pragma('cache_size = -' + workerData.tableCacheKib);
  for (const t of workerData.share.tables) {
    if (!good) break;
    good = ok(db.pragma('integrity_check(' + JSON.stringify(t) + ')'));
  }
} catch (err) {
  good = false;
} finally {
  try { if (db) db.close(); } catch {}
  tell(good ? ${OK} : ${NOT_OK});
  parentPort.postMessage({ ok: good });
}
`;

/**
 * The page cache the table checks share, in KiB, split over the workers that check tables. Each
 * table's `integrity_check` looks every row up in each of its indexes, and with the connection's
 * usual 64 MB the index pages of the records' table (seven indexes) were read again and again: on the
 * 50,000-device benchmark its check took 25.5–29.3 s (8.9–10.1 s of it in the kernel, reading pages),
 * against 20.9–22.6 s (3.9–4.0 s) with 256 MB; 512 MB and 1 GB gained nothing more
 * (docs/performance.md, "the table checks with a larger page cache"). 512 MB in all is 256 MB for
 * each of a two-core PC's two workers. A cache grows only as pages are read, so a clinic's file
 * uses what it needs, and it is freed when the worker ends.
 */
const TABLE_CHECK_CACHE_KIB = 512 * 1024;

const betterSqlite = () => createRequire(import.meta.url).resolve('better-sqlite3');

const tablesAndIndexes = query<{ name: string; virtual: number; indexes: number }>(
  `SELECT t.name, t.sql LIKE 'CREATE VIRTUAL%' AS virtual,
          (SELECT count(*) FROM sqlite_schema i WHERE i.type = 'index' AND i.tbl_name = t.name) AS indexes
   FROM sqlite_schema t WHERE t.type = 'table'`,
);

/** The tables whose check is more than quick_check's: those with an index, and virtual tables. */
function indexedTables(db: Database): { name: string; weight: number }[] {
  const rows = tablesAndIndexes.all({ db });
  const out: { name: string; weight: number }[] = [];
  for (const r of rows) {
    if (!r.virtual && r.indexes === 0) continue;
    let size = 1;
    if (!r.virtual) {
      try {
        // The largest rowid is a cheap guess at the row count (one seek); a table without rowid counts as small.
        size = builtQuery<{ n: number | null }>(`SELECT max(rowid) AS n FROM "${r.name.replace(/"/g, '""')}"`).get({ db })?.n ?? 1;
      } catch {
        size = 1;
      }
    }
    out.push({ name: r.name, weight: size * (r.indexes + 1) });
  }
  return out;
}

/** The shares for `workers` workers: the whole-file check in the first, the tables largest first each to the least loaded. */
function shares(db: Database, workers: number): Share[] {
  const tables = indexedTables(db).sort((a, b) => b.weight - a.weight);
  const total = tables.reduce((n, t) => n + t.weight, 0);
  const out = Array.from({ length: workers }, (_, i) => ({ share: { quick: i === 0, tables: [] as string[] }, load: 0 }));
  // quick_check reads every page once, with no index look-ups: about a table's share without its indexes.
  out[0]!.load = total / 4;
  for (const t of tables) {
    const least = out.reduce((a, b) => (b.load < a.load ? b : a));
    least.share.tables.push(t.name);
    least.load += t.weight;
  }
  return out.map((o) => o.share).filter((s) => s.quick || s.tables.length > 0);
}

/** How many workers: two at least (the audit checks run beside them), at most three. */
export function integrityWorkers(): number {
  return Math.min(3, Math.max(2, availableParallelism() - 1));
}

/**
 * How long `wait` gives a worker to start. One that could not start never says so in its signal
 * (its error comes through the event loop `wait` holds), so after this its part counts as not "ok"
 * and the caller checks in turn: slower, never wrong.
 */
const START_WAIT_MS = 10_000;

export interface IntegrityRun {
  /** Resolves when every worker has answered (not ok when any part is not "ok", or a worker failed). */
  done: Promise<IntegrityParts>;
  /**
   * The same answer, waited for without the event loop (Atomics.wait on each worker's signal), for
   * a caller that is synchronous (a backup's check, backup/inspect.ts). Not ok where this thread
   * may not block, or a worker did not start in time.
   */
  wait(): IntegrityParts;
  /** Ends the workers still running (the caller gave up, or has its answer). */
  stop(): void;
}

/** Starts the split check on the file `db` has open. `db` is only read for the list of tables. */
export function startIntegrityParts(
  db: Database,
  options: { file: string; nativeBinding?: string | undefined; workers?: number | undefined },
): IntegrityRun {
  let module: string;
  let plan: Share[];
  try {
    module = betterSqlite();
    plan = shares(db, options.workers ?? integrityWorkers());
  } catch {
    return { done: Promise.resolve({ ok: false }), wait: () => ({ ok: false }), stop: () => undefined };
  }
  const tableCacheKib = Math.floor(TABLE_CHECK_CACHE_KIB / Math.max(1, plan.filter((p) => p.tables.length > 0).length));
  const workers: Worker[] = [];
  // One per part; null for a worker that could not be made.
  const signals: (Int32Array | null)[] = [];
  const runs = plan.map(
    (share) =>
      new Promise<boolean>((resolve) => {
        let worker: Worker;
        const signal = new SharedArrayBuffer(4);
        try {
          worker = new Worker(WORKER, {
            eval: true,
            workerData: { module, file: options.file, nativeBinding: options.nativeBinding, share, signal, tableCacheKib },
          });
        } catch {
          signals.push(null);
          resolve(false);
          return;
        }
        signals.push(new Int32Array(signal));
        workers.push(worker);
        // The first of these settles it: an answer, an error, or an exit without an answer.
        worker.once('message', (m: { ok?: unknown }) => resolve(m.ok === true));
        worker.once('error', () => resolve(false));
        worker.once('exit', () => resolve(false));
      }),
  );
  return {
    done: Promise.all(runs).then((oks) => ({ ok: oks.every(Boolean) })),
    wait: () => {
      try {
        for (const signal of signals) {
          if (!signal) return { ok: false };
          if (Atomics.wait(signal, 0, 0, START_WAIT_MS) === 'timed-out') return { ok: false };
          // Started: its code ends in a `finally` that always answers.
          while (Atomics.load(signal, 0) === STARTED) Atomics.wait(signal, 0, STARTED);
          if (Atomics.load(signal, 0) !== OK) return { ok: false };
        }
        return { ok: true };
      } catch {
        // Atomics.wait refused on this thread: checked in turn instead.
        return { ok: false };
      }
    },
    stop: () => {
      for (const w of workers) void w.terminate();
    },
  };
}
