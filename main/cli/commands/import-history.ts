import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../core/errors';
import { analyseHistoryImport, commitHistoryImport } from '../../core/services/history-import';
import type { Command } from '../command';
import { EXIT, UsageError } from '../io';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export const importHistoryCommand: Command = {
  name: 'import history',
  summary: 'import past completions: asset_tag, task, performed_at, outcome, performed_by, notes (all or nothing; --dry-run only checks)',
  usage: 'FILE [--dry-run]',
  options: { 'dry-run': { type: 'boolean' } },
  run({ args, values, io, actor, openCore }) {
    if (args.length !== 1) throw new UsageError(args.length === 0 ? 'Name the CSV file to import.' : `Give one file to import, not ${args.length}.`);
    const file = args[0]!;
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(path.resolve(io.cwd, file));
    } catch (err) {
      const code = (err as { code?: string }).code;
      const why = code === 'ENOENT' ? 'there is no such file' : code === 'EISDIR' ? 'it is a folder' : 'it cannot be read';
      io.stderr(`${file}: ${why}. Nothing was imported.\n`);
      return EXIT.input;
    }
    const core = openCore();
    try {
      const analysis = analyseHistoryImport(core, bytes);
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
        io.stdout(`Dry run: would import ${plural(analysis.records.length, 'record')} from ${file}.\nNothing was written.\n`);
        return EXIT.ok;
      }
      const result = commitHistoryImport(core, actor, bytes, { fileName: path.basename(file) });
      io.stdout(`Imported ${plural(result.created, 'record')} from ${file}.\n`);
      if (result.taggedOut > 0) io.stdout(`${plural(result.taggedOut, 'device')} taken out of service by a failed calibration or safety test in the history.\n`);
      return EXIT.ok;
    } catch (err) {
      if (err instanceof AppError) {
        for (const d of err.details ?? [{ message: err.message }]) io.stderr(`${file}: ${d.message}\n`);
        io.stderr(`${file}: nothing was imported.\n`);
        return EXIT.input;
      }
      throw err;
    } finally {
      core.close();
    }
  },
};
