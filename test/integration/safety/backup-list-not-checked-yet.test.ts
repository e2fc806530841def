import { copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { backupFolder, backupToFolder } from '../../../main/core/backup/folder';
import { backupFileName } from '../../../main/core/backup/names';
import { testBackend } from '../../helpers/core';
import { seedEquipment } from './helpers';
import { backupStatus, settledBackupStatus } from './settled-backups';

/**
 * Two gates on the worker, as a 5 GB backup's check (minutes) and an import or the deep check after
 * start (the 'jobs' worker runs one job at a time) would hold it: `checks` holds every 'backup.check',
 * `jobs` every other job given to the 'jobs' worker, as a long import would. Each job then runs for real.
 */
const gates = vi.hoisted(() => {
  const gate = () => {
    let open: () => void = () => undefined;
    const g = { held: false, opened: Promise.resolve(), hold: () => undefined as void, release: () => open() };
    g.hold = () => {
      g.held = true;
      g.opened = new Promise<void>((r) => (open = r));
    };
    g.release = () => {
      g.held = false;
      open();
    };
    return g;
  };
  return { checks: gate(), jobs: gate(), asked: [] as { job: string; lane: string }[] };
});
vi.mock('../../../main/core/worker/run', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../main/core/worker/run')>();
  const runJob: typeof real.runJob = async (core, job, args, options) => {
    const lane = options?.lane ?? 'jobs';
    gates.asked.push({ job, lane });
    if (job === 'backup.check' && gates.checks.held) await gates.checks.opened;
    if (lane === 'jobs' && gates.jobs.held) await gates.jobs.opened;
    return real.runJob(core, job, args, options);
  };
  return { ...real, runJob };
});
beforeEach(() => {
  gates.checks.release();
  gates.jobs.release();
  gates.asked.length = 0;
});

/** Within `ms`, or the test fails: the list must not wait for the checks (held by the gates, they would never end). */
async function within<T>(ms: number, p: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([p, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} took more than ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** A data folder with a backup this app made (checked as it was made), a copy of it put in by hand, and a newer file that is not a database. */
async function folderAfterRestart() {
  const { core, backend, session } = testBackend('admin');
  await seedEquipment(backend, session, 3);
  const made = await backupToFolder(core, 'manual');
  const copy = backupFileName(new Date(Date.now() - 3_600_000), 'cli');
  copyFileSync(made.file, path.join(backupFolder(core.dataDir), copy));
  const broken = backupFileName(new Date(Date.now() + 60_000), 'auto');
  writeFileSync(path.join(backupFolder(core.dataDir), broken), Buffer.alloc(8192, 7));
  return { core, backend, session, made: path.basename(made.file), copy, broken };
}

describe('the Backups list comes at once, each backup not checked yet marked so, and the checks end in the worker', () => {
  it('lists every backup at once while their checks are still running, none counted until checked, then each with what its check found', async () => {
    const { backend, session, made, copy, broken } = await folderAfterRestart();
    gates.checks.hold();
    // Before, the list waited for the worker's check of every backup it had not kept (minutes at 5 GB), saying nothing meanwhile.
    const first = await within(10_000, backupStatus(backend, session), 'the Backups list');
    expect(first.backups.map((b) => b.fileName)).toEqual([broken, made, copy]);
    const byName = new Map(first.backups.map((b) => [b.fileName, b]));
    expect(byName.get(made)).toMatchObject({ check: 'done', verified: true, problem: null });
    for (const name of [broken, copy]) {
      expect(byName.get(name)).toMatchObject({ verified: false, problem: null });
      expect(['waiting', 'checking']).toContain(byName.get(name)!.check);
    }
    // The checks' worker is given one check at a time (the newest first): the restore dialog's check waits for one at most, never the whole list.
    expect(gates.asked.filter((a) => a.job === 'backup.check')).toEqual([{ job: 'backup.check', lane: 'checks' }]);
    expect(byName.get(broken)!.check).toBe('checking');
    expect(byName.get(copy)!.check).toBe('waiting');
    // "Last backup" counts only what was checked and verifies.
    expect(first.lastBackupAt).toBe(byName.get(made)!.createdAt);
    // Asked again meanwhile: still at once, and no check asked for twice.
    const again = await within(10_000, backupStatus(backend, session), 'the Backups list read again');
    expect(again.backups.filter((b) => b.check !== 'done').map((b) => b.fileName).sort()).toEqual([broken, copy].sort());

    gates.checks.release();
    const settled = await settledBackupStatus(backend, session);
    const after = new Map(settled.backups.map((b) => [b.fileName, b]));
    expect(after.get(broken)).toMatchObject({ check: 'done', verified: false });
    expect(after.get(broken)?.problem).toMatch(/damaged or not a database/);
    expect(after.get(copy)).toMatchObject({ check: 'done', verified: true, problem: null });
    expect(after.get(made)).toMatchObject({ check: 'done', verified: true, problem: null });
    expect(settled.lastBackupAt).toBe(after.get(made)!.createdAt);
    expect(gates.asked.filter((a) => a.job === 'backup.check')).toHaveLength(2);
  });

  it('a check does not wait behind the jobs worker (an import, the deep check after start): it runs on its own worker, in its own order', async () => {
    const { backend, session, copy, broken } = await folderAfterRestart();
    // The 'jobs' worker is busy (a long import) for the whole test.
    gates.jobs.hold();
    try {
      const first = await within(10_000, backupStatus(backend, session), 'the Backups list');
      expect(first.backups.filter((b) => b.check !== 'done').map((b) => b.fileName).sort()).toEqual([broken, copy].sort());
      // Before, the checks went to the 'jobs' worker and waited for the import to end.
      const settled = await settledBackupStatus(backend, session, 10_000);
      expect(settled.backups.find((b) => b.fileName === copy)).toMatchObject({ check: 'done', verified: true });
      expect(settled.backups.find((b) => b.fileName === broken)).toMatchObject({ check: 'done', verified: false });
    } finally {
      gates.jobs.release();
    }
  });

  it('the restore dialog of a backup not checked yet makes its whole check (against the head log too), and the list then shows it checked', async () => {
    const { backend, session, copy } = await folderAfterRestart();
    await within(10_000, backupStatus(backend, session), 'the Backups list');
    const inspect = await within(10_000, backend.invoke(session, 'backups.inspect', { fileName: copy }), 'the restore dialog');
    expect(inspect).toMatchObject({ ok: true, value: { check: 'done', verified: true, restorable: true } });
    const settled = await settledBackupStatus(backend, session);
    expect(settled.backups.find((b) => b.fileName === copy)).toMatchObject({ check: 'done', verified: true });
  });
});
