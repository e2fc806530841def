import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { plural } from '../../../shared/labels';
import { checkBackupAnchor } from '../../core/anchors/backup-anchor';
import { checkAgainstLog, checkGivenHead, checkWholeHeadLog } from '../../core/anchors/check';
import { parseHead, shortChain, shortHead } from '../../core/anchors/chain';
import { readHeadLog } from '../../core/anchors/head-log';
import { loadKeyRing } from '../../core/anchors/key';
import { lastVerifiedPosition, recordVerifiedPosition } from '../../core/anchors/position';
import { lostToBackupFinding } from '../../core/anchors/rollback';
import { backupFolder, listBackupFiles } from '../../core/backup/folder';
import { openFile } from '../../core/backup/sqlite';
import { DB_FILE, dataFolderProblem } from '../../core/db/open';
import { schemaVersion } from '../../core/db/migrate';
import { inTransaction } from '../../core/dispatcher/transaction';
import { dropSavedReplays } from '../../core/stock/figures-check';
import { DatabaseRefusedError } from '../../core/errors';
import { isDamageError } from '../../core/health';
import { runJob } from '../../core/worker/run';
import type { Command } from '../command';
import { checkProgress } from '../progress';
import { EXIT, UsageError } from '../io';

/**
 * Each backup in the backup folder against the head it stored and this folder's head log, and the
 * database against each: a backup whose signed head is on the database's chain, past what the
 * database holds, names the database as put back from an older copy. The head log was put back
 * with it, so that backup's disagreement with the log is the database's, not the backup's.
 */
function checkBackups(
  database: Database,
  dataDir: string,
  log: ReturnType<typeof readHeadLog>,
  ring: ReturnType<typeof loadKeyRing>,
): { checked: number; findings: string[]; lost: string[] } {
  const lost: string[] = [];
  const findings: string[] = [];
  let checked = 0;
  for (const b of listBackupFiles(backupFolder(dataDir))) {
    let db;
    try {
      db = openFile(b.file, { readonly: true });
      checked++;
      for (const f of checkBackupAnchor(db, ring, { madeByWardkeep: true }).findings) findings.push(`Backup ${b.fileName}: ${f}`);
      const rolledBack = lostToBackupFinding(database, db, ring, b.fileName);
      if (rolledBack) lost.push(rolledBack);
      else for (const f of checkAgainstLog(db, log, ring, { backup: true }).findings) findings.push(`Backup ${b.fileName}: ${f}`);
    } catch (err) {
      findings.push(`Backup ${b.fileName}: it cannot be read (${(err as Error).message}).`);
    } finally {
      db?.close();
    }
  }
  return { checked, findings, lost };
}

