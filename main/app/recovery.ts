import { dialog } from 'electron';
import { recordRestore } from '../core/anchors';
import { startNewChain } from '../core/anchors/chain';
import { appendAudit } from '../core/audit';
import { backupDateFormat, newestGoodBackup, preMigrationBackup, replaceDamagedDatabase } from '../core/backup/recover';
import type { Core } from '../core/context';
import { systemActor } from '../core/context';
import { inTransaction } from '../core/dispatcher/transaction';
import { isDamageError, startHealth } from '../core/health';
import { openCore } from '../core/open-core';
import type { KeyProtector } from '../core/ports';
import { formatDateTime } from '../../shared/date-format';
import type { DateFormatSetting } from '../../shared/domain/settings';

type OpenedCore = Core & { close(): void };

export interface OpenOrRecoverOptions {
  dataDir: string;
  nativeBinding?: string | undefined;
  /** How the audit anchors' key is kept (safeStorage first, see anchor-key.ts). */
  keyProtectors?: readonly KeyProtector[];
}

/** The backup's date as every screen of its database wrote dates (its Settings → Date format), and the time. */
const when = (d: Date, setting: DateFormatSetting) => formatDateTime(d.toISOString(), setting);

/** Opens the database (backing it up before any migration) and checks it; null when damaged. */
function tryOpen(options: OpenOrRecoverOptions): { core: OpenedCore } | { problem: string } {
  let core: OpenedCore;
  try {
    core = openCore({
      dataDir: options.dataDir,
      nativeBinding: options.nativeBinding,
      beforeMigrate: preMigrationBackup(options.dataDir),
      ...(options.keyProtectors ? { keyProtectors: options.keyProtectors } : {}),
    });
  } catch (err) {
    if (isDamageError(err)) return { problem: (err as Error).message };
    throw err;
  }
  const health = startHealth(core.db);
  if (health.ok) return { core };
  core.close();
  return { problem: health.problems[0] ?? 'The database did not pass its check.' };
}

/**
 * Start-up: open the database and check it (startHealth: whole when small, its edges when big,
 * the rest in the worker once the window is up). If the file is damaged, say so
 * plainly and offer the newest backup that passes its check; the damaged file is kept aside.
 * Returns the opened core, or null when the person chose to quit (the caller quits).
 */
export async function openCoreOrRecover(options: OpenOrRecoverOptions): Promise<OpenedCore | null> {
  const first = tryOpen(options);
  if ('core' in first) return first.core;

  const found = newestGoodBackup(options.dataDir, options.keyProtectors);
  if ('folderMissing' in found) {
    await dialog.showMessageBox({
      type: 'error',
      title: 'Wardkeep: the database is damaged',
      message: 'The database on this PC is damaged, and the backups cannot be reached.',
      detail: `${first.problem}\n\nThe backup folder ${found.folderMissing} is not there. Plug in the disk or USB stick that holds it and start Wardkeep again. Nothing has been changed.`,
      buttons: ['Quit'],
      defaultId: 0,
      cancelId: 0,
      noLink: true,
    });
    return null;
  }
  if ('none' in found) {
    await dialog.showMessageBox({
      type: 'error',
      title: 'Wardkeep: the database is damaged',
      message: 'The database on this PC is damaged, and there is no good backup to restore.',
      detail: `${first.problem}\n\n${found.none ? `The newest backup does not pass its check (${found.none}) ` : ''}Nothing has been changed. Ask your IT support to look at the data folder ${options.dataDir}, or restore a backup from another disk into the backup folder and start Wardkeep again.`,
      buttons: ['Quit'],
      defaultId: 0,
      cancelId: 0,
      noLink: true,
    });
    return null;
  }
  const backup = found;
  // A verified database: its own Settings say how its dates were written.
  const taken = when(backup.at, backupDateFormat(backup.file));
  const { response } = await dialog.showMessageBox({
    type: 'error',
    title: 'Wardkeep: the database is damaged',
    message: `The database on this PC is damaged. Restore the newest good backup, taken ${taken}?`,
    detail: `${first.problem}\n\nWork recorded after that backup will be missing and must be entered again. The damaged file is kept beside the database for your IT support.`,
    buttons: [`Restore the backup of ${taken}`, 'Quit without changing anything'],
    defaultId: 0,
    cancelId: 1,
    noLink: true,
  });
  if (response !== 0) return null;

  const { damagedKeptAs } = await replaceDamagedDatabase(options.dataDir, backup.file);
  const second = tryOpen(options);
  if (!('core' in second)) {
    dialog.showErrorBox('Wardkeep cannot start', `The backup was restored but the database still does not pass its check: ${second.problem}`);
    return null;
  }
  const core = second.core;
  // The restored database continues the backup's head on a new audit chain, and the head log says so.
  const base = inTransaction(core, (writable) => {
    const from = startNewChain(writable).from;
    appendAudit(writable, systemActor, {
      action: 'restore',
      entity: 'database',
      entityId: null,
      new: { backup: backup.fileName, reason: 'the database was damaged', damaged_file: damagedKeptAs, problem: first.problem, continues: from },
    });
    return from;
  });
  recordRestore(core, base, backup.fileName);
  return core;
}
