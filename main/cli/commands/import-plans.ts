import { analysePlanImport } from '../../core/plans/import';
import { runJobHere } from '../job-here';
import { rowImportCommand } from '../import-file';

export const importPlansCommand = rowImportCommand({
  name: 'import plans',
  summary: 'import plans: asset_tag, task, every, start, mode, window_days, grace_days (all or nothing; --dry-run only checks)',
  noun: 'plan',
  analyse: analysePlanImport,
  count: (analysis) => analysis.plans.length,
  commit: (core, actor, bytes, { fileName }) => runJobHere(core, 'plans.import', { origin: 'cli:import plans', actor, bytes, fileName }),
});
