import { plural } from '../../../shared/labels';
import { analyseHistoryImport } from '../../core/completions/history-import';
import { runJobHere } from '../job-here';
import { rowImportCommand } from '../import-file';

export const importHistoryCommand = rowImportCommand({
  name: 'import history',
  summary: 'import past completions: asset_tag, task, performed_at, outcome, performed_by, notes (all or nothing; --dry-run only checks)',
  noun: 'record',
  analyse: analyseHistoryImport,
  count: (analysis) => analysis.records.length,
  commit: (core, actor, bytes, { fileName }) => runJobHere(core, 'history.import', { origin: 'cli:import history', actor, bytes, fileName }),
  afterCommit: (result) =>
    result.failedLast.length > 0
      ? `Imported history is unsigned and never changes a device's status. The latest calibration or safety test of ${plural(result.failedLast.length, 'device')} is an imported fail: check ${result.failedLast.length === 1 ? 'its' : 'their'} status (${result.failedLast.join(', ')}).\n`
      : '',
});
