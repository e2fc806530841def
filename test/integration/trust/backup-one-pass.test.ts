import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { checkBackupAnchor } from '../../../main/core/anchors/backup-anchor';
import { verifyAuditChain } from '../../../main/core/audit';
import { checkOpenDatabase, inspectDatabaseFile } from '../../../main/core/backup/inspect';
import { backupNativeBinding } from '../../../main/core/backup/sqlite';
import { DB_FILE } from '../../../main/core/db/open';
import { triggerProblems } from '../../../main/core/db/schema-guard';
import { rowCheckOf } from '../../../main/core/health';
import { recordsPass } from '../../../main/core/permanent/check';
import { userTrailProblems } from '../../../main/core/users/trail-check';
import type { Db } from './helpers';
import { keysHeldTwice, recordsOfEveryKind, rehashFrom, seqOf, skewIndex, tamperEveryWay, tamperedCopy } from './helpers';

/**
 * Issue 17: a backup's check (backup/inspect.ts checkOpenDatabase: a backup before it is kept, a
 * restore, a recovery, the Backups screen) checks the chain and the records in one pass over the
 * trail, as `wardkeep verify` does. What it says must be what it said before, sentence for sentence
 * and in the same order, on any file: the answer below is composed as checkOpenDatabase composed it
 * before, with the records walked alone (rowCheckOf with no help from the chain). Files: tampered with
 * every way at once, the chain hashed again (the pass runs to its end), left broken, an index skewed
 * so the integrity check fails, and a key held twice under its unique index (which quick_check does
 * not see, and the pass would take at its index's word); each with `quick` and without, and with the
 * whole integrity check split over worker threads beside the walk (as on a file of 32 MiB or more).
 */
function checkedAsBefore(db: Db, options: { quick: boolean; backup: boolean }): { problems: string[]; auditEntries: number } {
  const problems: string[] = [];
  const lines = (db.pragma(options.quick ? 'quick_check' : 'integrity_check') as Record<string, string>[]).map((r) => Object.values(r)[0] ?? '');
  if (!(lines.length === 1 && lines[0] === 'ok')) problems.push(...lines.slice(0, 5).map((l) => `Database integrity: ${l}`));
  const chain = verifyAuditChain(db);
  if (!chain.ok) problems.push(`Audit trail: ${chain.message}.`);
  const rows = rowCheckOf(db);
  if (rows) problems.push(...rows.findings.map((f) => `Records: ${f.message}`));
  problems.push(...checkBackupAnchor(db, null, { madeByWardkeep: options.backup }).findings.map((f) => `Anchor: ${f}`));
  if (options.backup) {
    problems.push(...userTrailProblems(db).map((p) => `Users: ${p}`));
    problems.push(...triggerProblems(db, backupNativeBinding()).map((p) => `Database: ${p}`));
  }
  return { problems, auditEntries: chain.entries };
}

/** The check now, on the open database and on the file, against the check as before; with `quick` and without, as a backup and not. */
function compare(dir: string) {
  const file = path.join(dir, DB_FILE);
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    const before: Record<string, string[]> = {};
    for (const quick of [false, true]) {
      for (const backup of [false, true]) {
        const expected = checkedAsBefore(db, { quick, backup });
        const now = checkOpenDatabase(db, { quick, backup });
        expect(now.problems, `quick ${quick}, backup ${backup}`).toEqual(expected.problems);
        expect(now.auditEntries).toBe(expected.auditEntries);
        expect(now.ok).toBe(expected.problems.length === 0);
        expect(inspectDatabaseFile(file, { quick, backup }).problems, `file, quick ${quick}, backup ${backup}`).toEqual(expected.problems);
        // The whole integrity check split over worker threads beside the walk, as on a large file.
        const split = inspectDatabaseFile(file, { quick, backup, splitFrom: 0 });
        expect(split.problems, `file split, quick ${quick}, backup ${backup}`).toEqual(expected.problems);
        expect(split.auditEntries).toBe(expected.auditEntries);
        before[`${quick ? 'quick' : 'full'}${backup ? ' backup' : ''}`] = expected.problems;
      }
    }
    // What the one pass says when let run whatever the file (the check's fallbacks left out).
    const counts = new Map<string, number>();
    const pass = recordsPass(db);
    const chain = verifyAuditChain(db, undefined, { counts, each: pass.entry });
    const whole = chain.ok ? pass.finish() : undefined;
    pass.stop();
    const trusted = { chain, whole, rows: rowCheckOf(db, undefined, chain.ok ? counts : undefined, whole) };
    return { before, trusted, records: (problems: string[]) => problems.filter((p) => p.startsWith('Records: ')) };
  } finally {
    db.close();
  }
}

