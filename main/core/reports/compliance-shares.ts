import { availableParallelism } from 'node:os';
import type { Database } from 'better-sqlite3';
import type { ComplianceParamsValue } from '../../../shared/domain/report-compliance';
import type { Core } from '../context';
import { today } from '../plans/service';
import { query } from '../sql/query';
import { changeMark } from '../sql/until-change';
import type { Lane } from '../worker/protocol';
import type { Packed } from '../worker/packed';
import { runJob } from '../worker/run';
import type { ComplianceShare, PlanRows } from './compliance';

/**
 * The compliance report worked out by two 'reports' workers at once (issue 17). Its work is per
 * plan: each plan's records read and its occurrences judged, a third of it reading the plans.
 * One worker did all of it on one core, while a ward PC has two: a month's report at 50,000
 * devices took about as long as reading its records and the plans. So the plans are cut in two
 * runs of their rowids, each worker reads and judges its own (complianceShare), and the worker
 * that writes the document adds them up (complianceFromShares), to the report one worker gives.
 *
 * The runs cover every rowid and never overlap, so each plan is judged once. Each worker reads its
 * own run when its share starts: a plan added while the report is worked out falls in one run, and
 * is judged or not as it would be by one worker reading at that moment.
 */

/** The workers a report is shared between, in order: the first also writes the document. */
const LANES: readonly Lane[] = ['reports', 'reports-2'];

/**
 * Below this many plans a report takes a few tens of milliseconds in one worker: a clinic's
 * report is not shared, so it never waits for a second worker to start.
 */
export const SHARE_FROM_PLANS = 2000;

// Two seeks of the table's b-tree: asked on the thread that serves the window.
const planRowids = query<{ lo: number | null; hi: number | null }>('SELECT min(rowid) AS lo, max(rowid) AS hi FROM plans');

/**
 * The runs of the plans' rowids for `shares` shares, cut at even steps between the lowest and the
 * highest (plans are never deleted, so the rowids are close to dense), the first and last open at
 * their ends; none when there are too few plans, or one share.
 */
export function planCuts(core: Core, shares: number, from = SHARE_FROM_PLANS): PlanRows[] | null {
  if (shares < 2) return null;
  const { lo, hi } = planRowids.get(core)!;
  if (lo === null || hi === null || hi - lo + 1 < from) return null;
  const step = (hi - lo + 1) / shares;
  const cuts = Array.from({ length: shares - 1 }, (_, i) => lo - 1 + Math.round(step * (i + 1)));
  return Array.from({ length: shares }, (_, i) => ({
    above: i === 0 ? undefined : cuts[i - 1],
    upTo: i === shares - 1 ? undefined : cuts[i],
  }));
}

/** As many shares as there are workers and cores for them: none on a one-core PC. */
const sharesHere = () => Math.min(LANES.length, availableParallelism());

/**
 * The last report's shares, by database, kept until the database changes (changeMark), the day
 * does (a report is judged as of today), or another report is asked for. A supervisor who reads a
 * report on the screen then saves its two CSV files asks for the same report three times: at
 * 50,000 devices a month's shares take about a second, a year's three, and at 200,000 devices a
 * year's twelve. Asked again while it is still being worked out, the same work is waited for.
 */
const kept = new WeakMap<Database, { key: string; shares: Promise<Packed<ComplianceShare>[]> }>();

/** Forgets the kept shares, so the next report is worked out anew: for the bench, which times that. */
export function forgetKeptShares(core: Pick<Core, 'db'>): void {
  kept.delete(core.db);
}

/**
 * The report's shares, each worked out in its own 'reports' worker, or undefined when the report
 * is not shared (a small database, one core): the caller's job then works it out whole. Each comes
 * back packed (worker/packed.ts) and goes on to the worker that adds them up as it came: this
 * thread, which serves the window, never rebuilds a share (3 MB each for a year at 200,000 devices).
 * Every caller is given bytes of its own, as they are moved away with the job they are sent with;
 * the kept ones stay here.
 */
export async function complianceShares(core: Core, params: ComplianceParamsValue): Promise<Packed<ComplianceShare>[] | undefined> {
  const cuts = planCuts(core, sharesHere());
  if (!cuts) return undefined;
  const mark = changeMark(core);
  const key = mark === null ? null : `${mark} ${today(core)} ${JSON.stringify(params)}`;
  const hit = key === null ? undefined : kept.get(core.db);
  let shares = hit?.key === key ? hit.shares : undefined;
  if (!shares) {
    shares = Promise.all(cuts.map((rows, i) => runJob(core, 'reports.complianceShare', { params, rows }, { lane: LANES[i]! })));
    if (key !== null) keep(core.db, key, shares);
  }
  return (await shares).map((s) => ({ packed: s.packed.slice() }));
}

/** Keeps a report's shares as the last; a report stopped (Wardkeep closing) or failed is let go, so the next ask works it out again. */
function keep(db: Database, key: string, shares: Promise<Packed<ComplianceShare>[]>): void {
  const entry = { key, shares };
  kept.set(db, entry);
  shares.catch(() => {
    if (kept.get(db) === entry) kept.delete(db);
  });
}
