import type { MessageBoxOptions } from 'electron';
import { appendAudit } from '../core/audit';
import { inTransaction } from '../core/dispatcher/transaction';
import type { Core } from '../core/context';
import { systemActor } from '../core/context';
import type { DataDirChoice } from '../core/paths';
import { isSharedFolder, prepareDatabaseFile, prepareDataFolder } from './data-dir';
import type { MoveOutcome } from './data-move';
import { DataMoveError, groupWritable, moveLegacyDatabase } from './data-move';

/** Brings the per-user database of an older Wardkeep to the PC's folder; on failure carries on where it is, and says so. */
export async function settleDataFolder(choice: DataDirChoice): Promise<{ choice: DataDirChoice; moved: MoveOutcome; problem: string | null }> {
  prepareDataFolder(choice);
  let moved: MoveOutcome = { kind: 'none' };
  let problem: string | null = null;
  try {
    moved = await moveLegacyDatabase(choice, { prepareFile: isSharedFolder(choice) && process.platform !== 'win32' ? groupWritable : undefined });
  } catch (err) {
    if (!(err instanceof DataMoveError) || !choice.legacyDir) throw err;
    problem = `Wardkeep could not move its database from ${err.from} to this PC's shared folder ${err.to}: ${err.message}. Nothing was changed, and Wardkeep carries on with the database where it is. Ask your IT support (docs/deploy.md).`;
    return { choice: { ...choice, dir: choice.legacyDir, source: 'user', legacyDir: null }, moved, problem };
  }
  prepareDatabaseFile(choice);
  return { choice, moved, problem };
}

/** The move is a change to where the records live: it goes in the audit trail of the moved database. */
export function auditMove(core: Core, moved: MoveOutcome): void {
  if (moved.kind !== 'moved' && moved.kind !== 'finished') return;
  inTransaction(core, (writable) =>
    appendAudit(writable, systemActor, {
      action: 'move',
      entity: 'database',
      entityId: null,
      old: { dataDir: moved.from },
      new: { dataDir: moved.to, ...(moved.kind === 'moved' ? { backup: moved.backup } : { finishedAfterInterruption: true }) },
    }),
  );
}

export function moveNotice(moved: MoveOutcome, problem: string | null): MessageBoxOptions | null {
  const box = (type: 'info' | 'warning', message: string, detail: string): MessageBoxOptions => ({ type, title: 'Wardkeep', message, detail, buttons: ['OK'], noLink: true });
  if (problem) return box('warning', 'Wardkeep could not move its database.', problem);
  if (moved.kind === 'moved') {
    return box(
      'info',
      'Wardkeep now keeps its data for every user of this PC.',
      `Your database was moved from ${moved.from} to ${moved.to}, where everyone who uses Wardkeep on this PC finds the same records. A copy of it as it was before the move is kept at ${moved.backup}.`,
    );
  }
  if (moved.kind === 'left-behind') {
    return box(
      'warning',
      "Wardkeep is using this PC's shared database.",
      `An older Wardkeep database of your own account was found at ${moved.legacyFile}. It was not merged into the PC's shared database (${moved.machineFile}) and was not changed. If it holds work that is missing, ask your IT support (docs/deploy.md).`,
    );
  }
  return null;
}

