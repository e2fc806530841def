import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { runCli } from '../../../main/cli';
import { RUN_FILE_PREFIX } from '../../../main/core/anchors/runs';
import { hashEntry } from '../../../main/core/audit';
import type { Core } from '../../../main/core/context';
import { tempDir } from '../../helpers/core';
import { loggingWorld, threePoints } from '../completions/fixture';

/** Runs the wardkeep command line in-process, as an administrator would run it. */
export async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env, cwd: process.cwd() });
  return { code, stdout, stderr };
}

/**
 * What a kill or a power cut leaves of a Wardkeep run, in this process: the connection gone without
 * Wardkeep's close, so the run markers (`audit-open-*.json`) it would have removed are still there.
 */
export function closeAsCrash(core: Core & { close(): void }): void {
  const markers = readdirSync(core.dataDir)
    .filter((n) => n.startsWith(RUN_FILE_PREFIX))
    .map((n) => [path.join(core.dataDir, n), readFileSync(path.join(core.dataDir, n))] as const);
  core.close();
  for (const [file, body] of markers) writeFileSync(file, body);
}

/**
 * What an attacker does with a copy of the database: opens it with better-sqlite3 directly (no
 * Wardkeep code, no triggers of its own), drops the permanent-row triggers and runs `edit`.
 * The copy is made into a fresh folder; the original is closed first, so its -wal is folded in.
 */
export function tamperedCopy(file: string, edit: (db: BetterSqlite3.Database) => void, into: string = tempDir()): string {
  copyFileSync(file, path.join(into, path.basename(file)));
  for (const suffix of ['-wal', '-shm']) if (existsSync(file + suffix)) copyFileSync(file + suffix, path.join(into, path.basename(file) + suffix));
  const db = new BetterSqlite3(path.join(into, path.basename(file)));
  dropPermanentTriggers(db);
  edit(db);
  db.close();
  return into;
}

export function dropPermanentTriggers(db: BetterSqlite3.Database): void {
  for (const name of db.prepare("SELECT name FROM sqlite_schema WHERE type = 'trigger' AND (name LIKE '%_no_update' OR name LIKE '%_no_delete')").pluck().all() as string[]) {
    db.exec(`DROP TRIGGER "${name}"`);
  }
}

type Row = Record<string, unknown> & { seq: number; hash: string; prev_hash: string };

/** What an attacker who knows the hashing does: every entry from `seq` on hashed again, so the chain holds. */
export function rehashFrom(db: BetterSqlite3.Database, seq: number): void {
  let prev = seq > 1 ? (db.prepare('SELECT hash FROM audit_log WHERE seq = ?').pluck().get(seq - 1) as string) : '0'.repeat(64);
  const update = db.prepare('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?');
  for (const row of db.prepare('SELECT * FROM audit_log WHERE seq >= ? ORDER BY seq').all(seq) as Row[]) {
    const { hash: _old, ...rest } = row;
    const next = hashEntry({ ...(rest as Parameters<typeof hashEntry>[0]), prev_hash: prev });
    update.run(prev, next, row.seq);
    prev = next;
  }
}

/**
 * A logging world with two signed records by Tom: a calibration (three points, one reading) and a
 * cleaning, each with its plan. What the records-binding tests tamper with.
 */
export async function calibratedAndCleaned() {
  const w = await loggingWorld();
  const calibration = await w.as(w.tom)('completions.log', {
    planId: w.pumpPlan.id,
    performedAt: '2026-11-25T09:30:00Z',
    result: threePoints([[10.2, null], [120, 100.4], [480, null]], w.analyser.id, w.calibration.id),
    secret: '1357',
  });
  const cleaningPlan = await w.call('plans.create', { equipmentId: w.pump.id, task: 'cleaning', every: '1w', startDate: '2026-11-20' });
  const cleaning = await w.as(w.tom)('completions.log', {
    planId: cleaningPlan.id,
    result: { kind: 'cleaning', method: 'Wipe', agent: 'Chlorine 1000 ppm', outcome: 'pass' },
    secret: '1357',
  });
  return { w, calibration, cleaning };
}

type World = Awaited<ReturnType<typeof loggingWorld>>;

/** A checklist procedure for the pumps' inspection, and Tom's signed inspection by it (pass, fail, pass). */
export async function inspectedByChecklist(w: World) {
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
  return { checklist, inspection };
}

/** A crash cart holding defibrillator pads (par 4, minimum 2), restocked with 4 pairs of lot L-1. */
export async function restockedCart(w: World) {
  const cart = await w.call('stock.locations.create', { name: 'Crash cart', kind: 'crash_cart', locationId: w.site.id });
  const pads = await w.call('stock.items.create', { name: 'Defibrillator pads', code: 'PAD-1', unit: 'pair' });
  await w.call('stock.levels.set', { stockLocationId: cart.id, itemId: pads.id, par: 4, minimum: 2 });
  await w.call('stock.restock', { stockLocationId: cart.id, itemId: pads.id, quantity: 4, lot: 'L-1', expiresOn: '2027-12-31' });
  return { cart, pads };
}

/**
 * Records of every permanent kind (a calibration and its readings, a cleaning, a checklist, stock
 * transactions, a procedure, status changes, a work order), closed: what the one-pass tests tamper with.
 */