describe("a backup's check in one pass over the trail says what it said before", () => {
  it('on files tampered with every way at once, the chain hashed again or broken, failing the integrity check, or holding a key twice; quick or not', async () => {
    const { file, ids } = await recordsOfEveryKind();

    const untouched = compare(path.dirname(file));
    expect(untouched.before['full']).toEqual([]);
    expect(untouched.trusted.whole?.size).toBeGreaterThan(3);

    // The chain hashed again: the pass runs over the whole trail and finds some tables whole.
    const hidden = compare(
      tamperedCopy(file, (db) => {
        tamperEveryWay(db, ids);
        rehashFrom(db, 1);
      }),
    );
    expect(hidden.records(hidden.before['full']!)).toHaveLength(5);
    expect(hidden.trusted.chain.ok).toBe(true);
    expect(hidden.trusted.whole?.size).toBeGreaterThan(0);

    // The chain left broken: no table is whole, the records are walked.
    const broken = compare(tamperedCopy(file, (db) => tamperEveryWay(db, ids)));
    expect(broken.before['full']!.some((p) => p.startsWith('Audit trail: '))).toBe(true);
    expect(broken.trusted.whole).toBeUndefined();

    // The chain broken at the entry of the last status change, whose row is deleted: every row of
    // the table was read with its entry before the break, yet the walk must still search for its row.
    const brokenLate = compare(
      tamperedCopy(file, (db) => {
        const last = String(db.prepare('SELECT id FROM status_changes ORDER BY rowid DESC LIMIT 1').pluck().get());
        db.prepare('DELETE FROM status_changes WHERE id = ?').run(last);
        db.prepare("UPDATE audit_log SET actor_name = actor_name || ' ' WHERE seq = ?").run(seqOf(db, 'status_change', last));
      }),
    );
    expect(brokenLate.trusted.chain.ok).toBe(false);
    expect(brokenLate.records(brokenLate.before['full']!)[0]).toMatch(/^Records: Status change .*, recorded by audit entry \d+, is not in the database/);

    // An index skewed: the full check fails, quick_check does not.
    const skewed = compare(
      tamperedCopy(file, (db) => {
        tamperEveryWay(db, ids);
        rehashFrom(db, 1);
        skewIndex(db);
      }),
    );
    expect(skewed.before['full']![0]).toMatch(/^Database integrity: /);
    expect(skewed.before['quick']![0]).toMatch(/^Records: /);

    // A key held twice: only the full check sees it; the pass and the counts, trusted, would miss what the walk finds.
    const twice = compare(tamperedCopy(file, (db) => keysHeldTwice(db, ids)));
    expect(twice.before['full']![0]).toMatch(/^Database integrity: /);
    const found = twice.records(twice.before['quick']!);
    expect(found).toEqual(twice.records(twice.before['full']!));
    expect(found.some((p) => p.startsWith(`Records: Checklist result 2 of completion ${ids.inspection} was changed outside Wardkeep: result is`))).toBe(true);
    expect(found.some((p) => p.startsWith(`Records: Reading 3 of completion ${ids.calibration}, recorded by audit entry`))).toBe(true);
    expect(twice.trusted.rows!.findings.map((f) => `Records: ${f.message}`)).not.toEqual(found);
  });
});
