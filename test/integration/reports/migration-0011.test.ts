import { describe, expect, it } from 'vitest';
import { schemaVersion } from '../../../main/core/db/migrate';
import { migrations } from '../../../main/core/migrations';
import { migration0011 } from '../../../main/core/migrations/0011-records-by-plan-covering';
import { complianceReport } from '../../../main/core/reports/compliance';
import { fixedClock, testCore } from '../../helpers/core';
import { databaseAt } from '../../helpers/migrations';
import { device, done, plan } from '../plans/fixtures';
import { queryPlan } from '../../helpers/query-plan';

/** Migration 0011 (issue 17): a plan's records come from `completions_plan` alone, on a database of every older version. */
describe('migration 0011 (a plan\'s records read from the index alone)', () => {
  const before = migrations.indexOf(migration0011);
  it.each(migrations.slice(0, before).map((m) => m.version))('from version %i, the index carries what the readers of a plan\'s records take', (version) => {
    const dir = databaseAt(version);

    const core = testCore({ dataDir: dir, clock: fixedClock('2025-03-01T12:00:00Z') });
    expect(schemaVersion(core.db)).toBe(migrations.at(-1)!.version);
    const columns = core.db.prepare("SELECT name FROM pragma_index_info('completions_plan') ORDER BY seqno").pluck().all();
    expect(columns).toEqual(['plan_id', 'performed_at', 'performed_on', 'outcome', 'amends_id', 'source', 'entered_at', 'created_at', 'id']);
    // The compliance report's read of each plan's records never visits the table.
    const detail = queryPlan(
      core.db,
      `SELECT c.plan_id, c.id, c.performed_at, c.performed_on, c.outcome, c.amends_id, c.source, coalesce(c.entered_at, c.created_at)
       FROM json_each(@plans) j JOIN completions c INDEXED BY completions_plan ON c.plan_id = j.value ->> 0 AND c.performed_at >= j.value ->> 1
       WHERE c.performed_on <= @end`,
      { plans: '[]', end: '2025-03-01' },
    ).join('\n');
    expect(detail).toMatch(/SEARCH c USING COVERING INDEX completions_plan \(plan_id=\? AND performed_at>\?\)/);
    // And the report still judges from it: a calibration done on its due day is on time, one two days after late.
    const p1 = plan(core, device(core, 'DF-1'), 'calibration', '1m', '2025-02-01');
    const p2 = plan(core, device(core, 'DF-2'), 'calibration', '1m', '2025-02-01');
    done(core, p1.id, '2025-02-01T10:00:00Z');
    done(core, p2.id, '2025-02-03T10:00:00Z');
    const report = complianceReport(core, { from: '2025-02-01', to: '2025-02-28' });
    expect(report.total).toMatchObject({ due: 2, onTime: 1, late: 1, missed: 0 });
    core.close();
  });
});
