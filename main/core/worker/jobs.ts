import type { EquipmentImportInputValue, ImportPreview, ImportResult } from '../../../shared/contract/equipment-import';
import type { LogCheckpoint, LogCheckResult } from '../anchors/check';
import { checkHeadLogSince, withBackupsHeld } from '../anchors/check';
import { checkBackupsHeld } from '../anchors/rollback';
import type { RingMaterial } from '../anchors/key';
import { ringFromMaterial, withKeysNow } from '../anchors/key';
import type { ChainCheck } from '../audit';
import { verifyAuditChainAfter } from '../audit';
import type { BackupCheckAsk, BackupCheckParts } from '../backup/checks';
import { checkBackupParts } from '../backup/checks';
import type { BackupProgress, BackupResult } from '../backup/create';
import { createBackup } from '../backup/create';
import { AppError } from '../errors';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { backupToFolder, ensureBackupFolder, rotateBackups } from '../backup/folder';
import { backupFileName } from '../backup/names';
import type { BackupReason } from '../backup/names';
import type { RestoreOutcome } from '../backup/restore';
import { restoreBackup } from '../backup/restore';
import { commitHistoryImport } from '../completions/history-import';
import type { Actor, Core } from '../context';
import type { Commit } from '../dispatcher/transaction';
import { inTransaction } from '../dispatcher/transaction';
import { commitEquipmentImport, ImportRefused } from '../equipment/import/service';
import type { ComplianceShare, PlanRows } from '../reports/compliance';
import { complianceCsv, complianceDocument, complianceShare } from '../reports/compliance';
import { downtimeCsv, downtimeDocument, downtimeReport } from '../reports/downtime';
import { failuresCsv, failuresDocument } from '../reports/failures';
import type { DowntimeParamsValue, DowntimeReport } from '../../../shared/domain/report-downtime';
import type { DowntimeDocument, FailuresCsvPart, FailuresDocument, FailuresParamsValue } from '../../../shared/domain/report-failures';
import type { Packed } from './packed';
import { pack, unpack } from './packed';
import type { ComplianceCsvPart, ComplianceDocument, ComplianceParamsValue } from '../../../shared/domain/report-compliance';
import type { ExportFile } from '../../../shared/domain/report';
import type { CheckProgress, FullHealthReport, HealthReport } from '../health';
import { fullHealth, isDamageError, quickHealth } from '../health';
import { triggerProblems } from '../db/schema-guard';
import { userTrailProblems } from '../users/trail-check';
import { commitPlanImport } from '../plans/import';
import type { FiguresCheck } from '../stock/figures-check';
import { checkStockFigures, dropSavedReplays } from '../stock/figures-check';
import { SyncClient, SyncError, transportFor } from '../sync/engine';
import { runSyncLoop } from '../sync/loop';

/**
 * The heavy work that runs in the worker thread, on the worker's own connection to the same WAL
 * database, so the thread that serves the window stays free. Each write job commits through the
 * dispatcher's one transaction function (inTransaction), so its commit is announced like any other.
 */

interface Writer {
  /** What the commit is announced as: the channel, or the command. */
  origin: string;
  actor: Actor;
}

