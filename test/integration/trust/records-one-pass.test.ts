import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DB_FILE } from '../../../main/core/db/open';
import { fullHealth } from '../../../main/core/health';
import { checkPermanentRows } from '../../../main/core/permanent/check';
import { keysHeldTwice, moveRowLast, recordsOfEveryKind, rehashFrom, seqOf, skewIndex, swapEntries, tamperEveryWay, tamperedCopy } from './helpers';

/**
 * Issue 17: `wardkeep verify` checks the chain and the records in one pass over the trail. What
 * it says of the records must be what the records walk alone says (checkPermanentRows with no help
 * from the chain: every row joined to its entries, every entry searched for its row), finding for
 * finding, in the same order and words, on a database tampered with in several ways at once: with
 * the chain hashed again to hide it (so the pass runs to its end), left broken, and with an index
 * skewed so the integrity check fails too.
 */

/** verify's records findings and lines, against the records walk alone on the same file. */
async function compare(dir: string) {
  const file = path.join(dir, DB_FILE);
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    const alone = checkPermanentRows(db);
    const inTurn = await fullHealth(db);
    const split = await fullHealth(db, undefined, { file, workers: 2 });
    const aloneLines = alone.findings.map((f) => `Records: ${f.message}`);
    for (const health of [inTurn, split]) {
      expect(health.rows).toEqual(alone);
      expect(health.problems.filter((p) => p.startsWith('Records: '))).toEqual(aloneLines);
    }
    expect(split).toEqual(inTurn);
    return { alone, health: inTurn };
  } finally {
    db.close();
  }
}

describe("verify's one pass over the trail finds what the records walk alone finds", () => {
  it('on a database tampered with every way at once, its chain hashed again, left broken, or its file failing the integrity check', async () => {
    const { file, ids } = await recordsOfEveryKind();

    const untouched = await compare(path.dirname(file));
    expect(untouched.health.ok).toBe(true);
    expect(untouched.alone.rows).toBeGreaterThan(15);

    const expected = [
      `Completion ${ids.cleaning} was changed outside Wardkeep: notes is empty in the database, but audit entry`,
      `Reading 2 of completion ${ids.calibration} was changed outside Wardkeep: as_found is 100 in the database`,
      `Checklist result 2 of completion ${ids.inspection}: no audit entry records it`,
      `Stock transaction ${ids.transaction}, recorded by audit entry`,
      'Procedure version 01990000-0000-7000-8000-000000000044: no audit entry records it',
    ];
    const findsEach = (lines: string[]) => {
      for (const e of expected) expect(lines.some((l) => l.includes(e)), e).toBe(true);
    };

    // The chain hashed again from its start: the pass runs over the whole trail.
    const hidden = await compare(
      tamperedCopy(file, (db) => {
        tamperEveryWay(db, ids);
        rehashFrom(db, 1);
      }),
    );
    expect(hidden.health.audit.ok).toBe(true);
    expect(hidden.alone.findings).toHaveLength(expected.length);
    findsEach(hidden.alone.findings.map((f) => f.message));

    // Only the order changed, the chain hashed again: nothing to find, every row counted (the
    // permanent-row triggers are gone from the copy: verify says that, and only that).
    const reordered = await compare(
      tamperedCopy(file, (db) => {
        db.pragma('foreign_keys = OFF');
        swapEntries(db, seqOf(db, 'completion_step', `${ids.inspection}/1`), seqOf(db, 'completion_step', `${ids.inspection}/3`));
        moveRowLast(db, 'completions', 'id = ?', ids.calibration);
        moveRowLast(db, 'completion_readings', 'completion_id = ? AND position = 1', ids.calibration);
        rehashFrom(db, 1);
      }),
    );
    expect(reordered.alone.ok).toBe(true);
    expect(reordered.health.audit.ok).toBe(true);
    expect(reordered.alone.rows).toBe(untouched.alone.rows);

    // The chain left broken: the records are walked alone, as before.
    const broken = await compare(tamperedCopy(file, (db) => tamperEveryWay(db, ids)));
    expect(broken.health.audit.ok).toBe(false);
    findsEach(broken.alone.findings.map((f) => f.message));

    // The chain hashed again, but the file fails its integrity check.
    const damaged = await compare(
      tamperedCopy(file, (db) => {
        tamperEveryWay(db, ids);
        rehashFrom(db, 1);
        skewIndex(db);
      }),
    );
    expect(damaged.health.integrityOk).toBe(false);
    findsEach(damaged.alone.findings.map((f) => f.message));

    // A key held twice under its unique index, the chain hashed again: the integrity check fails,
    // and the walk must not take the chain's counts (they match the rows joined, a reading deleted).
    const twice = await compare(tamperedCopy(file, (db) => keysHeldTwice(db, ids)));
    expect(twice.health.integrityOk).toBe(false);
    expect(twice.health.audit.ok).toBe(true);
    expect(twice.alone.findings.some((f) => f.message.startsWith(`Reading 3 of completion ${ids.calibration}, recorded by audit entry`))).toBe(true);
  });
});
