import { appendFileSync, copyFileSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { backupFolder, backupToFolder, newestCountedBackup } from '../../../main/core/backup/folder';
import { backupFileName } from '../../../main/core/backup/names';
import { headLogPath } from '../../../main/core/anchors/head-log';
import { loggingWorld, threePoints } from '../completions/fixture';
import { dropPermanentTriggers, rehashFrom } from '../trust/helpers';
import { testBackend } from '../../helpers/core';
import { seedEquipment } from './helpers';
import { backupStatus, settledBackupStatus } from './settled-backups';

/** How often a backup is read whole (its own check) and against the head log, on this thread. */
const reads = vi.hoisted(() => ({ whole: 0, againstLog: 0 }));
vi.mock('../../../main/core/backup/inspect', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../main/core/backup/inspect')>();
  return {
    ...real,
    inspectDatabaseFile: (...args: Parameters<typeof real.inspectDatabaseFile>) => {
      reads.whole++;
      return real.inspectDatabaseFile(...args);
    },
    inspectAgainstLog: (...args: Parameters<typeof real.inspectAgainstLog>) => {
      reads.againstLog++;
      return real.inspectAgainstLog(...args);
    },
  };
});
/** What the worker thread is asked to check of a backup ('backup.check'): its own check, and against the head log. */
const asked = vi.hoisted(() => ({ whole: 0, againstLog: 0 }));
vi.mock('../../../main/core/worker/run', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../main/core/worker/run')>();
  const runJob: typeof real.runJob = (core, job, args, options) => {
    if (job === 'backup.check') {
      const ask = args as { own: boolean; againstLog: boolean };
      if (ask.own) asked.whole++;
      if (ask.againstLog) asked.againstLog++;
    }
    return real.runJob(core, job, args, options);
  };
  return { ...real, runJob };
});
beforeEach(() => {
  Object.assign(reads, { whole: 0, againstLog: 0 });
  Object.assign(asked, { whole: 0, againstLog: 0 });
});

/** A backup edited after it was made: a failed calibration made a pass, the trail hashed again, its stored head moved to the new end (no key to sign it). */
function editBackup(file: string, completionId: string): void {
  const edited = new BetterSqlite3(file);
  dropPermanentTriggers(edited);
  edited.prepare("UPDATE completions SET outcome = 'pass' WHERE id = ?").run(completionId);
  const seq = edited.prepare("SELECT seq FROM audit_log WHERE entity = 'completion' AND action = 'create' AND entity_id = ?").pluck().get(completionId) as number;
  edited.prepare("UPDATE audit_log SET new_value = json_set(new_value, '$.outcome', 'pass') WHERE seq = ?").run(seq);
  rehashFrom(edited, seq);
  const stored = JSON.parse(edited.prepare("SELECT value FROM meta WHERE key = 'backup_head'").pluck().get() as string) as Record<string, unknown>;
  const end = edited.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string };
  edited.prepare("UPDATE meta SET value = ? WHERE key = 'backup_head'").run(JSON.stringify({ ...stored, ...end }));
  edited.close();
}

async function failedCalibrationWorld() {
  const w = await loggingWorld();
  const failed = await w.as(w.tom)('completions.log', {
    planId: w.pumpPlan.id,
    performedAt: '2026-11-25T09:30:00Z',
    result: threePoints([[12, null], [100, null], [500, null]], w.analyser.id, w.calibration.id),
    secret: '1357',
  });
  expect(failed.outcome).toBe('fail');
  return { w, failed };
}

/**
 * The Backups screen and the restore dialog say what a restore would find: the list, the dialog and
 * the restore make one check (the backup, its signed stored head, and this data folder's head log),
 * and "Last backup" names a backup that can be restored.
 */
