import { describe, expect, it } from 'vitest';
import { schemaVersion } from '../../../main/core/db/migrate';
import { migrations } from '../../../main/core/migrations';
import { migration0013 } from '../../../main/core/migrations/0013-records-by-day-covering';
import { complianceReport } from '../../../main/core/reports/compliance';
import { fixedClock, testCore } from '../../helpers/core';
import { databaseAt } from '../../helpers/migrations';
import { device, done, plan } from '../plans/fixtures';
import { queryPlan } from '../../helpers/query-plan';

/** Migration 0013 (issue 17): a span of days' records, with their plan and outcome, come from `completions_performed_on` alone, on a database of every older version. */
describe("migration 0013 (a day's records with their plan and outcome read from the index alone)", () => {
  const before = migrations.indexOf(migration0013);
  it.each(migrations.slice(0, before).map((m) => m.version))(
    'from version %i, the index carries what the compliance report reads by day',
    (version) => {
      const dir = databaseAt(version);

      const clock = fixedClock('2025-01-01T12:00:00Z');
      const core = testCore({ dataDir: dir, clock });
      expect(schemaVersion(core.db)).toBe(migrations.at(-1)!.version);
      const columns = core.db.prepare("SELECT name FROM pragma_index_info('completions_performed_on') ORDER BY seqno").pluck().all();
      expect(columns).toEqual(['performed_on', 'plan_id', 'outcome']);
      // The report's search for floating plans due in its period never visits the table.
      const detail = queryPlan(
        core.db,
        `SELECT DISTINCT c.plan_id
           FROM completions c INDEXED BY completions_performed_on
           WHERE c.performed_on BETWEEN @lo AND @hi
             AND c.outcome IN (SELECT value FROM json_each(@passing))
             AND c.plan_id IN (SELECT id FROM plans INDEXED BY plans_floating
                               WHERE mode = 'floating' AND interval_unit = 'year' AND interval_n = 1 AND start_date < @lo)`,
        { passing: '["pass"]', lo: '2025-01-01', hi: '2025-01-31' },
      ).join('\n');
      expect(detail).toMatch(/SEARCH c USING COVERING INDEX completions_performed_on \(performed_on>\? AND performed_on<\?\)/);
      expect(detail).toMatch(
        /SEARCH plans USING COVERING INDEX plans_floating \(mode=\? AND interval_unit=\? AND interval_n=\? AND start_date<\?\)/,
      );
      // And the report finds by it the yearly floating plan due in February (a year after its last pass), and not the one due in March.
      const feb = plan(core, device(core, 'FL-1', { risk: 'high' }), 'calibration', '1y', '2023-12-01', { mode: 'floating' });
      const mar = plan(core, device(core, 'FL-2', { risk: 'high' }), 'calibration', '1y', '2023-12-01', { mode: 'floating' });
      done(core, feb.id, '2024-02-03T09:00:00Z');
      done(core, mar.id, '2024-03-03T09:00:00Z');
      clock.set('2025-03-20T12:00:00Z');
      const report = complianceReport(core, { from: '2025-02-01', to: '2025-02-28' });
      expect(report.rows.map((r) => [r.task, r.plans])).toEqual([['calibration', 1]]);
      expect(report.total).toMatchObject({ due: 1, missed: 1 });
      expect(report.highRisk.exceptions.map((x) => [x.assetTag, x.dueOn, x.verdict])).toEqual([['FL-1', '2025-02-03', 'missed']]);
      core.close();
    },
  );
});
