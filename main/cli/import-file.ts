import { readFileSync } from 'node:fs';
import path from 'node:path';
import { plural } from '../../shared/labels';
import type { Actor, Core } from '../core/context';
import { AppError } from '../core/errors';
import type { Command } from './command';
import type { CliIo } from './io';
import { EXIT, UsageError } from './io';

/** The one positional FILE of an import command, or a usage error. */
export function importFileArg(args: readonly string[]): string {
  if (args.length !== 1) throw new UsageError(args.length === 0 ? 'Name the CSV file to import.' : `Give one file to import, not ${args.length}.`);
  return args[0]!;
}

/** The file's bytes, or null after saying on stderr why it cannot be read. */
export function readImportFile(io: CliIo, file: string): Uint8Array | null {
  try {
    return readFileSync(path.resolve(io.cwd, file));
  } catch (err) {
    const code = (err as { code?: string }).code;
    const why = code === 'ENOENT' ? 'there is no such file' : code === 'EISDIR' ? 'it is a folder' : 'it cannot be read';
    io.stderr(`${file}: ${why}. Nothing was imported.\n`);
    return null;
  }
}

/** A refusal raised while writing (the file or the database moved on since the check): still all or nothing. */
export function reportImportRefusal(io: CliIo, file: string, err: unknown): number {
  if (!(err instanceof AppError)) throw err;
  for (const d of err.details ?? [{ message: err.message }]) io.stderr(`${file}: ${d.message}\n`);
  io.stderr(`${file}: nothing was imported.\n`);
  return EXIT.input;
}

interface RowImportMessage {
  row?: number | undefined;
  message: string;
}

interface RowImport<Analysis, Result> {
  name: string;
  summary: string;
  /** What one row becomes, for "would import 3 plans". */
  noun: string;
  analyse(core: Core, bytes: Uint8Array): Analysis & { rows: number; problems: RowImportMessage[]; warnings: RowImportMessage[] };
  /** How many rows the analysis would import. */
  count(analysis: Analysis): number;
  /** Writes every row or none, in one transaction (in the worker thread). */
  commit(core: Core, actor: Actor, bytes: Uint8Array, options: { fileName: string }): Promise<Result & { created: number }>;
  /** Lines to add after "Imported N …". */
  afterCommit?(result: Result): string;
}

/** `import plans` and `import history`: check every row, then write all of them in one transaction or none. */
export function rowImportCommand<Analysis, Result>(spec: RowImport<Analysis, Result>): Command {
  return {
    name: spec.name,
    summary: spec.summary,
    usage: 'FILE [--dry-run]',
    options: { 'dry-run': { type: 'boolean' } },
    async run({ args, values, io, actor, openCore, isNewDataFolder, openEmptyCore }) {
      const file = importFileArg(args);
      const bytes = readImportFile(io, file);
      if (!bytes) return EXIT.input;
      // A folder with no database yet gets one only for a file that is imported: checked first against
      // an empty database of its own, so a refused file or a dry run makes nothing there.
      const fresh = isNewDataFolder();
      let core = fresh ? openEmptyCore() : openCore();
      try {
        const analysis = spec.analyse(core, bytes);
        for (const w of analysis.warnings) io.stderr(`Warning: ${file}: ${w.message}\n`);
        if (analysis.problems.length > 0) {
          for (const p of analysis.problems) io.stderr(`${file}: ${p.message}\n`);
          const badRows = new Set(analysis.problems.map((p) => p.row).filter((r) => r !== undefined)).size;
          io.stderr(
            `${file}: nothing was imported: ${plural(analysis.problems.length, 'problem')}${badRows ? ` in ${plural(badRows, 'row')} of ${analysis.rows}` : ''}.\n`,
          );
          return EXIT.input;
        }
        if (values['dry-run'] === true) {
          io.stdout(`Dry run: would import ${plural(spec.count(analysis), spec.noun)} from ${file}.\nNothing was written.\n`);
          return EXIT.ok;
        }
        if (fresh) {
          core.close();
          core = openCore();
        }
        const result = await spec.commit(core, actor, bytes, { fileName: path.basename(file) });
        io.stdout(`Imported ${plural(result.created, spec.noun)} from ${file}.\n`);
        if (spec.afterCommit) io.stdout(spec.afterCommit(result));
        return EXIT.ok;
      } catch (err) {
        return reportImportRefusal(io, file, err);
      } finally {
        core.close();
      }
    },
  };
}