describe('the Backups screen tells the truth about each backup', () => {
  it('a backup edited since it was made is listed as not verifying, and the dialog does not offer to restore it', async () => {
    const { w, failed } = await failedCalibrationWorld();
    const good = await backupToFolder(w.core, 'manual');
    const made = await backupToFolder(w.core, 'manual');
    const fileName = path.basename(made.file);
    // Listed once as it was made: "Verifies".
    const first = await w.backend.invoke(w.admin, 'backups.status', {});
    expect(first).toMatchObject({ ok: true, value: { backups: expect.arrayContaining([expect.objectContaining({ fileName, verified: true })]) } });

    editBackup(made.file, failed.id);

    // Before, the list and the dialog checked the file without the anchors: "Verifies", "Restore this backup", then the restore refused.
    // Edited, it is not checked yet: the list says so at once, and what the worker found when it has checked it.
    const listed = (await backupStatus(w.backend, w.admin)).backups.find((b) => b.fileName === fileName);
    expect(listed).toMatchObject({ verified: false, problem: null });
    expect(['waiting', 'checking']).toContain(listed?.check);
    const status = await settledBackupStatus(w.backend, w.admin);
    const entry = status.backups.find((b) => b.fileName === fileName)!;
    expect(entry).toMatchObject({ verified: false, problem: expect.stringMatching(/^Anchor: Its stored head was changed after it was made/) });
    expect(status.backups.find((b) => b.fileName === path.basename(good.file))).toMatchObject({ verified: true });
    const inspect = await w.backend.invoke(w.admin, 'backups.inspect', { fileName });
    expect(inspect).toMatchObject({ ok: true, value: { verified: false, restorable: false } });
    const restore = await w.backend.invoke(w.admin, 'backups.restore', { fileName, confirm: true });
    expect(restore).toMatchObject({ ok: false, error: { message: expect.stringContaining(entry.problem!) } });
    // "Last backup" is the good one, and the schedule counts only it.
    expect(status.lastBackupAt).toBe(status.backups.find((b) => b.fileName === path.basename(good.file))!.createdAt);
    expect(newestCountedBackup(w.core)?.fileName).toBe(path.basename(good.file));
  });

  it('a backup the head log speaks against since it was listed is no longer "Verifies", as the restore would refuse it', async () => {
    const { w } = await failedCalibrationWorld();
    const made = await backupToFolder(w.core, 'manual');
    const fileName = path.basename(made.file);
    expect(await w.backend.invoke(w.admin, 'backups.inspect', { fileName })).toMatchObject({ ok: true, value: { verified: true, restorable: true } });
    // Someone adds a line to the head log by hand: every check against it now fails, the backups' too.
    appendFileSync(headLogPath(w.core.dataDir), 'not a head\n');
    const inspect = await w.backend.invoke(w.admin, 'backups.inspect', { fileName });
    expect(inspect).toMatchObject({ ok: true, value: { verified: false, restorable: false, problems: [expect.stringMatching(/^Anchor: Head log: line \d+ is not a head Wardkeep wrote/)] } });
    expect(await w.backend.invoke(w.admin, 'backups.restore', { fileName, confirm: true })).toMatchObject({ ok: false, error: { message: expect.stringMatching(/does not pass its check/) } });
  });

  it('"Last backup" is the newest backup that verifies, not a newer file cut short on a failing USB stick; the schedule counts the same', async () => {
    const { core, backend, session } = testBackend('admin');
    await seedEquipment(backend, session, 3);
    const good = await backupToFolder(core, 'manual');
    const bad = backupFileName(new Date(Date.now() + 60_000), 'auto');
    writeFileSync(path.join(backupFolder(core.dataDir), bad), Buffer.alloc(8192, 7));
    const status = await settledBackupStatus(backend, session);
    expect(status.backups.map((b) => [b.fileName, b.verified])).toEqual([
      [bad, false],
      [path.basename(good.file), true],
    ]);
    // The screen shows "Last backup: <lastBackupAt>", and names the newer file that does not verify beside it.
    expect(status.lastBackupAt).toBe(status.backups[1]!.createdAt);
    // Before, the schedule took the newer file for a backup and put the next one off by four hours.
    expect(newestCountedBackup(core)?.fileName).toBe(path.basename(good.file));
  });

  it('the schedule does not count a backup cut short after it was made, and counts a good one it has not checked, reading only a few pages of each', async () => {
    const { core, backend, session } = testBackend('admin');
    await seedEquipment(backend, session, 30);
    const older = await backupToFolder(core, 'manual');
    const newer = await backupToFolder(core, 'manual');
    // The newer one loses its last pages (a stick pulled out while the file was copied onto it by hand).
    const whole = new BetterSqlite3(newer.file, { readonly: true });
    const size = (whole.pragma('page_count', { simple: true }) as number) * (whole.pragma('page_size', { simple: true }) as number);
    whole.close();
    truncateSync(newer.file, size - 4096);
    reads.whole = 0;
    expect(newestCountedBackup(core)?.fileName).toBe(path.basename(older.file));
    // A whole copy of a good backup it has never checked (put there by hand, or made by the command line) counts.
    const copied = backupFileName(new Date(Date.now() + 60_000), 'cli');
    copyFileSync(older.file, path.join(backupFolder(core.dataDir), copied));
    expect(newestCountedBackup(core)?.fileName).toBe(copied);
    // Neither was read whole: the schedule looks every ten minutes, on the window's thread.
    expect(reads.whole).toBe(0);
  });

  it('keeps the screen fast: a backup is read whole once, in the worker, and the list never reads the head log (a line per commit), so a write re-checks nothing', async () => {
    const { core, backend, session } = testBackend('admin');
    await seedEquipment(backend, session, 3);
    const made = await backupToFolder(core, 'manual');
    const copy = path.join(backupFolder(core.dataDir), backupFileName(new Date(Date.now() - 3_600_000), 'cli'));
    copyFileSync(made.file, copy);
    reads.whole = 0;
    reads.againstLog = 0;
    const list = async () => (await settledBackupStatus(backend, session)).backups.map((b) => b.verified);
    expect(await list()).toEqual([true, true]);
    // The backup this app made was checked as it was made; the copy put there by hand is read once, by the worker.
    expect(asked).toEqual({ whole: 1, againstLog: 0 });
    expect(await list()).toEqual([true, true]);
    expect(asked).toEqual({ whole: 1, againstLog: 0 });
    // A write adds a line to the head log: nothing is read again for the list.
    await seedEquipment(backend, session, 1, 'NEW');
    expect(await list()).toEqual([true, true]);
    expect(asked).toEqual({ whole: 1, againstLog: 0 });
    // The restore dialog checks against the log, once until the log changes.
    const inspect = await backend.invoke(session, 'backups.inspect', { fileName: path.basename(copy) });
    expect(inspect).toMatchObject({ ok: true, value: { verified: true, restorable: true } });
    expect(asked).toEqual({ whole: 1, againstLog: 1 });
    // None of it on the window's thread.
    expect(reads).toEqual({ whole: 0, againstLog: 0 });
  });
});
