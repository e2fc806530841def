import path from 'node:path';
import { exportEquipment } from '../../core/equipment/export';
import { AppError } from '../../core/errors';
import { writeOutputFile } from '../../core/outputs';
import type { Command } from '../command';
import { EXIT, UsageError } from '../io';

export const exportEquipmentCommand: Command = {
  name: 'export equipment',
  summary: 'the inventory, as CSV (the default) or JSON, keyed by the import field names',
  usage: '[--format csv|json] [--out FILE]',
  options: {
    format: { type: 'string' },
    out: { type: 'string' },
  },
  run({ args, values, io, openCore }) {
    if (args.length > 0) throw new UsageError(`Unexpected argument "${args[0]}": write the file with --out FILE.`);
    const format = (values.format as string | undefined) ?? 'csv';
    if (format !== 'csv' && format !== 'json') throw new UsageError(`--format "${format}" is not csv or json.`);
    const out = values.out as string | undefined;
    if (out !== undefined && out.trim() === '') throw new UsageError('--out needs a file name.');
    const core = openCore();
    try {
      const result = exportEquipment(core, format);
      if (out === undefined) {
        io.stdout(result.content);
        return EXIT.ok;
      }
      try {
        writeOutputFile(core, path.resolve(io.cwd, out), result.content);
      } catch (err) {
        io.stderr(err instanceof AppError ? `${err.message} Nothing was exported.\n` : `${out}: cannot be written (${(err as { code?: string }).code ?? 'error'}). Nothing was exported.\n`);
        return EXIT.input;
      }
      io.stderr(`Exported ${result.count} device${result.count === 1 ? '' : 's'} to ${out}.\n`);
      return EXIT.ok;
    } finally {
      core.close();
    }
  },
};