export interface JobSpecs {
  'equipment.import': { args: Writer & { input: EquipmentImportInputValue; fileName?: string }; result: ImportResult };
  /** `wardkeep import equipment`: the file checked once, in the transaction; a file with problems gets its preview back and writes nothing. */
  'equipment.import.checked': {
    args: Writer & { input: EquipmentImportInputValue; fileName?: string };
    result: { imported: ImportResult; refused: null } | { imported: null; refused: ImportPreview };
  };
  'plans.import': { args: Writer & { bytes: Uint8Array; fileName: string }; result: { created: number } };
  'history.import': { args: Writer & { bytes: Uint8Array; fileName: string }; result: { created: number; failedLast: string[] } };
  /** A backup into the backup folder (the Backups screen, the schedule). */
  'backup.folder': { args: { reason: BackupReason }; result: BackupResult };
  /** A backup to a file the administrator names (`wardkeep backup FILE`). */
  'backup.file': { args: { dest: string }; result: BackupResult };
  /**
   * A backup's check, or the parts of it the main thread has not kept (backup/checks.ts): its own
   * (integrity, trail, stored head, with the main thread's keys) and against the head log. Here, as
   * the head log is a line per commit (seconds to read at a hospital's size) and the integrity check
   * minutes at 5 GB: on the main thread the window would freeze meanwhile.
   */
  'backup.check': { args: BackupCheckAsk; result: BackupCheckParts };
  /** A backup put in place of the database, after a safety backup of it. */
  restore: { args: Writer & { file: string }; result: RestoreOutcome };
  /** `wardkeep verify`: integrity, foreign keys and the audit chain. */
  verify: { args: Record<string, never>; result: FullHealthReport };
  /** The audit chain from the last verified position on (all of it without one): the start-up check. */
  'verify.chain': { args: { after: { seq: number; hash: string } | null }; result: ChainCheck & { from: number; last: { seq: number; hash: string } | null } };
  /**
   * The deep check after start, on its schedule: quick_check (every page), the whole chain re-hashed, and
   * every stock figure against its movements (null when the file is damaged: its figures say nothing).
   * The items whose figures differ have their saved replay points dropped, as `wardkeep verify` does;
   * `stockSetAside` says why that could not be done, else null.
   */
  'verify.deep': {
    args: Record<string, never>;
    result: { integrity: HealthReport; chain: JobSpecs['verify.chain']['result']; stock: FiguresCheck | null; stockSetAside: string | null };
  };
  /**
   * The trail against its head log, with the main thread's keys: from what the last check found
   * sound (`since`) when it still holds, else, or when `whole`, every line (the log grows by one per
   * commit). Returns what the next start can go on from when it passed.
   */
  'verify.anchors': {
    args: { keys: RingMaterial; since: (LogCheckpoint & { at: string }) | null; whole: boolean };
    result: LogCheckResult;
  };
  /**
   * The compliance report as the screen and the printout show it, for `actor` (the 'reports' worker:
   * reports/handlers.ts): added up from `shares` when the workers worked it out between them
   * (reports/compliance-shares.ts), else worked out whole here.
   */
  'reports.compliance': { args: { params: ComplianceParamsValue; actor: Actor; shares?: Packed<ComplianceShare>[] | undefined }; result: ComplianceDocument };
  /** One CSV file of the compliance report, from its shares as above. */
  'reports.complianceCsv': {
    args: { params: ComplianceParamsValue; part: ComplianceCsvPart; shares?: Packed<ComplianceShare>[] | undefined };
    result: ExportFile;
  };
  /** One share of the compliance report's plans, a run of their rowids (each 'reports' worker one). */
  'reports.complianceShare': { args: { params: ComplianceParamsValue; rows: PlanRows }; result: Packed<ComplianceShare> };
  /**
   * The repairs' reports (the 'reports' worker too): each reads every device in the inventory over
   * the period (failures) or every device that ever changed status with its whole status history
   * (downtime), which at 200,000 devices held the window's thread for about 100 ms and grows with
   * the history (reports/handlers.ts).
   */
  'reports.downtime': { args: { params: DowntimeParamsValue }; result: DowntimeReport };
  'reports.downtimeCsv': { args: { params: DowntimeParamsValue }; result: ExportFile };
  'reports.downtimeDocument': { args: { params: DowntimeParamsValue; actor: Actor }; result: DowntimeDocument };
  'reports.failures': { args: { params: FailuresParamsValue; actor: Actor }; result: FailuresDocument };
  'reports.failuresCsv': { args: { params: FailuresParamsValue; part: FailuresCsvPart }; result: ExportFile };
  /** The background sync with the hospital's hub, until stopped (the 'sync' worker: sync/background.ts). */
  'sync.run': { args: { intervalMs?: number }; result: { stopped: 'asked' | 'revoked' | 'not_enrolled' } };
}

/** What the background sync tells the main thread as it goes (besides its commits). */
export type SyncWorkerEvent =
  | { type: 'applied'; count: number }
  | { type: 'join'; done: number; total: number; phase: string }
  | { type: 'synced'; pushed: number; pulled: number }
  | { type: 'error'; kind: string; message: string };

export type JobName = keyof JobSpecs;
export type JobArgs<K extends JobName> = JobSpecs[K]['args'];
export type JobResult<K extends JobName> = JobSpecs[K]['result'];

