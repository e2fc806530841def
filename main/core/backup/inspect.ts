import { statSync } from 'node:fs';
import type { Database } from 'better-sqlite3';
import { checkBackupAnchor } from '../anchors/backup-anchor';
import { checkAgainstLog } from '../anchors/check';
import type { HeadLog } from '../anchors/head-log';
import type { KeyRing } from '../anchors/key';
import { checkChainAndRecords } from '../health';
import { type IntegrityParts, startIntegrityParts } from '../db/integrity';
import { APPLICATION_ID } from '../db/migrate';
import { triggerProblems } from '../db/schema-guard';
import { userTrailProblems } from '../users/trail-check';
import { LATEST_VERSION } from '../migrations';
import { query } from '../sql/query';
import type { AuditRow } from '../sql/rows';
import { backupNativeBinding, openFile } from './sqlite';

export interface DatabaseCheck {
  /** Integrity check and audit chain both pass, and the file is a Wardkeep database. */
  ok: boolean;
  /** Plain sentences, empty when ok. */
  problems: string[];
  schemaVersion: number | null;
  auditEntries: number;
  counts: { equipment: number; completions: number; users: number } | null;
  /** The newest audit entry's time: the last change the file holds. */
  lastChangeAt: string | null;
  sizeBytes: number;
  /** Older than this app (migrated before it is restored) or newer (refused). */
  compatibility: 'same' | 'older' | 'newer' | 'unknown';
}

const tableCounts = query<{ equipment: number; completions: number; users: number }>(
  'SELECT (SELECT count(*) FROM equipment) AS equipment, (SELECT count(*) FROM completions) AS completions, (SELECT count(*) FROM users) AS users',
);
// The newest entry of any chain: a database in a hub holds every PC's.
const lastEntry = query<Pick<AuditRow, 'at'>>('SELECT max(at) AS at FROM audit_log');

/** What a backup is checked against besides itself: this data folder's head log and keys. */
export interface BackupAnchors {
  log: HeadLog;
  ring: KeyRing;
}

export interface InspectOptions {
  quick?: boolean;
  anchors?: BackupAnchors | null;
  /** Without `anchors`: the keys to check the stored head's signature with, the head log left out (backup/checks.ts checks against it apart). */
  ring?: KeyRing | null;
  /** The file is a backup Wardkeep made (not a live database or one being prepared): it must hold its own head. */
  backup?: boolean;
  /**
   * Also what a restore would bring back that Wardkeep did not write, as `wardkeep verify` names it
   * (health.ts): users' rights against the audit trail (a role raised, a PIN hash copied onto
   * another account) and the triggers that make records permanent. On for a `backup`; a backup
   * being made asks for it too, so one that would be refused is not kept.
   */
  outsideEdits?: boolean;
  /** From what size of file its whole integrity check is split over worker threads (`SPLIT_FROM_BYTES` unless said). */
  splitFrom?: number;
}

/**
 * Checks an open database: SQLite's integrity check (or the quicker one), the audit chain and its
 * permanent rows against their entries (in one pass over the trail when the whole integrity check
 * passed), the head it stored when it was made, and, given the anchors, the head log (a backup
 * made of a rewritten trail, or edited since, is not restored); for a backup, its users and
 * triggers too (`outsideEdits`).
 */
export function checkOpenDatabase(db: Database, options: InspectOptions = {}): Omit<DatabaseCheck, 'sizeBytes'> {
  return checkDatabase(db, options, null);
}

/**
 * From this size a file's whole integrity check is split over worker threads beside the trail's
 * walk (db/integrity.ts), as `wardkeep verify`'s is; below it, starting the threads costs about
 * what they save.
 */
const SPLIT_FROM_BYTES = 32 * 1024 * 1024;

/**
 * `checkOpenDatabase`; given the file `db` has open (`split`), a whole integrity check runs in
 * worker threads while this thread walks the trail, so the check takes about as long as the longer
 * of the two, not their sum (issue 17). The walk then takes the keys' uniqueness on trust before the
 * check has said "ok"; so when a part is not "ok" (or the threads could not run), everything is
 * checked again in turn, as without `split`, and that is what is said: on a damaged file, exactly
 * what the check in turn says.
 */
function checkDatabase(db: Database, options: InspectOptions, split: { file: string } | null): Omit<DatabaseCheck, 'sizeBytes'> {
  const version = db.pragma('user_version', { simple: true }) as number;
  const appId = db.pragma('application_id', { simple: true }) as number;
  if (appId !== APPLICATION_ID) {
    return { ok: false, problems: ['The file is not a Wardkeep database.'], schemaVersion: null, auditEntries: 0, counts: null, lastChangeAt: null, compatibility: 'unknown' };
  }
  const compatibility = version === LATEST_VERSION ? 'same' : version < LATEST_VERSION ? 'older' : 'newer';
  const checked = (integrity: string[], rest: TrailAndRest) => {
    const problems = [...integrity, ...rest.problems];
    return { ok: problems.length === 0, problems, schemaVersion: version, auditEntries: rest.auditEntries, counts: rest.counts, lastChangeAt: rest.lastChangeAt, compatibility } as const;
  };
  if (split && !options.quick) {
    const parts = startIntegrityParts(db, { file: split.file, nativeBinding: backupNativeBinding() });
    let rest: TrailAndRest;
    let whole: IntegrityParts;
    try {
      rest = trailAndRest(db, options, true);
    } finally {
      whole = parts.wait();
      parts.stop();
    }
    if (whole.ok) return checked([], rest);
  }
  const pragma = options.quick ? 'quick_check' : 'integrity_check';
  const rows = db.pragma(pragma) as Record<string, string>[];
  const lines = rows.map((r) => Object.values(r)[0] ?? '');
  const intact = lines.length === 1 && lines[0] === 'ok';
  // The chain and the records in one pass over the trail (health.ts checkChainAndRecords), as
  // `wardkeep verify` checks them. The pass and the entries' counts take each key's uniqueness
  // from its unique index: only the whole integrity check vouches for that (quick_check does not
  // check UNIQUE), so otherwise the records are walked as they were before, and say the same.
  return checked(intact ? [] : lines.slice(0, 5).map((l) => `Database integrity: ${l}`), trailAndRest(db, options, intact && !options.quick));
}

