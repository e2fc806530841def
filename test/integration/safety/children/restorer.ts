/**
 * A child process for the restore-under-kill test: restores two backups in turn, for ever,
 * printing the name of each after it completes. Usage: node --import tsx restorer.ts DATA_DIR A B
 */
import path from 'node:path';
import { backupFolder } from '../../../../main/core/backup/folder';
import { restoreBackup } from '../../../../main/core/backup/restore';
import { systemActor } from '../../../../main/core/context';
import { openCore } from '../../../../main/core/open-core';

const [dataDir, a, b] = process.argv.slice(2);
if (!dataDir || !a || !b) throw new Error('usage: restorer.ts DATA_DIR A B');
const core = openCore({ dataDir });
const folder = backupFolder(dataDir);

async function main() {
  process.stdout.write('ready\n');
  for (let i = 0; ; i++) {
    const name = i % 2 === 0 ? a! : b!;
    await restoreBackup(core, systemActor, path.join(folder, name), {
      safetyBackupFile: path.join(dataDir!, `safety-${i % 2}.sqlite3`),
    });
    process.stdout.write(`${name}\n`);
  }
}
void main();