export const verifyCommand: Command = {
  name: 'verify',
  summary: "integrity of the database, its audit trail's hash chain, every record against the trail, stock figures against their movements, and the trail against its anchors",
  usage: '[--head SEQ:HASH]…',
  options: { head: { type: 'string', multiple: true } },
  async run({ args, openCore, io, dataDir, keyProtectors, values }) {
    // A head copied from paper without --head would be left unchecked, and the database called healthy.
    if (args.length > 0) {
      const given = args[0]!;
      throw new UsageError(
        parseHead(given)
          ? `Unexpected argument "${given}": to check a head, give it with --head, as in wardkeep verify --head ${given.trim()}.`
          : `Unexpected argument "${given}": verify takes no file or folder (name the data folder with --data-dir).`,
      );
    }
    // A head that is not one is a usage error (exit 2), said before anything is opened: not a failed check (exit 1).
    for (const given of (values.head as string[] | undefined) ?? []) {
      if (!parseHead(given)) {
        throw new UsageError(`--head "${given}" is not a head: write it as printed, SEQ:HASH or CHAIN:SEQ:HASH (e.g. 4521:9f3a61c2d07e5b18).`);
      }
    }
    const notAFolder = dataFolderProblem(dataDir);
    if (notAFolder) throw new DatabaseRefusedError(notAFolder);
    const file = path.join(dataDir, DB_FILE);
    // Never creates a database: a missing one is a finding, not a new install (issue 13, item 5).
    if (!existsSync(file)) {
      io.stdout('Integrity: FAILED\n');
      io.stderr(`There is no database in ${dataDir} (${DB_FILE}): nothing to verify, and verify never creates one. Restore a backup (see "Your data" in the README).\n`);
      return EXIT.input;
    }
    let core;
    try {
      core = openCore({ anchors: false });
    } catch (err) {
      // A file too damaged to open is a verification failure, not a crash.
      if (!isDamageError(err)) throw err;
      io.stdout('Integrity: FAILED\n');
      io.stderr(`Database integrity: the database cannot be opened: ${(err as Error).message.replace(/\.$/, '')}. Restore a backup (see "Your data" in the README).\n`);
      return EXIT.input;
    }
    try {
      // In the worker thread, as in the app: the same check on a connection of its own. Its progress
      // goes to stderr every few seconds, so stdout stays the report.
      const progress = checkProgress(io.stderr);
      const health = await runJob(core, 'verify', {}, { onProgress: progress.onProgress }).finally(() => progress.stop());
      io.stdout(`Database: ${core.file}\n`);
      io.stdout(`Schema version: ${schemaVersion(core.db)}\n`);
      io.stdout(`Integrity: ${health.integrityOk ? 'ok' : 'FAILED'}\n`);
      // A PC in a hub holds every PC's chains (and a restored database its earlier ones): each was checked.
      const intact = health.audit.chains > 1 ? `${health.audit.chains} chains, every chain intact` : 'chain intact';
      io.stdout(`Audit trail: ${health.audit.entries} entries, ${health.audit.ok ? intact : `BROKEN at entry ${health.audit.seq ?? '?'}`}\n`);
      if (health.rows) {
        io.stdout(
          `Records: ${plural(health.rows.rows, 'permanent row')}, ${health.rows.ok ? 'each held by its audit entry' : `${health.rows.findings.length + health.rows.more} not as the audit trail recorded them`}\n`,
        );
      }
      if (health.stock) {
        const differ = health.stock.findings.length + health.stock.more;
        io.stdout(
          health.stock.figures === 0
            ? 'Stock: no on-hand figures on record\n'
            : `Stock: ${plural(health.stock.figures, 'on-hand figure')}, ${differ === 0 ? 'each as its movements give' : `${differ} not as their movements give`}\n`,
        );
      }
      const problems = [...health.problems];
      // The items named: their saved replays dropped, so the next stock change replays them whole (stock/figures-check.ts).
      if (health.stock && health.stock.items.length > 0) {
        try {
          const items = health.stock.items;
          inTransaction(core, (w) => dropSavedReplays(w, items));
        } catch (err) {
          problems.push(`Stock: the saved replays of the items named could not be set aside (${(err as Error).message}): a stock change there may carry a wrong figure on; run wardkeep verify again.`);
        }
      }
      const notes: string[] = [];
      let head = null;
      if (health.integrityOk) {
        const ring = loadKeyRing(dataDir, keyProtectors, { create: false });
        const log = readHeadLog(dataDir, ring.known);
        // The log's bytes the app's last check read must still be there; the position this check
        // records carries how far it read, so the app's next start goes on from here.
        const stored = lastVerifiedPosition(dataDir, ring);
        const { check: anchors, checkpoint } = checkWholeHeadLog(core.db, log, ring, dataDir, stored?.log ? { ...stored.log, at: stored.at } : null);
        head = anchors.head;
        problems.push(...anchors.findings.map((f) => `Anchors: ${f}`));
        notes.push(...anchors.notes);
        for (const given of (values.head as string[] | undefined) ?? []) {
          const c = checkGivenHead(core.db, given, log);
          problems.push(...c.findings.map((f) => `Anchors: ${f}`));
          notes.push(...c.notes);
        }
        const backups = checkBackups(core.db, dataDir, log, ring);
        problems.push(...[...backups.lost, ...backups.findings].map((f) => `Anchors: ${f}`));
        if (backups.checked > 0) notes.push(`Backups: ${plural(backups.checked, 'backup')} checked against the heads ${backups.checked === 1 ? 'it' : 'they'} stored and the head log.`);
        notes.push(ring.known.size > 0 ? `Key: held (${[...ring.known.keys()].join(', ')}).` : 'Key: none this account can read: signatures were not checked.');
        io.stdout(`Anchors: ${anchors.ok && problems.length === health.problems.length ? 'every anchor agrees' : 'DISAGREE'}\n`);
        for (const n of notes) io.stdout(`  ${n}\n`);
        // verify is the deep check (every page, the whole trail): the app's next deep check is due a week from now.
        if (problems.length === 0 && head && ring.signing) {
          const now = new Date();
          recordVerifiedPosition(dataDir, head, ring.signing, now, now.toISOString(), checkpoint);
        }
      }
      // The head this check ends on: write it down; `--head` checks against it later. Not after a
      // failed check: a head written down then would vouch for the damage the check found.
      if (head) {
        io.stdout(
          problems.length > 0
            ? `Head: ${shortHead(head)} (chain ${shortChain(head.chain)}), of a trail that failed this check: do not write it down as a head to check against.\n`
            : `Head: ${shortHead(head)} (chain ${shortChain(head.chain)})\n`,
        );
      }
      for (const p of problems) io.stderr(`${p}\n`);
      if (problems.length > 0) return EXIT.input;
      io.stdout('The database is healthy.\n');
      return EXIT.ok;
    } finally {
      core.close();
    }
  },
};
