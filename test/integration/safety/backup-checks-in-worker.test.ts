import { appendFileSync, copyFileSync, openSync, readFileSync, statSync, utimesSync, writeSync, closeSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { backupFolder, backupToFolder } from '../../../main/core/backup/folder';
import { backupFileName } from '../../../main/core/backup/names';
import { headLogPath } from '../../../main/core/anchors/head-log';
import { testBackend } from '../../helpers/core';
import { seedEquipment } from './helpers';
import { settledBackupStatus } from './settled-backups';

/**
 * The Backups screen and its restore dialog check each backup as a restore would: the file whole
 * (integrity_check, the whole trail: minutes at 5 GB) and against the head log (a line per commit:
 * seconds at a hospital's size, read again after every commit). That work runs in the worker
 * thread: on the thread that serves the window, the window would freeze (no input, no repaint).
 */

/** What this thread reads of a backup or of the head log (the worker thread has its own modules, not these). */
const here = vi.hoisted(() => ({ whole: 0, againstLog: 0, headLog: 0 }));
/** What the worker is asked to check ('backup.check'). */
const asked = vi.hoisted(() => ({ own: 0, againstLog: 0 }));
vi.mock('../../../main/core/backup/inspect', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../main/core/backup/inspect')>();
  return {
    ...real,
    inspectDatabaseFile: (...args: Parameters<typeof real.inspectDatabaseFile>) => {
      here.whole++;
      return real.inspectDatabaseFile(...args);
    },
    inspectAgainstLog: (...args: Parameters<typeof real.inspectAgainstLog>) => {
      here.againstLog++;
      return real.inspectAgainstLog(...args);
    },
  };
});
vi.mock('../../../main/core/anchors/head-log', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../main/core/anchors/head-log')>();
  return {
    ...real,
    readHeadLog: (...args: Parameters<typeof real.readHeadLog>) => {
      here.headLog++;
      return real.readHeadLog(...args);
    },
  };
});
vi.mock('../../../main/core/worker/run', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../main/core/worker/run')>();
  const runJob: typeof real.runJob = (core, job, args, options) => {
    if (job === 'backup.check') {
      const ask = args as { own: boolean; againstLog: boolean };
      if (ask.own) asked.own++;
      if (ask.againstLog) asked.againstLog++;
    }
    return real.runJob(core, job, args, options);
  };
  return { ...real, runJob };
});
beforeEach(() => {
  Object.assign(here, { whole: 0, againstLog: 0, headLog: 0 });
  Object.assign(asked, { own: 0, againstLog: 0 });
});

async function world() {
  const { core, backend, session } = testBackend('admin');
  await seedEquipment(backend, session, 3);
  const made = await backupToFolder(core, 'manual');
  Object.assign(here, { whole: 0, againstLog: 0, headLog: 0 });
  return { core, backend, session, made, fileName: path.basename(made.file) };
}

