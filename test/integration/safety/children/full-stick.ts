/**
 * A child for backup-full-stick.test.ts, run where STICK is a small file system of its own (a
 * tmpfs mounted in a mount namespace of the child's): a USB stick with little room. It opens the
 * data folder as the app does, with the backup folder on the stick, and as the administrator
 * already in the database (nothing is written to sign in):
 *   full-stick.ts DATA_DIR STICK backup          "Back up now"
 *   full-stick.ts DATA_DIR STICK restore FILE    FILE copied onto the stick, then restored from there
 * It prints one line: the channel's answer and the files on the stick after it, as JSON.
 */
import '../../../helpers/worker-setup';
import { copyFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createBackend } from '../../../../main/core/backend';
import { BACKUP_SETTINGS_FILE } from '../../../../main/core/backup/folder';
import { openCore } from '../../../../main/core/open-core';
import { newSession } from '../../../../main/core/session';
import { stopWorker } from '../../../../main/core/worker/run';

const [dataDir, stick, action, file] = process.argv.slice(2);
if (!dataDir || !stick || (action !== 'backup' && !(action === 'restore' && file))) throw new Error('usage: full-stick.ts DATA_DIR STICK backup | restore FILE');

async function main() {
  if (file) copyFileSync(file, path.join(stick!, path.basename(file)));
  // What choosing the stick on the Backups screen writes.
  writeFileSync(path.join(dataDir!, BACKUP_SETTINGS_FILE), JSON.stringify({ folder: stick }));
  const core = openCore({ dataDir: dataDir! });
  try {
    const backend = createBackend(core);
    const admin = core.db.prepare("SELECT id, name FROM users WHERE role = 'admin' AND active = 1 ORDER BY name LIMIT 1").get() as { id: string; name: string };
    const session = newSession(core.clock.now().getTime());
    session.user = { id: admin.id, name: admin.name, role: 'admin', mustSetPin: false };
    const result =
      action === 'backup' ? await backend.invoke(session, 'backups.run', {}) : await backend.invoke(session, 'backups.restore', { fileName: path.basename(file!), confirm: true });
    process.stdout.write(`${JSON.stringify({ result, onStick: readdirSync(stick!).sort() })}\n`);
  } finally {
    await stopWorker(core);
    core.close();
  }
}
main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
