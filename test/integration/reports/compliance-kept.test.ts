import Database from 'better-sqlite3';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { complianceCsv, complianceDocument } from '../../../main/core/reports/compliance';
import { actorOfUser } from '../../../main/core/context';
import { SHARE_FROM_PLANS } from '../../../main/core/reports/compliance-shares';
import type { ComplianceDocument } from '../../../shared/domain/report-compliance';
import { ComplianceParams } from '../../../shared/domain/report-compliance';
import { done } from '../plans/fixtures';
import { manyPlans, Q1, ward } from './worker-ward';

/** How many shares of a report the 'reports' workers were asked to work out. */
const shareJobs = vi.hoisted(() => ({ n: 0 }));

vi.mock('../../../main/core/worker/run', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../main/core/worker/run')>();
  const runJob: typeof real.runJob = (core, job, args, options) => {
    if (job === 'reports.complianceShare') shareJobs.n++;
    return real.runJob(core, job, args, options);
  };
  return { ...real, runJob };
});

/** The shares of one report: one per worker, one worker on a PC of one core. */
const PER_REPORT = Math.min(2, availableParallelism());

/**
 * A supervisor reads the compliance report on the screen, then saves its two CSV files: three asks
 * of the same report. At a hospital's size its shares take seconds (a year at 200,000 devices,
 * twelve), so the last report's shares are kept until anything changes (issue 17). What is kept
 * must never be shown once the database or the day has moved on.
 */
describe("the compliance report's shares, kept until the database or the day changes", () => {
  function hospital() {
    const w = ward();
    manyPlans(w.core, SHARE_FROM_PLANS + 100);
    w.clock.set('2025-04-20T09:00:00Z');
    shareJobs.n = 0;
    return w;
  }

  async function report(w: ReturnType<typeof hospital>, params = Q1): Promise<ComplianceDocument> {
    const res = await w.backend.invoke(w.signedIn(), 'reports.compliance', params);
    if (!res.ok) throw new Error(res.error.message);
    return res.value;
  }

  it('the screen and then its two CSV files: the plans are judged once, and each file is what the report worked out whole gives', async () => {
    const w = hospital();
    expect(await report(w)).toEqual(complianceDocument(w.core, actorOfUser(w.user), Q1));
    for (const part of ['summary', 'high_risk'] as const) {
      const csv = await w.backend.invoke(w.signedIn(), 'reports.complianceCsv', { params: Q1, part });
      if (!csv.ok) throw new Error(csv.error.message);
      expect(csv.value).toEqual(complianceCsv(w.core, Q1, part));
    }
    // And the screen once more (the supervisor comes back to it).
    expect(await report(w)).toEqual(complianceDocument(w.core, actorOfUser(w.user), Q1));
    expect(shareJobs.n).toBe(PER_REPORT);
  });

  it('the screen and a CSV file asked at once wait for the same work', async () => {
    const w = hospital();
    const [doc, csv] = await Promise.all([
      report(w),
      w.backend.invoke(w.signedIn(), 'reports.complianceCsv', { params: Q1, part: 'summary' }),
    ]);
    if (!csv.ok) throw new Error(csv.error.message);
    expect(doc).toEqual(complianceDocument(w.core, actorOfUser(w.user), Q1));
    expect(csv.value).toEqual(complianceCsv(w.core, Q1, 'summary'));
    expect(shareJobs.n).toBe(PER_REPORT);
  });

  it('another period, or another ward, is worked out anew', async () => {
    const w = hospital();
    await report(w);
    const feb = ComplianceParams.parse({ from: '2025-02-01', to: '2025-02-28' });
    expect(await report(w, feb)).toEqual(complianceDocument(w.core, actorOfUser(w.user), feb));
    expect(shareJobs.n).toBe(2 * PER_REPORT);
    // Back to the first: only the last report is kept.
    expect(await report(w)).toEqual(complianceDocument(w.core, actorOfUser(w.user), Q1));
    expect(shareJobs.n).toBe(3 * PER_REPORT);
  });

  it('a record signed in the app since shows in the next report', async () => {
    const w = hospital();
    const before = await report(w);
    // One of the pumps missed in February and March, calibrated late on 28 February after all.
    const missed = w.core.db
      .prepare("SELECT p.id FROM plans p JOIN equipment e ON e.id = p.equipment_id WHERE e.asset_tag = 'PUMP-00007'")
      .pluck()
      .get() as string;
    w.clock.set('2025-02-28T15:00:00Z');
    done(w.core, missed, '2025-02-28T14:00:00Z');
    w.clock.set('2025-04-20T09:00:00Z');
    const after = await report(w);
    expect(shareJobs.n).toBe(2 * PER_REPORT);
    expect(after).toEqual(complianceDocument(w.core, actorOfUser(w.user), Q1));
    expect(after.report.total.late).toBe(before.report.total.late + 1);
    expect(after.report.total.missed).toBe(before.report.total.missed - 1);
  });

  it('the file changed by another program (sqlite3, a second Wardkeep, a sync) shows in the next report', async () => {
    const w = hospital();
    const before = await report(w);
    expect(before.report.rows).toEqual([expect.objectContaining({ task: 'calibration', risk: 'high' })]);
    // As someone with sqlite3 would: a connection of its own, on the same file.
    const other = new Database(join(w.core.dataDir, 'wardkeep.sqlite3'));
    expect(other.prepare("UPDATE equipment SET risk = 'low' WHERE asset_tag = 'PUMP-00001'").run().changes).toBe(1);
    other.close();
    const after = await report(w);
    expect(shareJobs.n).toBe(2 * PER_REPORT);
    expect(after).toEqual(complianceDocument(w.core, actorOfUser(w.user), Q1));
    expect(after.report.rows).toEqual([
      expect.objectContaining({ task: 'calibration', risk: 'high', plans: before.report.rows[0]!.plans - 1 }),
      expect.objectContaining({ task: 'calibration', risk: 'low', plans: 1 }),
    ]);
  });

  it('the next day, a report of a period not over is judged as of that day', async () => {
    const w = hospital();
    w.clock.set('2025-02-20T09:00:00Z');
    expect((await report(w)).report.judgedOn).toBe('2025-02-20');
    w.clock.set('2025-02-20T17:00:00Z');
    expect((await report(w)).report.judgedOn).toBe('2025-02-20');
    expect(shareJobs.n).toBe(PER_REPORT);
    w.clock.set('2025-02-21T08:00:00Z');
    const next = await report(w);
    expect(next.report.judgedOn).toBe('2025-02-21');
    expect(next).toEqual(complianceDocument(w.core, actorOfUser(w.user), Q1));
    expect(shareJobs.n).toBe(2 * PER_REPORT);
  });
});
