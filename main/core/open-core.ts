import { existsSync } from 'node:fs';
import { plural } from '../../shared/labels';
import { attachAnchors } from './anchors';
import { headLogPath } from './anchors/head-log';
import type { RingMaterial } from './anchors/key';
import { backupFolder, listBackupFiles } from './backup/folder';
import type { Clock } from './clock';
import { systemClock } from './clock';
import type { Core } from './context';
import type { OpenOptions } from './db/open';
import { openDatabase } from './db/open';
import type { KeyProtector } from './ports';
import { attachCaptureTriggersIfOn, setCapturing, syncConnection } from './sync/capture';
import { atEveryWrite } from './dispatcher/transaction';
import { stopWorker } from './worker/run';

export interface OpenCoreOptions extends OpenOptions {
  clock?: Clock;
  /** How the audit anchors' key is kept, best first (the shell passes safeStorage); the default keeps it in an owner-only file. */
  keyProtectors?: readonly KeyProtector[];
  /**
   * False for a check that must write nothing beside the database (`wardkeep verify`); a key for
   * the worker thread, which signs with the key the main thread holds and records no heads of its
   * own (the main thread records its commits, which it announces).
   */
  anchors?: boolean | { secret: Buffer; keys?: RingMaterial };
}

/**
 * Why a missing database is damage here rather than a new install: the folder holds backups of
 * one, or its audit head log (issue 13, item 5). Null for a folder that never held one.
 */
export function missingDatabaseSigns(dataDir: string): string | null {
  const backups = listBackupFiles(backupFolder(dataDir)).length;
  const heads = existsSync(headLogPath(dataDir));
  if (backups === 0 && !heads) return null;
  const what = [backups > 0 ? `${plural(backups, 'backup')} of one` : '', heads ? 'its audit head log' : ''].filter(Boolean).join(' and ');
  return `There is no database in ${dataDir}, but the folder holds ${what}: the database was deleted or moved, so this is not a new install.`;
}

/** Opens (creating and migrating if needed) the database in `dataDir` and returns the core. */
export function openCore(options: OpenCoreOptions): Core & { close(): void } {
  const opened = openDatabase({ ...options, mustExist: options.mustExist ?? missingDatabaseSigns(options.dataDir) });
  const clock = options.clock ?? systemClock;
  // Changes to send to a hub are stamped from the same clock as everything else the core writes;
  // capture itself does nothing until the PC joins a hub (sync/capture.ts).
  syncConnection(opened.db).now = () => clock.now().getTime();
  // Its capture triggers once the PC is in a hub: now if it is, or at its first write after it joins.
  attachCaptureTriggersIfOn(opened.db);
  atEveryWrite(opened.db, () => attachCaptureTriggersIfOn(opened.db));
  setCapturing(opened.db, true);
  const core = {
    db: opened.db,
    pcId: opened.pcId,
    clock,
    file: opened.file,
    dataDir: options.dataDir,
    nativeBinding: options.nativeBinding,
    close: () => {
      // The worker's own connection to this file goes with it (after any job it is running).
      void stopWorker({ db: opened.db });
      opened.db.close();
    },
  };
  if (options.anchors !== false) attachAnchors(core, options.keyProtectors, options.anchors === true || options.anchors === undefined ? {} : options.anchors);
  return core;
}
