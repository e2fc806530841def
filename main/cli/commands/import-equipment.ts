import path from 'node:path';
import type { ImportMessage, ImportPreview, ImportResult } from '../../../shared/contract/equipment-import';
import type { LastDoneField } from '../../../shared/contract/equipment-import';
import { GenerateTagsPrefix, isLastDoneField } from '../../../shared/contract/equipment-import';
import type { EquipmentFileField } from '../../../shared/domain/equipment';
import { EQUIPMENT_FILE_FIELDS } from '../../../shared/domain/equipment';
import { plural } from '../../../shared/labels';
import { previewEquipmentImport } from '../../core/equipment/import/service';
import { runJobHere } from '../job-here';
import { parseFieldName } from '../../core/equipment/import/mapping';
import type { Command } from '../command';
import { importFileArg, readImportFile, reportImportRefusal } from '../import-file';
import { EXIT, UsageError } from '../io';

/** `--map "Code=asset_tag"` maps a column; `--map "Status="` ignores one. Split at the last `=`. */
export function parseMapOptions(values: readonly string[]): Record<string, EquipmentFileField | LastDoneField | null> {
  const out: Record<string, EquipmentFileField | LastDoneField | null> = {};
  for (const value of values) {
    const at = value.lastIndexOf('=');
    if (at <= 0)
      throw new UsageError(`--map "${value}" is not COLUMN=field (e.g. --map "Code=asset_tag", or --map "Status=" to ignore a column).`);
    const column = value.slice(0, at).trim();
    const fieldText = value.slice(at + 1).trim();
    if (fieldText === '') {
      out[column] = null;
      continue;
    }
    const field = parseFieldName(fieldText) ?? (isLastDoneField(fieldText.toLowerCase()) ? (fieldText.toLowerCase() as LastDoneField) : null);
    if (!field)
      throw new UsageError(
        `--map "${value}": "${fieldText}" is not a field; the fields are ${EQUIPMENT_FILE_FIELDS.join(', ')}, and last_<task> (when the task was last done).`,
      );
    out[column] = field;
  }
  return out;
}

export const importEquipmentCommand: Command = {
  name: 'import equipment',
  summary: 'import an inventory CSV (all or nothing; --dry-run only checks it)',
  usage: 'FILE [--map COLUMN=field]… [--generate-tags PREFIX] [--dry-run]',
  options: {
    map: { type: 'string', multiple: true },
    'generate-tags': { type: 'string' },
    'dry-run': { type: 'boolean' },
  },
  async run({ args, values, io, actor, openCore, isNewDataFolder, openEmptyCore }) {
    const file = importFileArg(args);
    const mapping = parseMapOptions(((values.map as string[] | undefined) ?? []).map(String));
    let prefix: string | null = null;
    if (values['generate-tags'] !== undefined) {
      const parsed = GenerateTagsPrefix.safeParse(values['generate-tags']);
      if (!parsed.success)
        throw new UsageError(`--generate-tags "${String(values['generate-tags'])}": the prefix ${parsed.error.issues[0]!.message}.`);
      prefix = parsed.data;
    }
    const dryRun = values['dry-run'] === true;
    const bytes = readImportFile(io, file);
    if (!bytes) return EXIT.input;
    const say = (m: ImportMessage) => `${file}: ${m.message}\n`;
    const input = { source: { bytes }, mapping, generateTagsPrefix: prefix };
    /** Says the warnings, then every problem: true when there is one (nothing is written). */
    const refused = (preview: ImportPreview): boolean => {
      for (const w of preview.warnings) io.stderr(`Warning: ${say(w)}`);
      if (preview.problems.length === 0) return false;
      for (const p of preview.problems) io.stderr(say(p));
      io.stderr(
        `${file}: nothing was imported: ${plural(preview.problems.length, 'problem')} in ${plural(preview.counts.invalid, 'row')} of ${preview.counts.rows}.\n`,
      );
      return true;
    };
    const summary = (verb: string, r: Pick<ImportResult, 'created' | 'newLocations' | 'newCategories' | 'statusWords'>, tags: number) =>
      `${verb} ${plural(r.created, 'device')} from ${file}` +
      `${tags ? `, ${plural(tags, 'generated asset tag')}` : ''}` +
      `${r.newLocations.length ? `; new locations: ${r.newLocations.join(', ')}` : ''}` +
      `${r.newCategories.length ? `; new categories: ${r.newCategories.join(', ')}` : ''}.\n` +
      (r.statusWords.length ? `Statuses:\n${r.statusWords.map((s) => `  ${s.word === '' ? '(blank)' : s.word} → ${s.status}: ${s.count}\n`).join('')}` : '');
    // A folder with no database yet gets one only for a file that is imported: checked first against
    // an empty database of its own, so a refused file or a dry run makes nothing there.
    const fresh = isNewDataFolder();
    let core = fresh ? openEmptyCore() : openCore();
    try {
      if (dryRun || fresh) {
        const preview = previewEquipmentImport(core, input);
        // Warnings of a file that is imported are said once, after the import.
        if ((dryRun || preview.problems.length > 0) && refused(preview)) return EXIT.input;
        if (dryRun) {
          io.stdout(summary('Dry run: would import', { ...preview, created: preview.counts.rows }, preview.counts.tagsGenerated));
          io.stdout('Nothing was written.\n');
          return EXIT.ok;
        }
        core.close();
        core = openCore();
      }
      // The file is checked in the transaction that writes it (issue 17); in a new data folder
      // it was checked before too, against the empty database, so a refused file made nothing.
      const done = await runJobHere(core, 'equipment.import.checked', { origin: 'cli:import equipment', actor, input, fileName: path.basename(file) });
      if (done.refused) {
        refused(done.refused);
        return EXIT.input;
      }
      for (const w of done.imported.warnings) io.stderr(`Warning: ${say(w)}`);
      io.stdout(summary('Imported', done.imported, done.imported.generatedTags.length));
      return EXIT.ok;
    } catch (err) {
      return reportImportRefusal(io, file, err);
    } finally {
      core.close();
    }
  },
};
