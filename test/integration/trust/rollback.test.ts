import { copyFileSync, existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { AnchorCheck } from '../../../main/core/anchors/check';
import { createBackend } from '../../../main/core/backend';
import { backupToFolder } from '../../../main/core/backup/folder';
import { openCore } from '../../../main/core/open-core';
import { newSession } from '../../../main/core/session';
import { runStartupChecks } from '../../../main/core/system/startup-checks';
import { stopWorker } from '../../../main/core/worker/run';
import { tempDir } from '../../helpers/core';
import { caller } from '../../helpers/invoke';
import { loggingWorld, threePoints } from '../completions/fixture';
import { cli } from './helpers';

/**
 * The data folder (database, head log, position files) is copied aside on Monday. On Tuesday a
 * failed calibration is signed and the app makes a backup of it. On Wednesday the Monday copy is
 * put back over the database, the head log and the position files: the failed record is gone, and
 * the head log agrees with what is left. The Tuesday backup is still in the backups folder and
 * holds it, under a head signed with the PC's key: that backup names the database as put back.
 */
const copyFolder = (from: string, to: string) => {
  for (const f of readdirSync(from)) if (f !== 'backups' && f !== 'audit-keys') copyFileSync(path.join(from, f), path.join(to, f));
};

async function rolledBack() {
  const w = await loggingWorld();
  await w.as(w.tom)('completions.log', {
    planId: w.pumpPlan.id,
    performedAt: '2026-11-25T08:30:00Z',
    result: threePoints([[10, null], [100, null], [500, null]], w.analyser.id, w.calibration.id),
    secret: '1357',
  });
  await runStartupChecks(w.backend);
  const dir = w.core.dataDir;
  await stopWorker(w.core);
  w.core.close();
  const monday = tempDir();
  copyFolder(dir, monday);
  const mondaySeq = seqOf(dir);

  const core = openCore({ dataDir: dir, clock: w.clock });
  const backend = createBackend(core);
  const tom = newSession(w.clock.now().getTime());
  await caller(backend, tom)('auth.signIn', { name: 'Tom Tech', secret: '1357' });
  const failed = await caller(backend, tom)('completions.log', {
    planId: w.pumpPlan.id,
    performedAt: '2026-11-25T09:30:00Z',
    result: threePoints([[12, null], [100, null], [500, null]], w.analyser.id, w.calibration.id),
    secret: '1357',
  });
  expect(failed.outcome).toBe('fail');
  const made = await backupToFolder(core, 'auto');
  await runStartupChecks(backend);
  await stopWorker(core);
  core.close();
  const tuesdaySeq = seqOf(dir);

  // Wednesday: the Monday files over today's (today's -wal/-shm and position files removed).
  for (const f of ['wardkeep.sqlite3-wal', 'wardkeep.sqlite3-shm']) if (existsSync(path.join(dir, f))) rmSync(path.join(dir, f));
  for (const f of readdirSync(dir)) if (f.startsWith('audit-verified')) rmSync(path.join(dir, f));
  copyFolder(monday, dir);
  const db = new BetterSqlite3(path.join(dir, 'wardkeep.sqlite3'), { readonly: true });
  expect(db.prepare('SELECT count(*) FROM completions WHERE id = ?').pluck().get(failed.id)).toBe(0);
  db.close();
  expect(existsSync(made.file)).toBe(true);
  return { w, dir, backup: path.basename(made.file), lost: `${mondaySeq + 1} to ${tuesdaySeq}` };
}

function seqOf(dir: string): number {
  const db = new BetterSqlite3(path.join(dir, 'wardkeep.sqlite3'), { readonly: true });
  try {
    return db.prepare('SELECT max(seq) FROM audit_log').pluck().get() as number;
  } finally {
    db.close();
  }
}

describe('the data folder put back from an older copy, a newer backup left in place', () => {
  it('wardkeep verify and the next start name the entries the database lost, and the backup that holds them', async () => {
    const { w, dir, backup, lost } = await rolledBack();
    const sentence = `The database lost audit entries ${lost}, which backup ${backup} holds: the data folder was put back from an older copy.`;
    const res = await cli(['--data-dir', dir, 'verify']);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`Anchors: ${sentence}`);
    expect(res.stdout).not.toContain('The database is healthy.');

    const again = openCore({ dataDir: dir, clock: w.clock });
    const anchors = (await runStartupChecks(createBackend(again))).anchors as AnchorCheck;
    await stopWorker(again);
    again.close();
    expect(anchors.ok).toBe(false);
    expect(anchors.findings).toContain(sentence);
  });

  it('after the rolled-back database is written to again, verify names the database as put back, not the genuine backup as rewritten', async () => {
    const { w, dir, backup } = await rolledBack();
    const again = openCore({ dataDir: dir, clock: w.clock });
    const b2 = createBackend(again);
    const ada = newSession(w.clock.now().getTime());
    await caller(b2, ada)('auth.signIn', { name: 'Ada Admin', secret: '2468' });
    await caller(b2, ada)('equipment.create', { assetTag: 'IP-9', name: 'Infusion pump', locationId: w.site.id });
    await stopWorker(again);
    again.close();

    const res = await cli(['--data-dir', dir, 'verify']);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(new RegExp(`^Anchors: The database lost audit entries \\d+ to \\d+, which backup ${backup.replace(/\./g, '\\.')} holds: the data folder was put back from an older copy\\.$`, 'm'));
    expect(res.stderr).not.toContain(`Backup ${backup}:`);
  });

  it('a restore through Wardkeep to an older backup, with newer backups kept, is not taken for a folder put back', async () => {
    const w = await loggingWorld();
    const older = await backupToFolder(w.core, 'auto');
    await w.call('equipment.create', { assetTag: 'IP-2', name: 'Infusion pump', locationId: w.site.id });
    w.clock.set('2026-11-25T10:01:00Z');
    const newer = await backupToFolder(w.core, 'auto');
    expect(newer.file).not.toBe(older.file);
    const restored = await w.backend.invoke(w.admin, 'backups.restore', { fileName: path.basename(older.file), confirm: true });
    expect(restored, JSON.stringify(restored)).toMatchObject({ ok: true });
    // A restore signs everyone out; work goes on after it.
    await w.call('auth.signIn', { name: 'Ada Admin', secret: '2468' });
    await w.call('equipment.create', { assetTag: 'IP-3', name: 'Infusion pump', locationId: w.site.id });
    const dir = w.core.dataDir;
    await stopWorker(w.core);
    w.core.close();
    expect(existsSync(newer.file)).toBe(true);

    const res = await cli(['--data-dir', dir, 'verify']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const again = openCore({ dataDir: dir, clock: w.clock });
    const anchors = (await runStartupChecks(createBackend(again))).anchors as AnchorCheck;
    await stopWorker(again);
    again.close();
    expect(anchors).toMatchObject({ ok: true, findings: [] });
  });
});