export async function recordsOfEveryKind() {
  const { w, calibration, cleaning } = await calibratedAndCleaned();
  const { checklist, inspection } = await inspectedByChecklist(w);
  const { cart, pads } = await restockedCart(w);
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

export type Db = BetterSqlite3.Database;
export const seqOf = (db: Db, entity: string, entityId: string) =>
  Number(db.prepare("SELECT seq FROM audit_log WHERE entity = ? AND entity_id = ? AND action IN ('create', 'bind', 'restock')").pluck().get(entity, entityId));

/** Entry `seq` gone, and the ones after it moved up, so that on its own the chain would not say so. */
export function deleteEntry(db: Db, seq: number): void {
  const last = Number(db.prepare('SELECT max(seq) FROM audit_log').pluck().get());
  db.prepare('DELETE FROM audit_log WHERE seq = ?').run(seq);
  const move = db.prepare('UPDATE audit_log SET seq = seq - 1 WHERE seq = ?');
  for (let s = seq + 1; s <= last; s++) move.run(s);
}

/** Two entries change places in the trail: their rows are then read in another order than their entries. */
export function swapEntries(db: Db, a: number, b: number): void {
  const move = db.prepare('UPDATE audit_log SET seq = ? WHERE seq = ?');
  move.run(1_000_000, a);
  move.run(a, b);
  move.run(b, 1_000_000);
}

/** A row deleted and written back as it was: the same row, read last in its table's own order. */
export function moveRowLast(db: Db, table: string, where: string, ...args: unknown[]): void {
  const row = db.prepare(`SELECT * FROM ${table} WHERE ${where}`).get(...args) as Record<string, unknown>;
  db.prepare(`DELETE FROM ${table} WHERE ${where}`).run(...args);
  const cols = Object.keys(row);
  db.prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((c) => `@${c}`).join(', ')})`).run(row);
}

/** Every kind of tampering the records check knows, at once. */
export function tamperEveryWay(db: Db, ids: Awaited<ReturnType<typeof recordsOfEveryKind>>['ids']): void {
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

/**
 * Skews an index: the schema then says it holds other columns (`sql`, its CREATE INDEX) than the ones
 * its entries were made from, so the integrity check fails as it would on a damaged file. By default
 * the records' index by device.
 */
export function skewIndex(
  db: Db,
  index = 'completions_equipment',
  sql = 'CREATE INDEX completions_equipment ON completions (stock_location_id, performed_at)',
): void {
  db.unsafeMode(true);
  db.pragma('writable_schema = ON');
  const skewed = db.prepare('UPDATE sqlite_schema SET sql = ? WHERE name = ?').run(sql, index);
  db.pragma('writable_schema = OFF');
  if (skewed.changes !== 1) throw new Error(`The index ${index} was not there to skew.`);
}

/** Rows written while `table`'s primary key reads `to` instead of `from`: a second row can then take a key the table holds, its unique index none the wiser. */
function underAnotherKey(db: Db, table: string, from: string, to: string, write: () => void): void {
  const swap = (a: string, b: string) => {
    db.pragma('writable_schema = ON');
    db.prepare('UPDATE sqlite_schema SET sql = replace(sql, ?, ?) WHERE name = ?').run(a, b, table);
    db.pragma('writable_schema = RESET');
  };
  db.unsafeMode(true);
  swap(from, to);
  try {
    write();
  } finally {
    swap(to, from);
    db.pragma('writable_schema = OFF');
  }
}

/**
 * A key held twice, two ways, the chain hashed again: a checklist result written a second time with
 * another result, with an entry of its own holding it (the pass pairs each entry with a row and finds
 * both whole; the walk joins each row to both entries); and a reading written twice as it was, with
 * another reading deleted (the entries' counts then match the rows joined, and the deleted one is
 * not searched for).
 */
export function keysHeldTwice(db: Db, ids: Awaited<ReturnType<typeof recordsOfEveryKind>>['ids']): void {
  db.pragma('foreign_keys = OFF');
  db.prepare('DELETE FROM completion_readings WHERE completion_id = ? AND position = 3').run(ids.calibration);
  // The rows are read before the key is swapped: under the other key, its index would answer for the wrong columns.
  const copyOf = (table: string, where: string, id: string, change: Record<string, unknown> = {}) => {
    const row = { ...(db.prepare(`SELECT * FROM ${table} WHERE ${where}`).get(id) as Record<string, unknown>), ...change };
    const cols = Object.keys(row);
    return () => db.prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((c) => `@${c}`).join(', ')})`).run(row);
  };
  const step = copyOf('completion_steps', 'completion_id = ? AND position = 2', ids.inspection, { result: 'pass' });
  const reading = copyOf('completion_readings', 'completion_id = ? AND position = 1', ids.calibration);
  underAnotherKey(db, 'completion_steps', 'PRIMARY KEY (completion_id, position)', 'PRIMARY KEY (completion_id, text)', step);
  underAnotherKey(db, 'completion_readings', 'PRIMARY KEY (completion_id, position)', 'PRIMARY KEY (completion_id, label)', reading);
  const last = Number(db.prepare('SELECT max(seq) FROM audit_log').pluck().get());
  db.prepare(
    `INSERT INTO audit_log (chain_id, seq, id, at, actor_user_id, actor_name, via, pc_id, action, entity, entity_id, old_value, new_value, prev_hash, hash)
     SELECT chain_id, ?, ?, at, actor_user_id, actor_name, via, pc_id, action, entity, entity_id, old_value, json_set(new_value, '$.result', 'pass'), prev_hash, hash
     FROM audit_log WHERE seq = ?`,
  ).run(last + 1, randomUUID(), seqOf(db, 'completion_step', `${ids.inspection}/2`));
  rehashFrom(db, 1);
}
