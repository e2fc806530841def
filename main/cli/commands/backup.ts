import { statSync } from 'node:fs';
import path from 'node:path';
import { runJob } from '../../core/worker/run';
import { AppError } from '../../core/errors';
import { assertSafeOutput } from '../../core/outputs';
import type { Command } from '../command';
import { EXIT, UsageError } from '../io';
import { notAPlainFile } from '../out-file';

const size = (n: number) => (n >= 1_048_576 ? `${(n / 1_048_576).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} kB`);

export const backupCommand: Command = {
  name: 'backup',
  summary: 'a consistent online copy of the database, checked (integrity and audit trail) before it is kept',
  usage: 'FILE',
  options: {},
  database: 'exists',
  async run({ args, io, openCore }) {
    if (args.length !== 1) throw new UsageError(args.length === 0 ? 'Name the file to write the backup to.' : `Give one file to write, not ${args.length}.`);
    const dest = path.resolve(io.cwd, args[0]!);
    // Said before the copy is made (it would fail only at its rename, after copying the whole database).
    if (statSync(dest, { throwIfNoEntry: false })?.isDirectory()) {
      io.stderr(`${args[0]}: that is a folder: name a file to write the backup to, such as ${path.join(args[0]!, 'wardkeep-backup.sqlite3')}. No backup was written.\n`);
      return EXIT.input;
    }
    // A pipe, a device or a stream (`/dev/null`, `/dev/stdout`) is not a backup: written beside it and
    // renamed over it, the copy would replace the system's own entry (as root) or fail in words of /dev.
    const special = notAPlainFile(dest);
    if (special) {
      io.stderr(`${args[0]}: that is ${special.what}, not a file: name a file to write the backup to, such as wardkeep-backup.sqlite3. No backup was written.\n`);
      return EXIT.input;
    }
    const core = openCore();
    try {
      // Not over the database, a backup or the anchors, under any name or link (issue 13, item 6).
      assertSafeOutput(core, dest);
      const result = await runJob(core, 'backup.file', { dest });
      io.stdout(
        `Backed up ${core.file} to ${result.file} (${size(result.sizeBytes)}, schema version ${result.check.schemaVersion}, ` +
          `${result.check.auditEntries} audit entries; integrity and audit trail verified).\n`,
      );
      return EXIT.ok;
    } catch (err) {
      if (err instanceof AppError) {
        io.stderr(`${args[0]}: ${err.message} No backup was written.\n`);
        return EXIT.input;
      }
      throw err;
    } finally {
      core.close();
    }
  },
};
