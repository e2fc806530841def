import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { backupToFolder } from '../../../main/core/backup/folder';
import { testBackend, tempDir } from '../../helpers/core';
import { bundle } from './child';
import { seedEquipment, snapshot } from './helpers';

interface StickRun {
  result: { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } };
  onStick: string[];
}

/**
 * Runs children/full-stick.ts with `stick` a USB stick of `size` (a tmpfs, "64k"): mounted in a mount
 * namespace of the child's own, so nothing outside the child sees it and it is gone when the child
 * ends. Root needs only that (`unshare -m`); anyone else gets a user namespace of their own too, in
 * which they may mount a tmpfs (`unshare -rm`). Where the system allows neither, the test fails,
 * saying so: it never skips.
 */
function onSmallStick(size: string, stick: string, args: string[]): Promise<StickRun> {
  const script = 'mount -t tmpfs -o "size=$1" wardkeep-stick "$2" || exit 97; shift 2; exec "$@"';
  const namespaces = process.getuid?.() === 0 ? '-m' : '-rm';
  const child = spawn('unshare', [namespaces, 'sh', '-c', script, 'sh', size, stick, process.execPath, bundle('test/integration/safety/children/full-stick.ts'), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
  child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
  return new Promise((resolve, reject) => {
    const cannot = (why: string) =>
      reject(new Error(`This test mounts a small tmpfs as a full USB stick in a mount namespace of its own (unshare ${namespaces}, from util-linux), and this system does not allow it: ${why}`));
    child.on('error', (err) => cannot(err.message));
    child.on('close', (code) => {
      const line = stdout.trim().split('\n').at(-1);
      if (code === 0 && line) resolve(JSON.parse(line) as StickRun);
      else if (code === 97 || /unshare/.test(stderr)) cannot(stderr.trim());
      else reject(new Error(`The child on the small stick exited with ${code}: ${stderr.trim()}`));
    });
  });
}

const stickIn = (dir: string) => {
  const stick = path.join(dir, 'USB stick');
  mkdirSync(stick);
  return stick;
};

describe('backups onto a USB stick that is full', () => {
  it('"Back up now" says there is not enough space on the stick, and leaves no half-written file there', async () => {
    const { core, backend, session } = testBackend('admin');
    await seedEquipment(backend, session, 200);
    const stick = stickIn(tempDir());
    const run = await onSmallStick('64k', stick, [core.dataDir, stick, 'backup']);
    expect(run).toEqual({
      result: { ok: false, error: { code: 'storage', message: `There is not enough space in ${stick} for the backup. Free some space or choose another backup folder.` } },
      onStick: [],
    });
  });

  it('a restore whose safety backup does not fit on the stick says the restore did not happen, and nothing was restored', async () => {
    const { core, backend, session } = testBackend('admin');
    await seedEquipment(backend, session, 5, 'OLD');
    const small = await backupToFolder(core, 'manual');
    await seedEquipment(backend, session, 300, 'NEW');
    // Room on the stick for the small backup, not for a backup of the bigger database as it is now.
    const stick = stickIn(tempDir());
    const before = snapshot(core.db);
    const run = await onSmallStick(`${Math.ceil((small.sizeBytes * 1.6) / 4096) * 4}k`, stick, [core.dataDir, stick, 'restore', small.file]);
    // Before: "There is not enough space in … for the backup. …", which did not say whether the restore happened.
    expect(run).toEqual({
      result: {
        ok: false,
        error: {
          code: 'storage',
          message: `The backup of the current database, taken before every restore, failed: There is not enough space in ${stick} for the backup. Free some space or choose another backup folder. Nothing was restored.`,
        },
      },
      onStick: [path.basename(small.file)],
    });
    expect(snapshot(core.db)).toEqual(before);
  });
});