interface TrailAndRest {
  problems: string[];
  auditEntries: number;
  counts: DatabaseCheck['counts'];
  lastChangeAt: string | null;
}

/** Everything after SQLite's own check: the trail, the records, the anchors, what was edited outside Wardkeep, the counts. */
function trailAndRest(db: Database, options: InspectOptions, keysVouched: boolean): TrailAndRest {
  const problems: string[] = [];
  let auditEntries = 0;
  let counts: DatabaseCheck['counts'] = null;
  let lastChangeAt: string | null = null;
  try {
    const { rows } = checkChainAndRecords(db, {
      keysVouched,
      onChain: (chain) => {
        auditEntries = chain.entries;
        if (!chain.ok) problems.push(`Audit trail: ${chain.message}.`);
      },
    });
    if (rows) problems.push(...rows.findings.map((f) => `Records: ${f.message}`));
    problems.push(...checkBackupAnchor(db, options.anchors?.ring ?? options.ring ?? null, { madeByWardkeep: options.backup === true }).findings.map((f) => `Anchor: ${f}`));
    if (options.anchors) problems.push(...logProblems(db, options.anchors));
    // After the trail's and the anchors' findings: an edit to the records drops a trigger first, and the edit is what to name.
    if (options.outsideEdits ?? options.backup === true) problems.push(...outsideEdits(db));
    counts = { ...tableCounts.get({ db })! };
    lastChangeAt = lastEntry.get({ db })?.at ?? null;
  } catch (err) {
    problems.push(`The file could not be read: ${(err as Error).message}`);
  }
  return { problems, auditEntries, counts, lastChangeAt };
}

/**
 * The users table and the triggers against what Wardkeep wrote: the users (and their entries in the
 * trail) and the triggers only, never the records, so the cost grows with the users, not the history.
 */
const outsideEdits = (db: Database) => [
  ...userTrailProblems(db).map((p) => `Users: ${p}`),
  ...triggerProblems(db, backupNativeBinding()).map((p) => `Database: ${p}`),
];

const logProblems = (db: Database, anchors: BackupAnchors) => checkAgainstLog(db, anchors.log, anchors.ring, { backup: true }).findings.map((f) => `Anchor: ${f}`);

/**
 * A backup against the head log only: the problems `inspectDatabaseFile` with `anchors` adds to
 * its own check (backup/checks.ts keeps the two apart: the log changes at every commit, the file does not).
 */
export function inspectAgainstLog(file: string, anchors: BackupAnchors): string[] {
  let db: Database | null = null;
  try {
    db = openFile(file, { readonly: true });
    return logProblems(db, anchors);
  } catch (err) {
    return [`The file could not be read: ${(err as Error).message}`];
  } finally {
    db?.close();
  }
}

/**
 * A look at a backup that reads a few pages, not the file: a Wardkeep database as long as its
 * header says (not cut short), ending on the head it stored, signed with a key of `ring`, with its
 * users and triggers as Wardkeep wrote them (these read the users and the schema, not the records).
 * For the schedule (backup/checks.ts backupCounts); a restore checks in full.
 */
export function inspectBackupQuickly(file: string, ring: KeyRing | null): boolean {
  let db: Database | null = null;
  try {
    const size = statSync(file).size;
    db = openFile(file, { readonly: true });
    if (db.pragma('application_id', { simple: true }) !== APPLICATION_ID) return false;
    const pages = db.pragma('page_count', { simple: true }) as number;
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    if (pages * pageSize !== size) return false;
    return checkBackupAnchor(db, ring, { madeByWardkeep: true }).findings.length === 0 && outsideEdits(db).length === 0;
  } catch {
    return false;
  } finally {
    db?.close();
  }
}

/** Opens a database file read-only and checks it; never throws for a damaged or foreign file. */
export function inspectDatabaseFile(file: string, options: InspectOptions = {}): DatabaseCheck {
  let sizeBytes = 0;
  try {
    sizeBytes = statSync(file).size;
  } catch {
    return { ok: false, problems: ['The file does not exist or cannot be read.'], schemaVersion: null, auditEntries: 0, counts: null, lastChangeAt: null, sizeBytes, compatibility: 'unknown' };
  }
  let db: Database | null = null;
  try {
    db = openFile(file, { readonly: true });
    return { ...checkDatabase(db, options, sizeBytes >= (options.splitFrom ?? SPLIT_FROM_BYTES) ? { file } : null), sizeBytes };
  } catch (err) {
    return {
      ok: false,
      problems: [`The file is damaged or not a database: ${(err as Error).message}`],
      schemaVersion: null,
      auditEntries: 0,
      counts: null,
      lastChangeAt: null,
      sizeBytes,
      compatibility: 'unknown',
    };
  } finally {
    db?.close();
  }
}
