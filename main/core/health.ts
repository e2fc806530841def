import type { Database } from 'better-sqlite3';
import { verifyAuditChain } from './audit';
import { DatabaseDamagedError } from './errors';
import { migration0006 } from './migrations/0006-trust';
import type { RowCheck } from './permanent/check';
import { checkPermanentRows } from './permanent/check';

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

export interface FullHealthReport extends HealthReport {
  integrityOk: boolean;
  audit: { entries: number; ok: boolean; seq: number | null };
  /** Permanent rows against the audit entries that cover them; null before they were bound (schema version 5 and older). */
  rows: RowCheck | null;
}

/** Rows are bound to the trail from this schema version on (older backups hold unbound rows). */
export const ROWS_BOUND_SINCE = migration0006.version;

/** The permanent-row check, for a database whose rows are bound; null for an older one. */
export function rowCheckOf(db: Database): RowCheck | null {
  const version = db.pragma('user_version', { simple: true }) as number;
  return version >= ROWS_BOUND_SINCE ? checkPermanentRows(db) : null;
}

/** `wardkeep verify`: the full integrity check, foreign keys, and the audit trail's hash chain. */
export function fullHealth(db: Database): FullHealthReport {
  const problems: string[] = [];
  let integrityOk = true;
  try {
    const lines = firstLines(db.pragma('integrity_check') as unknown[]);
    if (!(lines.length === 1 && lines[0] === 'ok')) {
      integrityOk = false;
      problems.push(...lines.map((l) => `Database integrity: ${l}`));
    }
    const fk = db.pragma('foreign_key_check') as unknown[];
    if (fk.length > 0) {
      integrityOk = false;
      problems.push(`Database integrity: ${fk.length} row(s) point at records that do not exist.`);
    }
  } catch (err) {
    if (!isDamageError(err)) throw err;
    integrityOk = false;
    problems.push(`Database integrity: ${(err as Error).message}`);
  }
  let audit: FullHealthReport['audit'] = { entries: 0, ok: false, seq: null };
  let rows: RowCheck | null = null;
  try {
    const chain = verifyAuditChain(db);
    audit = { entries: chain.entries, ok: chain.ok, seq: chain.ok ? null : chain.seq };
    if (!chain.ok) problems.push(`Audit trail: ${chain.message}.`);
    rows = rowCheckOf(db);
    if (rows) {
      problems.push(...rows.findings.map((f) => `Records: ${f.message}`));
      if (rows.more > 0) problems.push(`Records: ${rows.more} more problem${rows.more === 1 ? '' : 's'} like these.`);
    }
  } catch (err) {
    if (!isDamageError(err)) throw err;
    problems.push(`Audit trail: it could not be read (${(err as Error).message}).`);
  }
  return { ok: problems.length === 0, problems, integrityOk, audit, rows };
}
