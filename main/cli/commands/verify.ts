import { schemaVersion } from '../../core/db/migrate';
import { isDamageError } from '../../core/health';
import { runJob } from '../../core/worker/run';
import type { Command } from '../command';
import { EXIT } from '../io';

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'integrity check of the database and of the audit trail\'s hash chain',
  options: {},
  async run({ openCore, io }) {
    let core;
    try {
      core = openCore();
    } catch (err) {
      // A file too damaged to open is a verification failure, not a crash.
      if (!isDamageError(err)) throw err;
      io.stdout('Integrity: FAILED\n');
      io.stderr(`Database integrity: the database cannot be opened: ${(err as Error).message}. Restore a backup (see "Your data" in the README).\n`);
      return EXIT.input;
    }
    try {
      // In the worker thread, as in the app: the same check on a connection of its own.
      const health = await runJob(core, 'verify', {});
      io.stdout(`Database: ${core.file}\n`);
      io.stdout(`Schema version: ${schemaVersion(core.db)}\n`);
      io.stdout(`Integrity: ${health.integrityOk ? 'ok' : 'FAILED'}\n`);
      io.stdout(`Audit trail: ${health.audit.entries} entries, ${health.audit.ok ? 'chain intact' : `BROKEN at entry ${health.audit.seq ?? '?'}`}\n`);
      for (const p of health.problems) io.stderr(`${p}\n`);
      if (!health.ok) return EXIT.input;
      io.stdout('The database is healthy.\n');
      return EXIT.ok;
    } finally {
      core.close();
    }
  },
};