describe('the Backups screen checks backups in the worker thread, never on the window’s thread', () => {
  it('the restore dialog checks a backup against the head log in the worker, again after a commit, and still names what the log says against it', async () => {
    const { core, backend, session, fileName } = await world();
    expect(await backend.invoke(session, 'backups.inspect', { fileName })).toMatchObject({ ok: true, value: { verified: true, restorable: true } });
    // Before, the dialog read the whole head log on the window's thread.
    expect(here).toEqual({ whole: 0, againstLog: 0, headLog: 0 });
    expect(asked).toEqual({ own: 0, againstLog: 1 });
    // Opened again with nothing changed: nothing is read.
    expect(await backend.invoke(session, 'backups.inspect', { fileName })).toMatchObject({ ok: true, value: { verified: true, restorable: true } });
    expect(asked).toEqual({ own: 0, againstLog: 1 });
    // A commit adds a line to the head log: the dialog checks against it again, in the worker.
    await seedEquipment(backend, session, 1, 'NEW');
    expect(await backend.invoke(session, 'backups.inspect', { fileName })).toMatchObject({ ok: true, value: { verified: true, restorable: true } });
    expect(asked).toEqual({ own: 0, againstLog: 2 });
    // Someone adds a line to the head log by hand: the worker's check finds it, as the restore would.
    appendFileSync(headLogPath(core.dataDir), 'not a head\n');
    expect(await backend.invoke(session, 'backups.inspect', { fileName })).toMatchObject({
      ok: true,
      value: { verified: false, restorable: false, problems: [expect.stringMatching(/^Anchor: Head log: line \d+ is not a head Wardkeep wrote/)] },
    });
    expect(here).toEqual({ whole: 0, againstLog: 0, headLog: 0 });
  });

  it('the list checks a backup it has no check of (after a restart, or copied in by hand) in the worker, and again when the file is edited with its time put back', async () => {
    const { core, backend, session, made } = await world();
    const copy = path.join(backupFolder(core.dataDir), backupFileName(new Date(Date.now() - 3_600_000), 'cli'));
    copyFileSync(made.file, copy);
    // Its time a whole second, so it can be put back exactly after the edit.
    const time = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
    utimesSync(copy, time, time);
    // The list as the screen shows it once the worker has checked every backup (it reads the list again until then).
    const list = async () => (await settledBackupStatus(backend, session)).backups.map((b) => [b.fileName, b.verified, b.problem]);
    expect(await list()).toEqual([
      [path.basename(made.file), true, null],
      [path.basename(copy), true, null],
    ]);
    // Before, the copy was read whole (integrity_check, the whole trail) on the window's thread.
    expect(here).toEqual({ whole: 0, againstLog: 0, headLog: 0 });
    expect(asked).toEqual({ own: 1, againstLog: 0 });
    expect((await list()).map((b) => b[1])).toEqual([true, true]);
    expect(asked).toEqual({ own: 1, againstLog: 0 });
    // The copy's last page overwritten, its time put back: checked again, and no longer "Verifies".
    const before = statSync(copy);
    const fd = openSync(copy, 'r+');
    writeSync(fd, Buffer.alloc(4096, 0x5a), 0, 4096, before.size - 4096);
    closeSync(fd);
    utimesSync(copy, time, time);
    expect(statSync(copy)).toMatchObject({ size: before.size, mtimeMs: before.mtimeMs });
    const after = await list();
    expect(after[1]).toEqual([path.basename(copy), false, expect.stringMatching(/\S/)]);
    expect(asked).toEqual({ own: 2, againstLog: 0 });
    expect(here).toEqual({ whole: 0, againstLog: 0, headLog: 0 });
  });

  it('the window’s thread keeps serving (a timer keeps firing) while the dialog checks a backup against a large head log', async () => {
    const { core, backend, session, fileName } = await world();
    // A hospital's head log: many thousands of lines (a line per commit), here copies of its own lines.
    const log = headLogPath(core.dataDir);
    const lines = readFileSync(log, 'utf8').split('\n').filter((l) => l.length > 0);
    const block = `${Array.from({ length: 2000 }, (_, i) => lines[i % lines.length]).join('\n')}\n`;
    for (let i = 0; i < 50; i++) appendFileSync(log, block);
    let last = performance.now();
    let longest = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
    }, 10);
    const started = performance.now();
    try {
      const res = await backend.invoke(session, 'backups.inspect', { fileName });
      expect(res).toMatchObject({ ok: true, value: { fileName } });
    } finally {
      clearInterval(timer);
    }
    const took = performance.now() - started;
    longest = Math.max(longest, performance.now() - last);
    // The check takes its time, in the worker; the window's thread is never held for long meanwhile.
    expect(longest, `the longest the window's thread was held, of ${Math.round(took)} ms`).toBeLessThan(Math.max(400, took / 3));
    expect(asked.againstLog).toBe(1);
  });
});