export interface JobTools {
  progress(p: BackupProgress | CheckProgress): void;
  /** Tells the main thread of a change that was not one transaction (a restore replaces the file). */
  announce(commit: Commit): void;
  event(e: SyncWorkerEvent): void;
  /** Aborted when the worker is asked to stop: a job that runs until stopped ends. */
  signal: AbortSignal;
  /** Whether the worker has been asked to stop, read while a job runs (WorkerData.stopFlag): the checks stop part-way. */
  stopped(): boolean;
  /** Registers the function the main thread's nudges call (see ToWorkerControl). */
  nudges(wake: () => void): () => void;
}

type JobFn<K extends JobName> = (core: Core, args: JobArgs<K>, tools: JobTools) => JobResult<K> | Promise<JobResult<K>>;

/** The deep check's page check, the triggers that make records permanent (db/schema-guard.ts), and users' rights against the trail. */
function withTriggers(report: HealthReport, core: Core): HealthReport {
  const problems = [...triggerProblems(core.db, core.nativeBinding).map((p) => `Database: ${p}`), ...userTrailProblems(core.db).map((p) => `Users: ${p}`)];
  return problems.length === 0 ? report : { ok: false, problems: [...report.problems, ...problems] };
}

/** The deep check's stock figures; null when they cannot be read for damage (the page check names it). */
function deepStockCheck(core: Core): FiguresCheck | null {
  try {
    return checkStockFigures(core.db, { limit: 50 });
  } catch (err) {
    if (isDamageError(err)) return null;
    throw err;
  }
}

/**
 * The deep check's named items, their saved replay points dropped (stock/figures-check.ts), so the next
 * stock change of each replays its movements whole. Null when done (or nothing to do), else why not.
 */
function setAside(core: Core, items: FiguresCheck['items']): string | null {
  if (items.length === 0) return null;
  try {
    inTransaction(core, (w) => dropSavedReplays(w, items));
    return null;
  } catch (err) {
    return `The saved replays of the items named could not be set aside (${(err as Error).message}): a stock change there may carry a wrong figure on; ask IT to run wardkeep verify.`;
  }
}

/**
 * The backup folder the restore's safety backup goes into. When it is not there (the stick pulled
 * between the choice and the restore) the refusal says that it is the restore that was not made.
 */
function safetyBackupFolder(dataDir: string): string {
  try {
    return ensureBackupFolder(dataDir);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    throw new AppError(err.code, `The backup of the current database, taken before every restore, cannot be made: ${err.message} Nothing was restored.`);
  }
}

