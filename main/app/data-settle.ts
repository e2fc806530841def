import type { MessageBoxOptions } from 'electron';
import { appendAudit } from '../core/audit';
import { inTransaction } from '../core/dispatcher/transaction';
import type { Core } from '../core/context';
import { systemActor } from '../core/context';
import { command, scalar } from '../core/sql/query';
import type { DataDirChoice } from '../core/paths';
import { isSharedFolder, prepareDatabaseFile, prepareDataFolder } from './data-dir';
import type { MoveOutcome } from './data-move';
import { DataMoveError, moveLegacyDatabase, MOVE_TO_RECORD } from './data-move';

/** Brings the per-user database of an older Wardkeep to the PC's folder; on failure carries on where it is, and says so. */
export async function settleDataFolder(choice: DataDirChoice): Promise<{ choice: DataDirChoice; moved: MoveOutcome; problem: string | null }> {
  prepareDataFolder(choice);
  let moved: MoveOutcome = { kind: 'none' };
  let problem: string | null = null;
  try {
    moved = await moveLegacyDatabase(choice, { shareFile: isSharedFolder(choice) && process.platform !== 'win32' });
  } catch (err) {
    if (!(err instanceof DataMoveError) || !choice.legacyDir) throw err;
    problem = `Wardkeep could not move its database from ${err.from} to this PC's shared folder ${err.to}: ${err.message}. Nothing was changed, and Wardkeep carries on with the database where it is. Ask your IT support (docs/deploy.md).`;
    return { choice: { ...choice, dir: choice.legacyDir, source: 'user', legacyDir: null }, moved, problem };
  }
  prepareDatabaseFile(choice);
  return { choice, moved, problem };
}

const moveToRecord = scalar<string>(`SELECT value FROM meta WHERE key = '${MOVE_TO_RECORD}'`);
const forgetMoveToRecord = command(`DELETE FROM meta WHERE key = '${MOVE_TO_RECORD}'`);

function recordedMove(value: string): { from: string; to: string; backup: string } | null {
  try {
    const move = JSON.parse(value) as Record<string, unknown>;
    return typeof move.from === 'string' && typeof move.to === 'string' && typeof move.backup === 'string' ? { from: move.from, to: move.to, backup: move.backup } : null;
  } catch {
    return null;
  }
}

/**
 * The move is a change to where the records live: it goes in the audit trail of the moved
 * database. The copy carries the move until it is recorded (data-move.ts), so a start cut off
 * after the move records it at the next start, whoever makes it, and only once.
 */
export function auditMove(core: Core, moved: MoveOutcome): void {
  if (moveToRecord.get(core) === undefined && moved.kind !== 'finished') return;
  inTransaction(core, (writable) => {
    const carried = moveToRecord.get(writable);
    if (carried !== undefined) forgetMoveToRecord.run(writable);
    const move = carried === undefined ? null : recordedMove(carried);
    // A copy made by an older Wardkeep carries nothing: a finished move is still recorded, from what this start knows.
    const entry = move ?? (moved.kind === 'finished' ? { from: moved.from, to: moved.to, backup: null } : null);
    if (!entry) return;
    appendAudit(writable, systemActor, {
      action: 'move',
      entity: 'database',
      entityId: null,
      old: { dataDir: entry.from },
      new: { dataDir: entry.to, ...(entry.backup !== null ? { backup: entry.backup } : {}), ...(moved.kind !== 'moved' ? { finishedAfterInterruption: true } : {}) },
    });
  });
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

