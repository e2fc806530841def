import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { loggingWorld } from '../completions/fixture';
import { calibratedAndCleaned, cli, inspectedByChecklist, restockedCart, tamperedCopy } from './helpers';

/**
 * Issue 13, item 2: records are bound to the audit trail. Someone with the database file drops the
 * permanent-row triggers and changes or deletes a record, a reading, a cleaning agent, or adds a
 * record: `wardkeep verify` must say so, and name what it found.
 */
async function signedRecords() {
  const { w, calibration, cleaning } = await calibratedAndCleaned();
  const file = w.core.file;
  expect((await cli(['--data-dir', path.dirname(file), 'verify'])).code).toBe(0);
  w.core.close();
  return { file, calibration, cleaning };
}

async function verifyCopy(file: string, edit: (db: BetterSqlite3.Database) => void) {
  return cli(['--data-dir', tamperedCopy(file, edit), 'verify']);
}

describe('permanent rows bound to the audit trail (item 2)', () => {
  it('finds a changed outcome, reading or cleaning agent, a deleted record and a record added without an entry', async () => {
    const { file, calibration, cleaning } = await signedRecords();
    const id = calibration.id;

    const outcome = await verifyCopy(file, (db) => db.prepare("UPDATE completions SET outcome = 'pass' WHERE id = ?").run(id));
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain(`Completion ${id} was changed outside Wardkeep: outcome is "pass" in the database`);
    expect(outcome.stderr).toContain('recorded "pass_adjusted"');

    const reading = await verifyCopy(file, (db) => db.prepare('UPDATE completion_readings SET as_found = 100 WHERE completion_id = ? AND position = 2').run(id));
    expect(reading.code).toBe(1);
    expect(reading.stderr).toContain(`Reading 2 of completion ${id} was changed outside Wardkeep: as_found is 100 in the database`);

    const agent = await verifyCopy(file, (db) => db.prepare("UPDATE completions SET details = json_set(details, '$.agent', 'Water') WHERE id = ?").run(cleaning.id));
    expect(agent.code).toBe(1);
    expect(agent.stderr).toContain(`Completion ${cleaning.id} was changed outside Wardkeep: details`);
    expect(agent.stderr).toContain('Water');

    const deleted = await verifyCopy(file, (db) => {
      for (const table of ['signatures', 'completion_readings']) db.prepare(`DELETE FROM ${table} WHERE completion_id = ?`).run(id);
      db.prepare('DELETE FROM completions WHERE id = ?').run(id);
    });
    expect(deleted.code).toBe(1);
    expect(deleted.stderr).toMatch(new RegExp(`Completion ${id}, recorded by audit entry \\d+, is not in the database: it was deleted outside Wardkeep`));
    expect(deleted.stderr).toMatch(new RegExp(`Reading 3 of completion ${id}, recorded by audit entry \\d+, is not in the database`));
    expect(deleted.stderr).toMatch(/Signature .*, recorded by audit entry \d+, is not in the database/);

    const forged = '01990000-0000-7000-8000-000000000042';
    const added = await verifyCopy(file, (db) => {
      const columns = (db.prepare("SELECT name FROM pragma_table_info('completions')").pluck().all() as string[]).filter((c) => c !== 'id');
      db.prepare(`INSERT INTO completions (id, ${columns.join(', ')}) SELECT ?, ${columns.join(', ')} FROM completions WHERE id = ?`).run(forged, cleaning.id);
    });
    expect(added.code).toBe(1);
    expect(added.stderr).toContain(`Completion ${forged}: no audit entry records it, so it was added outside Wardkeep, or its audit entry was deleted.`);
  });

  /**
   * The other permanent tables: a checklist result, a stock transaction and a procedure version,
   * each changed, deleted and added without an entry, on a copy of the file (foreign keys off where
   * the attacker needs them off, as they would turn them off).
   */
  it('finds a checklist result, a stock transaction or a procedure version changed, deleted or added without an entry', async () => {
    const w = await loggingWorld();
    const { inspection } = await inspectedByChecklist(w);
    expect(inspection.outcome).toBe('fail');
    const { pads } = await restockedCart(w);
    const tx = w.core.db.prepare("SELECT id FROM stock_transactions WHERE kind = 'restock' AND item_id = ?").pluck().get(pads.id) as string;
    const file = w.core.file;
    expect((await cli(['--data-dir', path.dirname(file), 'verify'])).code).toBe(0);
    w.core.close();
    const noForeignKeys = (edit: (db: BetterSqlite3.Database) => void) => (db: BetterSqlite3.Database) => {
      db.pragma('foreign_keys = OFF');
      edit(db);
    };
    const found = async (edit: (db: BetterSqlite3.Database) => void, expected: RegExp | string) => {
      const res = await verifyCopy(file, noForeignKeys(edit));
      expect(res.code, res.stderr).toBe(1);
      if (typeof expected === 'string') expect(res.stderr).toContain(expected);
      else expect(res.stderr).toMatch(expected);
    };
    const c = inspection.id;

    // Checklist results: the failed step turned into a pass, a step deleted, a step added.
    await found(
      (db) => db.prepare("UPDATE completion_steps SET result = 'pass' WHERE completion_id = ? AND position = 2").run(c),
      new RegExp(`Checklist result 2 of completion ${c} was changed outside Wardkeep: result is "pass" in the database, but audit entry \\d+ recorded "fail"`),
    );
    await found(
      (db) => db.prepare('DELETE FROM completion_steps WHERE completion_id = ? AND position = 2').run(c),
      new RegExp(`Checklist result 2 of completion ${c}, recorded by audit entry \\d+, is not in the database: it was deleted outside Wardkeep\\.`),
    );
    await found(
      (db) => db.prepare("INSERT INTO completion_steps (completion_id, position, text, result, note) VALUES (?, 4, 'Fuse checked', 'pass', NULL)").run(c),
      `Checklist result 4 of completion ${c}: no audit entry records it, so it was added outside Wardkeep, or its audit entry was deleted.`,
    );

    // Stock transactions: a restock made bigger, deleted, one added.
    await found(
      (db) => db.prepare('UPDATE stock_transactions SET delta = 40 WHERE id = ?').run(tx),
      new RegExp(`Stock transaction ${tx} was changed outside Wardkeep: delta is 40 in the database, but audit entry \\d+ recorded 4`),
    );
    await found(
      (db) => db.prepare('DELETE FROM stock_transactions WHERE id = ?').run(tx),
      new RegExp(`Stock transaction ${tx}, recorded by audit entry \\d+, is not in the database: it was deleted outside Wardkeep\\.`),
    );
    const forgedTx = '01990000-0000-7000-8000-000000000043';
    await found((db) => {
      const columns = (db.prepare("SELECT name FROM pragma_table_info('stock_transactions')").pluck().all() as string[]).filter((col) => col !== 'id');
      db.prepare(`INSERT INTO stock_transactions (id, ${columns.join(', ')}) SELECT ?, ${columns.join(', ')} FROM stock_transactions WHERE id = ?`).run(forgedTx, tx);
    }, `Stock transaction ${forgedTx}: no audit entry records it, so it was added outside Wardkeep, or its audit entry was deleted.`);

    // Procedure versions: a tolerance widened so a fail would read as a pass, the version deleted, a version added.
    const p = w.calibration.id;
    await found(
      (db) => db.prepare("UPDATE procedures SET definition = json_set(definition, '$.points[0].tolerance', 50) WHERE id = ?").run(p),
      new RegExp(`Procedure version ${p} was changed outside Wardkeep: definition is .* in the database, but audit entry \\d+ recorded`),
    );
    await found(
      (db) => db.prepare('DELETE FROM procedures WHERE id = ?').run(p),
      new RegExp(`Procedure version ${p}, recorded by audit entry \\d+, is not in the database: it was deleted outside Wardkeep\\.`),
    );
    const forgedProcedure = '01990000-0000-7000-8000-000000000044';
    await found((db) => {
      const columns = (db.prepare("SELECT name FROM pragma_table_info('procedures')").pluck().all() as string[]).filter((col) => col !== 'id' && col !== 'version');
      db.prepare(`INSERT INTO procedures (id, version, ${columns.join(', ')}) SELECT ?, version + 1, ${columns.join(', ')} FROM procedures WHERE id = ?`).run(forgedProcedure, p);
    }, `Procedure version ${forgedProcedure}: no audit entry records it, so it was added outside Wardkeep, or its audit entry was deleted.`);
  });
});