export const JOBS: { [K in JobName]: JobFn<K> } = {
  'equipment.import': (core, { origin, actor, input, fileName }) =>
    inTransaction(core, (writable) => commitEquipmentImport(writable, actor, input, fileName ? { fileName } : undefined), {
      origin,
      actor,
    }),
  // A refused file is thrown out of the transaction, which takes back the chunks written before its first problem.
  'equipment.import.checked': (core, { origin, actor, input, fileName }) => {
    try {
      const imported = inTransaction(core, (writable) => commitEquipmentImport(writable, actor, input, fileName ? { fileName } : undefined), {
        origin,
        actor,
      });
      return { imported, refused: null };
    } catch (err) {
      if (err instanceof ImportRefused) return { imported: null, refused: err.preview };
      throw err;
    }
  },
  'plans.import': (core, { origin, actor, bytes, fileName }) =>
    inTransaction(core, (writable) => commitPlanImport(writable, actor, bytes, { fileName }), { origin, actor }),
  'history.import': (core, { origin, actor, bytes, fileName }) =>
    inTransaction(core, (writable) => commitHistoryImport(writable, actor, bytes, { fileName }), { origin, actor }),
  'backup.folder': (core, { reason }, tools) => backupToFolder(core, reason, tools.progress),
  'backup.file': (core, { dest }) => createBackup(core, dest),
  // With the main thread's keys, not this core's anchors: the worker has none when the main thread has no signing key.
  // With the key files there now, as the main thread's check (and 'verify.anchors') does.
  'backup.check': (core, { file, keys, own, againstLog }) =>
    checkBackupParts(file, { own, againstLog }, { dataDir: core.dataDir, ring: keys ? withKeysNow(ringFromMaterial(keys), core.dataDir) : null }),
  restore: async (core, { origin, actor, file }, tools) => {
    // The safety backup is taken under the restore's write lock (restoreBackup), into the backup folder.
    // Refused when a folder an administrator chose is not there: a safety copy on the PC's own disk under the stick's mount point would be hidden, and lost.
    const folder = safetyBackupFolder(core.dataDir);
    let at = core.clock.now();
    while (existsSync(path.join(folder, backupFileName(at, 'pre-restore')))) at = new Date(at.getTime() + 1);
    const outcome = await restoreBackup(core, actor, file, { safetyBackupFile: path.join(folder, backupFileName(at, 'pre-restore')) });
    tools.progress({ phase: 'done', done: 1, total: 1 });
    rotateBackups(folder, core.clock.now());
    tools.announce({ origin, actor, audit: null, replaced: true });
    return outcome;
  },
  verify: (core, _args, tools) => fullHealth(core.db, tools.progress, { file: core.file, nativeBinding: core.nativeBinding }),
  'verify.chain': (core, { after }, tools) => verifyAuditChainAfter(core.db, after, { stopped: tools.stopped }),
  // The whole trail stops part-way when Wardkeep closes (CheckStoppedError): it records nothing, and
  // runs again at the next start. quick_check is one statement of SQLite's, run to its end.
  // The stock figures as `wardkeep verify` checks them (the same 50 named), after the trail: a finding
  // there is no damage to the file, so it stays out of `integrity`. The named items' points are dropped
  // here, in a transaction of the worker's (only the dispatcher's halves open one).
  'verify.deep': (core, _args, tools) => {
    const pages = quickHealth(core.db);
    const integrity = withTriggers(pages, core);
    const chain = verifyAuditChainAfter(core.db, null, { stopped: tools.stopped });
    const stock = pages.ok ? deepStockCheck(core) : null;
    return { integrity, chain, stock, stockSetAside: stock ? setAside(core, stock.items) : null };
  },
  // The log is read before the database: every line it holds names entries already committed.
  // With the key files there now: another account's first start may have made one since the app started.
  // The backups too (anchors/rollback.ts): a newer one holding entries the database lost.
  'verify.anchors': (core, { keys, since, whole }) => {
    const ring = withKeysNow(ringFromMaterial(keys), core.dataDir);
    return withBackupsHeld(checkHeadLogSince(core.db, core.dataDir, ring, since, { whole }), checkBackupsHeld(core.db, core.dataDir, ring));
  },
  // A read: stopped part-way when Wardkeep closes, so a quit never waits for a year's report.
  'reports.compliance': (core, { params, actor, shares }, tools) =>
    complianceDocument(core, actor, params, { stopped: tools.stopped, shares: shares?.map((s) => unpack(s)) }),
  'reports.complianceCsv': (core, { params, part, shares }, tools) =>
    complianceCsv(core, params, part, { stopped: tools.stopped, shares: shares?.map((s) => unpack(s)) }),
  // Packed: the share passes through the thread that serves the window as bytes (packed.ts).
  'reports.complianceShare': (core, { params, rows }, tools) => pack(complianceShare(core, params, { stopped: tools.stopped, rows })),
  'reports.downtime': (core, { params }) => downtimeReport(core, params),
  'reports.downtimeCsv': (core, { params }) => downtimeCsv(core, params),
  'reports.downtimeDocument': (core, { params, actor }) => downtimeDocument(core, actor, params),
  'reports.failures': (core, { params, actor }) => failuresDocument(core, actor, params),
  'reports.failuresCsv': (core, { params, part }) => failuresCsv(core, params, part),
  'sync.run': async (core, { intervalMs }, tools) => {
    let transport;
    try {
      transport = transportFor(core);
    } catch {
      return { stopped: 'not_enrolled' as const };
    }
    const client = new SyncClient(core, transport);
    client.onEvent((e) => {
      if (e.kind === 'pulled' && e.applied > 0) tools.event({ type: 'applied', count: e.applied });
      if (e.kind === 'join') tools.event({ type: 'join', done: e.progress.done, total: e.progress.total, phase: e.progress.phase });
    });
    try {
      const ended = await runSyncLoop(client, {
        ...(intervalMs ? { intervalMs } : {}),
        signal: tools.signal,
        nudges: tools.nudges,
        onReport: (r) => tools.event({ type: 'synced', pushed: r.pushed, pulled: r.pulled }),
        onError: (err) =>
          tools.event({ type: 'error', kind: err instanceof SyncError ? err.kind : 'internal', message: err instanceof Error ? err.message : String(err) }),
      });
      return { stopped: ended ? (ended.kind === 'revoked' ? ('revoked' as const) : ('not_enrolled' as const)) : ('asked' as const) };
    } finally {
      transport.close();
    }
  },
};
