import type { Database } from 'better-sqlite3';
import type { ChainCheck } from './audit';
import { verifyAuditChain } from './audit';
import { readTableEdges } from './db/fast-check';
import { startIntegrityParts } from './db/integrity';
import { triggerProblems } from './db/schema-guard';
import { userTrailProblems } from './users/trail-check';
import { DatabaseDamagedError } from './errors';
import { scalar } from './sql/query';
import { migration0006 } from './migrations/0006-trust';
import type { RowCheck } from './permanent/check';
import { checkPermanentRows, permanentRowCount, recordsPass } from './permanent/check';
import { captureProblems } from './sync/capture';
import type { FiguresCheck } from './stock/figures-check';
import { checkStockFigures, stockMovementCount } from './stock/figures-check';

export interface HealthReport {
  ok: boolean;
  /** Plain sentences, one per problem (at most a few from SQLite's own list). */
  problems: string[];
}

const firstLines = (rows: unknown[]): string[] => rows.map((r) => String(Object.values(r as Record<string, unknown>)[0] ?? ''));

/** SQLite's error codes for a file that is damaged or not a database at all. */
export function isDamageError(err: unknown): boolean {
  if (err instanceof DatabaseDamagedError) return true;
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB');
}

/**
 * The start-up check: `PRAGMA quick_check` reads every page and checks the structure of the
 * b-trees without the slower cross-checks of indexes, so a damaged file is found before anyone
 * works on it. A damaged file can also make the check itself fail: that counts as damage.
 */
export function quickHealth(db: Database): HealthReport {
  try {
    const lines = firstLines(db.pragma('quick_check') as unknown[]);
    if (lines.length === 1 && lines[0] === 'ok') return { ok: true, problems: [] };
    return { ok: false, problems: lines.slice(0, 5).map((l) => `Database integrity: ${l}`) };
  } catch (err) {
    if (isDamageError(err)) return { ok: false, problems: [`Database integrity: ${(err as Error).message}`] };
    throw err;
  }
}

/**
 * Up to this size the whole `quick_check` runs before the window (it reads every page: about 0.15 s
 * for 64 MB here); a bigger database gets the fast check, and its `quick_check` in the worker.
 */
export const QUICK_CHECK_BEFORE_WINDOW_MAX_BYTES = 64 * 2 ** 20;

