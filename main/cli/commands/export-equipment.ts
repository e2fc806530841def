import { exportEquipment } from '../../core/equipment/export';
import type { Command } from '../command';
import { EXIT, UsageError } from '../io';
import { writeOutFile } from '../out-file';

export const exportEquipmentCommand: Command = {
  name: 'export equipment',
  database: 'reads',
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
      if (!writeOutFile(core, io, out, result.content, { nothing: 'Nothing was exported.', example: `equipment.${format}`, csv: format === 'csv' })) return EXIT.input;
      io.stderr(`Exported ${result.count} device${result.count === 1 ? '' : 's'} to ${out}.\n`);
      return EXIT.ok;
    } finally {
      core.close();
    }
  },
};
