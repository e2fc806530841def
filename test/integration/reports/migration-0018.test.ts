import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { Core } from '../../../main/core/context';
import { DB_FILE } from '../../../main/core/db/open';
import { schemaVersion } from '../../../main/core/db/migrate';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { recordCompletion } from '../../../main/core/completions/record';
import { migrations } from '../../../main/core/migrations';
import { migration0018 } from '../../../main/core/migrations/0018-first-signed-record-by-plan';
import { complianceReport } from '../../../main/core/reports/compliance';
import { refreshAllServiceStatus } from '../../../main/core/sync/service-status';
import { ComplianceParams } from '../../../shared/domain/report-compliance';
import { fixedClock, testActor, testCore } from '../../helpers/core';
import { databaseAt, indexEntries } from '../../helpers/migrations';
import { device, plan } from '../plans/fixtures';
import { queryPlan } from '../../helpers/query-plan';

/**
 * Migration 0018 (issue 17): each plan's records signed in the app, by when they were entered, in an
 * index of their own, so the compliance report (and the scheduler) find a plan's first signed record
 * by one seek instead of reading its whole history. Imported history counts only when it was
 * entered before that record (docs/records.md), on a database of every older version as on a new one.
 */
const NOW = '2025-06-01T12:00:00Z';

const count = (db: BetterSqlite3.Database, where: string) => db.prepare(`SELECT count(*) FROM completions WHERE ${where}`).pluck().get() as number;

/**
 * Two high-risk pumps with a monthly inspection each. IM-1's January was imported on 10 February,
 * after its first signed record (1 February): it does not count, January is missed. IM-2's January
 * was imported on 20 January, before its first signed record: it counts, on time and marked imported.
 */
function hospital(core: Core, clock: ReturnType<typeof fixedClock>): void {
  const log = (planId: string, day: string, source: 'app' | 'import', enteredAt: string) => {
    clock.set(enteredAt);
    inTransaction(core, (c) => recordCompletion(c, testActor, { planId, performedAt: `${day}T15:00:00Z`, outcome: 'pass', source }));
    clock.set(NOW);
  };
  const one = plan(core, device(core, 'IM-1', { risk: 'high' }), 'inspection', '1m', '2025-01-01', { mode: 'fixed', windowDays: 3, graceDays: 0 }).id;
  const two = plan(core, device(core, 'IM-2', { risk: 'high' }), 'inspection', '1m', '2025-01-01', { mode: 'fixed', windowDays: 3, graceDays: 0 }).id;
  log(one, '2025-02-01', 'app', '2025-02-01T18:00:00Z');
  log(one, '2025-01-01', 'import', '2025-02-10T12:00:00Z');
  log(two, '2025-01-01', 'import', '2025-01-20T12:00:00Z');
  log(two, '2025-02-01', 'app', '2025-02-01T18:00:00Z');
}

function expectImportedHistoryJudged(core: Core): void {
  const r = complianceReport(core, ComplianceParams.parse({ from: '2025-01-01', to: '2025-02-28' }));
  expect([r.total.due, r.total.onTime, r.total.missed, r.total.imported]).toEqual([4, 3, 1, 1]);
  expect(r.highRisk.exceptions.map((x) => [x.assetTag, x.dueOn, x.verdict, x.imported])).toEqual([
    ['IM-1', '2025-01-01', 'missed', false],
    ['IM-2', '2025-01-01', 'on_time', true],
  ]);
}

function expectIndexOfSignedRecords(db: BetterSqlite3.Database): void {
  const sql = db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = 'completions_plan_signed'").pluck().get() as string;
  expect(sql).toMatch(/ON completions \(plan_id, coalesce\(entered_at, created_at\)\) WHERE source <> 'import'$/);
  expect(indexEntries(db, 'completions_plan_signed')).toBe(count(db, "source <> 'import'"));
  expect(count(db, "source = 'import'")).toBe(2);
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
}

/** Every statement `run` prepares on this connection (each is prepared on its first use). */
function preparedBy(core: Core, run: () => void): string[] {
  const seen: string[] = [];
  const prepare = core.db.prepare.bind(core.db);
  core.db.prepare = ((sql: string) => {
    seen.push(sql);
    return prepare(sql);
  }) as typeof core.db.prepare;
  try {
    run();
  } finally {
    core.db.prepare = prepare;
  }
  return seen;
}

/** How SQLite runs a statement with named parameters. */
const planOf = (core: Core, sql: string) =>
  queryPlan(core.db, sql, Object.fromEntries([...sql.matchAll(/@(\w+)/g)].map(([, name]) => [name, name === 'plans' ? '[]' : 'x']))).join('\n');

describe("migration 0018 (each plan's first record signed in the app found by one seek)", () => {
  const before = migrations.indexOf(migration0018);

  it.each(migrations.slice(0, before).map((m) => m.version))('from version %i, the index holds the signed records and imported history is judged as before', (version) => {
    const clock = fixedClock(NOW);
    const core = testCore({ dataDir: databaseAt(version), clock });
    expect(schemaVersion(core.db)).toBe(migrations.at(-1)!.version);
    hospital(core, clock);
    expectIndexOfSignedRecords(core.db);
    expectImportedHistoryJudged(core);
    core.close();
  });

  it('on a database with records, the upgrade fills the index with the signed records only, and the report judges them the same', () => {
    const dir = databaseAt(before);
    const clock = fixedClock(NOW);
    const core = testCore({ dataDir: dir, clock });
    hospital(core, clock);
    core.close();
    // As every version before 0018 left it: no such index.
    const raw = new BetterSqlite3(path.join(dir, DB_FILE));
    raw.exec('DROP INDEX completions_plan_signed');
    raw.pragma(`user_version = ${migrations[before - 1]!.version}`);
    raw.close();

    const upgraded = testCore({ dataDir: dir, clock: fixedClock(NOW) });
    expect(schemaVersion(upgraded.db)).toBe(migrations.at(-1)!.version);
    expectIndexOfSignedRecords(upgraded.db);
    expectImportedHistoryJudged(upgraded);
    upgraded.close();
  });

  it("the report and the scheduler seek a plan's first signed record; the status refresh keeps reading every column from completions_plan", () => {
    const clock = fixedClock(NOW);
    const core = testCore({ clock });
    // Every statement the scheduler and the report prepare, as they run.
    const prepared = preparedBy(core, () => {
      hospital(core, clock);
      complianceReport(core, ComplianceParams.parse({ from: '2025-01-01', to: '2025-02-28' }));
    });
    // The report's (one statement for many plans) and the scheduler's (one plan's effective records).
    const firstSigned = prepared.filter((sql) => /min\(coalesce\(\w+\.entered_at, \w+\.created_at\)\)/.test(sql));
    expect(firstSigned).toHaveLength(2);
    for (const sql of firstSigned) expect(planOf(core, sql)).toMatch(/SEARCH \w+ USING INDEX completions_plan_signed \(plan_id=\?\)/);

    // Every device's deciding records at once: on completions_plan, which holds every column read,
    // not on the signed records' index, which would fetch each record's row.
    const refresh = preparedBy(core, () => inTransaction(core, (c) => refreshAllServiceStatus(c)));
    const deciding = refresh.filter((sql) => /JOIN completions c INDEXED BY completions_plan ON/.test(sql));
    expect(deciding).toHaveLength(1);
    expect(planOf(core, deciding[0]!)).toMatch(/SEARCH c USING COVERING INDEX completions_plan \(plan_id=\?\)/);
    core.close();
  });
});