export function databaseBytes(db: Database): number {
  return (db.pragma('page_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number);
}

/**
 * The check before the window (issue 17): whole on a small database; on a big one, the schema and
 * each table's edges (readTableEdges), so start-up does not grow with the history. What it leaves
 * is the worker's deep check (system/startup-checks.ts).
 */
export function startHealth(db: Database, options: { wholeUpTo?: number } = {}): HealthReport & { whole: boolean } {
  if (databaseBytes(db) <= (options.wholeUpTo ?? QUICK_CHECK_BEFORE_WINDOW_MAX_BYTES)) return { ...quickHealth(db), whole: true };
  try {
    readTableEdges(db);
    return { ok: true, problems: [], whole: false };
  } catch (err) {
    if (isDamageError(err)) return { ok: false, problems: [`Database integrity: ${(err as Error).message}`], whole: false };
    throw err;
  }
}

const lastSeq = scalar<number | null>('SELECT max(seq) FROM audit_log');

/** How far `wardkeep verify` has got: the step, and within it how much of how much (bytes, entries). */
export interface CheckProgress {
  phase: 'integrity' | 'chain' | 'records' | 'stock' | 'checked';
  done: number;
  total: number;
}

export interface FullHealthReport extends HealthReport {
  integrityOk: boolean;
  /** `chains`: how many chains the trail holds (every PC's, in a hub; one more per restore). */
  audit: { entries: number; chains: number; ok: boolean; seq: number | null };
  /** Permanent rows against the audit entries that cover them; null before they were bound (schema version 5 and older). */
  rows: RowCheck | null;
  /** Every stock figure against a whole replay of its movements (stock/figures-check.ts); null when they could not be read, or the file is damaged. */
  stock: FiguresCheck | null;
}

/** Rows are bound to the trail from this schema version on (older backups hold unbound rows). */
export const ROWS_BOUND_SINCE = migration0006.version;

/**
 * The permanent-row check, for a database whose rows are bound; null for an older one. `whole`:
 * the tables the chain's walk found whole on the way (permanent/check.ts recordsPass).
 */
export function rowCheckOf(
  db: Database,
  onProgress?: (rows: number) => void,
  entryCounts?: ReadonlyMap<string, number>,
  whole?: ReadonlyMap<string, number>,
): RowCheck | null {
  const version = db.pragma('user_version', { simple: true }) as number;
  return version >= ROWS_BOUND_SINCE
    ? checkPermanentRows(db, { ...(onProgress ? { onProgress } : {}), ...(entryCounts ? { entryCounts } : {}), ...(whole ? { whole } : {}) })
    : null;
}

/** The records' lines of the report. */
function rowLines(rows: RowCheck): string[] {
  const lines = rows.findings.map((f) => `Records: ${f.message}`);
  if (rows.more > 0) lines.push(`Records: ${rows.more} more problem${rows.more === 1 ? '' : 's'} like these.`);
  return lines;
}

/**
 * The audit chain and the permanent records in one pass over the trail (issue 17), for `wardkeep
 * verify` (fullHealth) and a backup's check (backup/inspect.ts): the chain's walk counts the entries
 * of each kind and hands each to the records' pass (permanent/check.ts recordsPass), so the records
 * check need not read the trail again; a table the pass found whole is counted, not walked.
 *
 * Only a whole chain says which tables are whole (a walk stopped at a broken link did not see every
 * entry), and only a whole chain's counts are passed on (they spare the walk the search for
 * entries whose row is gone). `keysVouched`: whether the pass and the counts may help at all; both
 * take each key's uniqueness from its unique index, so not on a file whose integrity check failed
 * (or that had none that checks it: quick_check does not check UNIQUE).
 * `onChain` is told the chain's answer before the records are read; `onRecords` how many records
 * the walk will read (those found whole left out), and what it returns how far it has got.
 */
export function checkChainAndRecords(
  db: Database,
  options: {
    keysVouched: boolean;
    onEntries?: (done: number) => void;
    onChain?: (chain: ChainCheck) => void;
    onRecords?: (total: number) => (done: number) => void;
  },
): { chain: ChainCheck; rows: RowCheck | null } {
  const bound = (db.pragma('user_version', { simple: true }) as number) >= ROWS_BOUND_SINCE;
  const counts = new Map<string, number>();
  let whole: Map<string, number> | undefined;
  let pass: ReturnType<typeof recordsPass> | null = null;
  try {
    if (bound && options.keysVouched) pass = recordsPass(db);
  } catch {
    // A table it cannot read (a file Wardkeep did not write): the walk meets it again, and says so as it always did.
    pass = null;
  }
  let chain: ChainCheck;
  try {
    chain = verifyAuditChain(db, options.onEntries, { counts, ...(pass ? { each: pass.entry } : {}) });
    if (pass && chain.ok) whole = pass.finish();
  } finally {
    pass?.stop();
  }
  options.onChain?.(chain);
  const progress = options.onRecords?.(bound ? permanentRowCount(db, whole) : 1);
  const rows = rowCheckOf(db, progress, chain.ok && options.keysVouched ? counts : undefined, whole);
  return { chain, rows };
}

/** The whole `integrity_check` and the foreign keys, on this connection: SQLite's own lines on damage. */
function wholeIntegrity(db: Database): { ok: boolean; problems: string[] } {
  const problems: string[] = [];
  let ok = true;
  try {
    const lines = firstLines(db.pragma('integrity_check') as unknown[]);
    if (!(lines.length === 1 && lines[0] === 'ok')) {
      ok = false;
      problems.push(...lines.map((l) => `Database integrity: ${l}`));
    }
    const fk = db.pragma('foreign_key_check') as unknown[];
    if (fk.length > 0) {
      ok = false;
      problems.push(`Database integrity: ${fk.length} row(s) point at records that do not exist.`);
    }
  } catch (err) {
    if (!isDamageError(err)) throw err;
    ok = false;
    problems.push(`Database integrity: ${(err as Error).message}`);
  }
  return { ok, problems };
}

/**
 * `wardkeep verify`: the full integrity check, foreign keys, the audit trail's hash chain, and
 * every stock figure against its movements. Given the file (`options.file`), the integrity check
 * runs in worker threads of its own while this thread checks the trail, the records and the stock
 * figures (db/integrity.ts), so the check takes about as long as
 * its longest part, not their sum; when a part there is not "ok", the whole check runs here after
 * all, so what is reported is as it always was. Without the file, everything runs here in turn.
 */
export async function fullHealth(
  db: Database,
  onProgress: (p: CheckProgress) => void = () => undefined,
  options: { file?: string; nativeBinding?: string | undefined; workers?: number } = {},
): Promise<FullHealthReport> {
  let bytes = 0;
  let unreadable: string | null = null;
  try {
    bytes = databaseBytes(db);
  } catch (err) {
    if (!isDamageError(err)) throw err;
    unreadable = (err as Error).message;
  }
  onProgress({ phase: 'integrity', done: 0, total: bytes });
  const parts = options.file && unreadable === null ? startIntegrityParts(db, { file: options.file, nativeBinding: options.nativeBinding, workers: options.workers }) : null;
  let integrity: { ok: boolean; problems: string[] } | null = null;
  if (!parts) integrity = unreadable === null ? wholeIntegrity(db) : { ok: false, problems: [`Database integrity: ${unreadable}`] };

  let trail: string[] = [];
  let trailRead = true;
  let audit: FullHealthReport['audit'] = { entries: 0, chains: 0, ok: false, seq: null };
  let rows: RowCheck | null = null;
  let stock: FiguresCheck | null = null;
  const stockProblems: string[] = [];
  // Whether the records' walk took help from the chain's walk: the tables it found whole, or its
  // counts of each kind of entry. Both take each key's uniqueness from its unique index.
  let helped = false;
  try {
    try {
      const total = lastSeq.get({ db }) ?? 0;
      onProgress({ phase: 'chain', done: 0, total });
      let broken: string | null = null;
      const checked = checkChainAndRecords(db, {
        // Not on a file whose integrity check failed (still running in the workers, it is not known yet: see below).
        keysVouched: integrity?.ok !== false,
        onEntries: (done) => onProgress({ phase: 'chain', done, total }),
        onChain: (chain) => {
          audit = { entries: chain.entries, chains: chain.chains, ok: chain.ok, seq: chain.ok ? null : chain.seq };
          broken = chain.ok ? null : chain.message;
        },
        onRecords: (records) => {
          onProgress({ phase: 'records', done: 0, total: records });
          if (broken !== null) trail.push(`Audit trail: ${broken}.`);
          return (done) => onProgress({ phase: 'records', done, total: records });
        },
      });
      helped = integrity?.ok !== false && checked.chain.ok;
      rows = checked.rows;
      if (rows) trail.push(...rowLines(rows));
    } catch (err) {
      if (!isDamageError(err)) throw err;
      trailRead = false;
      trail.push(`Audit trail: it could not be read (${(err as Error).message}).`);
    }
    // Stock figures against their movements, while the integrity check still runs beside.
    try {
      const total = stockMovementCount(db);
      onProgress({ phase: 'stock', done: 0, total });
      stock = checkStockFigures(db, { onProgress: (done) => onProgress({ phase: 'stock', done, total }) });
      stockProblems.push(...stock.findings.map((f) => `Stock: ${f.message}`));
      if (stock.more > 0) stockProblems.push(`Stock: ${stock.more} more figure${stock.more === 1 ? '' : 's'} like these.`);
    } catch (err) {
      if (!isDamageError(err)) throw err;
      stockProblems.push(`Stock: the stock figures could not be read (${(err as Error).message}).`);
    }
    if (parts) {
      // Still going: the progress says so again, counting from when it started.
      onProgress({ phase: 'integrity', done: 0, total: bytes });
      integrity = (await parts.done).ok ? { ok: true, problems: [] } : wholeIntegrity(db);
    }
  } finally {
    parts?.stop();
  }
  // The pass and the counts took each key's unique index at its word: on a file that fails its
  // check (a key held twice passes the index), the records are walked alone, as the walk alone
  // says of them (checkPermanentRows with no help from the chain).
  if (!integrity!.ok && helped && trailRead) {
    try {
      rows = rowCheckOf(db);
      trail = rows ? rowLines(rows) : [];
    } catch (err) {
      if (!isDamageError(err)) throw err;
      trailRead = false;
      rows = null;
      trail = [`Audit trail: it could not be read (${(err as Error).message}).`];
    }
  }
  const problems = [...integrity!.problems, ...trail];
  // A PC in a hub: change-counting triggers removed or altered outside Wardkeep (sync/capture.ts);
  // the triggers that make records permanent (db/schema-guard.ts); users' rights against the trail.
  if (trailRead && integrity!.ok) {
    try {
      problems.push(...triggerProblems(db, options.nativeBinding).map((p) => `Database: ${p}`));
      problems.push(...userTrailProblems(db).map((p) => `Users: ${p}`));
      problems.push(...captureProblems({ db }).map((p) => `Sync: ${p}`));
    } catch (err) {
      if (!isDamageError(err)) throw err;
      problems.push(`Audit trail: it could not be read (${(err as Error).message}).`);
    }
  }
  // Stock figures against their movements (stock/figures-check.ts): figures read from a damaged file say nothing.
  if (integrity!.ok) problems.push(...stockProblems);
  else stock = null;
  onProgress({ phase: 'checked', done: 1, total: 1 });
  return { ok: problems.length === 0, problems, integrityOk: integrity!.ok, audit, rows, stock };
}
