import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DB_FILE } from '../../../main/core/db/open';
import { fullHealth } from '../../../main/core/health';
import { checkPermanentRows } from '../../../main/core/permanent/check';
import { calibratedAndCleaned, rehashFrom, tamperedCopy } from './helpers';

/**
 * Issue 17: `wardkeep verify` checks the chain and the records in one pass over the trail. What
 * it says of the records must be what the records walk alone says (checkPermanentRows with no help
 * from the chain: every row joined to its entries, every entry searched for its row), finding for
 * finding, in the same order and words, on a database tampered with in several ways at once: with
 * the chain hashed again to hide it (so the pass runs to its end), left broken, and with an index
 * skewed so the integrity check fails too.
 */
async function recordsOfEveryKind() {
  const { w, calibration, cleaning } = await calibratedAndCleaned();
  const checklist = await w.call('procedures.save', {
    owner: { kind: 'category', categoryId: w.pumps.id },
    task: 'inspection',
    definition: { kind: 'checklist', steps: [{ text: 'Casing intact' }, { text: 'Alarm sounds' }, { text: 'Battery holds charge' }] },
  });
  const plan = await w.call('plans.create', { equipmentId: w.pump.id, task: 'inspection', every: '6m', startDate: '2026-11-01' });
  const inspection = await w.as(w.tom)('completions.log', {
    planId: plan.id,
    result: { kind: 'checklist', procedureId: checklist.id, steps: [{ result: 'pass' }, { result: 'fail' }, { result: 'pass' }] },
    secret: '1357',
  });
  const cart = await w.call('stock.locations.create', { name: 'Crash cart', kind: 'crash_cart', locationId: w.site.id });
  const pads = await w.call('stock.items.create', { name: 'Defibrillator pads', code: 'PAD-1', unit: 'pair' });
  await w.call('stock.levels.set', { stockLocationId: cart.id, itemId: pads.id, par: 4, minimum: 2 });
  await w.call('stock.restock', { stockLocationId: cart.id, itemId: pads.id, quantity: 4, lot: 'L-1', expiresOn: '2027-12-31' });
  await w.call('stock.restock', { stockLocationId: cart.id, itemId: pads.id, quantity: 2, lot: 'L-2', expiresOn: '2028-06-30' });
  await w.call('equipment.setStatus', { id: w.analyser.id, status: 'out_of_service', reason: 'Dropped on the bench' });
  await w.as(w.tom)('workOrders.report', { equipmentId: w.pump.id, problem: 'Cracked casing', takeOutOfUse: true, secret: '1357' });
  const file = w.core.file;
  const db = w.core.db;
  const one = (sql: string, ...args: unknown[]) => String(db.prepare(sql).pluck().get(...args));
  const ids = {
    calibration: calibration.id,
    cleaning: cleaning.id,
    inspection: inspection.id,
    transaction: one("SELECT id FROM stock_transactions WHERE kind = 'restock' ORDER BY rowid LIMIT 1"),
    procedure: checklist.id,
    statusChange: one('SELECT id FROM status_changes ORDER BY rowid LIMIT 1'),
  };
  w.core.close();
  return { file, ids };
}

type Db = BetterSqlite3.Database;
const seqOf = (db: Db, entity: string, entityId: string) =>
  Number(db.prepare("SELECT seq FROM audit_log WHERE entity = ? AND entity_id = ? AND action IN ('create', 'bind', 'restock')").pluck().get(entity, entityId));

/** Entry `seq` gone, and the ones after it moved up, so that on its own the chain would not say so. */
function deleteEntry(db: Db, seq: number): void {
  const last = Number(db.prepare('SELECT max(seq) FROM audit_log').pluck().get());
  db.prepare('DELETE FROM audit_log WHERE seq = ?').run(seq);
  const move = db.prepare('UPDATE audit_log SET seq = seq - 1 WHERE seq = ?');
  for (let s = seq + 1; s <= last; s++) move.run(s);
}

/** Two entries change places in the trail: their rows are then read in another order than their entries. */
function swapEntries(db: Db, a: number, b: number): void {
  const move = db.prepare('UPDATE audit_log SET seq = ? WHERE seq = ?');
  move.run(1_000_000, a);
  move.run(a, b);
  move.run(b, 1_000_000);
}

/** A row deleted and written back as it was: the same row, read last in its table's own order. */
function moveRowLast(db: Db, table: string, where: string, ...args: unknown[]): void {
  const row = db.prepare(`SELECT * FROM ${table} WHERE ${where}`).get(...args) as Record<string, unknown>;
  db.prepare(`DELETE FROM ${table} WHERE ${where}`).run(...args);
  const cols = Object.keys(row);
  db.prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((c) => `@${c}`).join(', ')})`).run(row);
}

/** Every kind of tampering the records check knows, at once. */
function tamperEveryWay(db: Db, ids: Awaited<ReturnType<typeof recordsOfEveryKind>>['ids']): void {
  db.pragma('foreign_keys = OFF');
  // Entries out of order: two checklist results' entries swap places; a reading and a status change read last.
  swapEntries(db, seqOf(db, 'completion_step', `${ids.inspection}/1`), seqOf(db, 'completion_step', `${ids.inspection}/3`));
  moveRowLast(db, 'completion_readings', 'completion_id = ? AND position = 1', ids.calibration);
  moveRowLast(db, 'status_changes', 'id = ?', ids.statusChange);
  // An entry's text changed: the cleaning record's entry now holds a note its row does not.
  db.prepare("UPDATE audit_log SET new_value = json_set(new_value, '$.notes', 'Wiped twice') WHERE seq = ?").run(seqOf(db, 'completion', ids.cleaning));
  // A record's row changed: a reading.
  db.prepare('UPDATE completion_readings SET as_found = 100 WHERE completion_id = ? AND position = 2').run(ids.calibration);
  // A row deleted: a stock transaction.
  db.prepare('DELETE FROM stock_transactions WHERE id = ?').run(ids.transaction);
  // A row with no entry: a procedure version added.
  const procedureColumns = (db.prepare("SELECT name FROM pragma_table_info('procedures')").pluck().all() as string[]).filter((c) => c !== 'id' && c !== 'version');
  db.prepare(`INSERT INTO procedures (id, version, ${procedureColumns.join(', ')}) SELECT ?, version + 1, ${procedureColumns.join(', ')} FROM procedures WHERE id = ?`).run(
    '01990000-0000-7000-8000-000000000044',
    ids.procedure,
  );
  // An entry deleted: the second checklist result's, so its row is held by none.
  deleteEntry(db, seqOf(db, 'completion_step', `${ids.inspection}/2`));
}

/** Skews an index, so the integrity check fails (as test/integration/core/verify-integrity.test.ts does). */
function skewIndex(db: Db): void {
  db.unsafeMode(true);
  db.pragma('writable_schema = ON');
  db.prepare("UPDATE sqlite_schema SET sql = 'CREATE INDEX audit_log_hash ON audit_log (prev_hash)' WHERE name = 'audit_log_hash'").run();
  db.pragma('writable_schema = OFF');
}

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
  });
});
