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
