import type { ChainCheck } from '../audit';
import { anchorsOf } from '../anchors';
import { chainId } from '../anchors/chain';
import type { AnchorCheck } from '../anchors/check';
import { ringMaterial } from '../anchors/key';
import type { VerifiedPosition } from '../anchors/position';
import { lastVerifiedPosition, recordVerifiedPosition } from '../anchors/position';
import type { HealthReport } from '../health';
import type { JobResult } from '../worker/jobs';
import { runJob, workerStopMark, workerStopped } from '../worker/run';
import type { Core } from '../context';
import type { Emit } from '../dispatcher/handler';

/** The deep check (every page read, the whole trail re-hashed) runs after start when the last one is older than this. */
export const DEEP_CHECK_EVERY_DAYS = 7;

/** What the app found when it checked the database at start, for the supervisors' warning. */
export interface StartupHealth {
  auditChain: ChainCheck | 'checking';
  anchors: AnchorCheck | 'checking';
  /** The deep check's `quick_check`: running, passed (when), or what it found. */
  integrity: { state: 'checking' } | { state: 'ok'; checkedAt: string } | { state: 'damaged'; report: HealthReport };
  /**
   * The deep check's stock figures against their movements (stock/figures-check.ts), as the last deep
   * check of this process found them: 'not_checked' when none has run (a start within the week), or
   * none could read them (a damaged file). 'changed' lists the first 50 sentences and counts the rest.
   */
  stock: StockHealth;
}

export type StockHealth = { state: 'checking' } | { state: 'not_checked' } | { state: 'ok' } | { state: 'changed'; findings: string[]; more: number };

/** By database connection: the app has one, each e2e page and test its own. */
const health = new WeakMap<Core['db'], StartupHealth>();

const CHECKING: StartupHealth = { auditChain: 'checking', anchors: 'checking', integrity: { state: 'checking' }, stock: { state: 'checking' } };

export function startupHealth(core: Core): StartupHealth {
  return health.get(core.db) ?? CHECKING;
}

function deepDue(position: VerifiedPosition | null, now: Date): boolean {
  if (!position?.deepAt) return true;
  const last = Date.parse(position.deepAt);
  return !(now.getTime() - last < DEEP_CHECK_EVERY_DAYS * 86_400_000) || last > now.getTime();
}

/**
 * The checks after start, all in the worker thread so the window keeps answering (issue 17):
 * 1. the audit trail from the last position a check verified (audit-verified-<key id>.json, signed with
 *    the anchor key) to its head: only what was written since, never the whole trail again;
 * 2. the trail against its head log: the lines written since the last check that passed (the bytes
 *    checked before unchanged, each chain's newest head compared again), every line on deep days;
 * 3. when the last deep check is older than DEEP_CHECK_EVERY_DAYS (or there is none): `quick_check`
 *    of every page, the whole trail re-hashed, every stock figure against its movements (the job drops
 *    the saved replay points of the items whose figures differ) and every line of the head log.
 * Supervisors see a warning when any fails; a position is recorded only after a check that passed.
 */
export async function runStartupChecks(backend: { core: Core; emit: Emit }): Promise<StartupHealth> {
  try {
    return await checks(backend);
  } catch (err) {
    // Closed while the worker checked, or stopped by the closing (the app quit, a test ended):
    // nothing left to say, and nothing recorded, so the next start checks again. Otherwise the
    // check could not run, which supervisors must hear of as much as a failed one.
    if (!backend.core.db.open || (err as Error).name === 'CheckStoppedError') return startupHealth(backend.core);
    const message = `The background check could not run: ${(err as Error).message}`;
    const was = startupHealth(backend.core);
    const failed: StartupHealth = {
      ...was,
      integrity: { state: 'damaged', report: { ok: false, problems: [message] } },
      stock: was.stock.state === 'checking' ? { state: 'not_checked' } : was.stock,
    };
    health.set(backend.core.db, failed);
    backend.emit('data.changed', { channel: 'app.health' });
    return failed;
  }
}

/**
 * The deep check's stock findings, for the supervisors. The job has dropped the named items' saved
 * replay points (as `wardkeep verify` does), so the next stock change of each replays its movements
 * whole, a point edited alike with the figures included; when it could not, that is said too.
 */
function stockHealth({ stock, stockSetAside }: JobResult<'verify.deep'>): StockHealth {
  if (!stock) return { state: 'not_checked' };
  if (stock.ok) return { state: 'ok' };
  const findings = stock.findings.map((f) => f.message);
  if (stockSetAside) findings.push(stockSetAside);
  return { state: 'changed', findings, more: stock.more };
}

async function checks(backend: { core: Core; emit: Emit }): Promise<StartupHealth> {
  const core = backend.core;
  // What an earlier deep check of this process found of the stock stands until the next one.
  const known = health.get(core.db)?.stock;
  const stockBefore: StockHealth = known && known.state !== 'checking' ? known : { state: 'not_checked' };
  health.set(core.db, CHECKING);
  // Stopped (Wardkeep closing) once a job is done: no next job, which would start a worker again.
  const mark = workerStopMark(core);
  const over = () => !core.db.open || workerStopped(core, mark);
  const attached = anchorsOf(core);
  const stored = attached ? lastVerifiedPosition(attached.dataDir, attached.ring) : null;
  // A position of another chain (a restore started a new one since) is not this trail's: walk it all.
  const position = stored && stored.chain === chainId(core.db) ? stored : null;
  const now = core.clock.now();
  const deep = deepDue(position, now);

  // In the worker too: the head log grows by a line per commit. Each start checks the lines written
  // since the last check that passed; the deep check, every line.
  // The log's bytes a check read stay what they were whatever chain the position is of (a restore since).
  const since = stored?.log ? { ...stored.log, at: stored.at } : null;
  const anchorCheck = async (whole: boolean): Promise<JobResult<'verify.anchors'>> =>
    attached
      ? runJob(core, 'verify.anchors', { keys: ringMaterial(attached.ring), since, whole })
      : { check: { ok: true, findings: [], notes: [], head: null }, checkpoint: null };
  const record = (chain: JobResult<'verify.chain'>, anchors: JobResult<'verify.anchors'>, deepAt: string | undefined) => {
    if (chain.ok && anchors.check.ok && chain.last && attached?.ring.signing) {
      recordVerifiedPosition(attached.dataDir, { chain: chainId(core.db), ...chain.last }, attached.ring.signing, now, deepAt, anchors.checkpoint);
    }
  };
  const publish = (h: StartupHealth) => {
    health.set(core.db, h);
    backend.emit('data.changed', { channel: 'app.health' });
    return h;
  };

  if (position) {
    const chain = await runJob(core, 'verify.chain', { after: { seq: position.seq, hash: position.hash } });
    // The app may have quit (the database closed) while the worker checked: nothing left to say.
    if (over()) return startupHealth(core);
    const anchors = await anchorCheck(false);
    if (over()) return startupHealth(core);
    const result = publish({
      auditChain: chain,
      anchors: anchors.check,
      integrity: deep || !position.deepAt ? { state: 'checking' } : { state: 'ok', checkedAt: position.deepAt },
      stock: deep ? { state: 'checking' } : stockBefore,
    });
    if (!deep) {
      record(chain, anchors, position.deepAt);
      return result;
    }
  }
  // No verified position (a first start, a restore) or the deep check is due: every page and the whole trail.
  const found = await runJob(core, 'verify.deep', {});
  if (over()) return startupHealth(core);
  const anchors = await anchorCheck(true);
  if (over()) return startupHealth(core);
  const final = publish({
    auditChain: found.chain,
    anchors: anchors.check,
    integrity: found.integrity.ok ? { state: 'ok', checkedAt: now.toISOString() } : { state: 'damaged', report: found.integrity },
    stock: stockHealth(found),
  });
  record(found.chain, anchors, found.integrity.ok ? now.toISOString() : position?.deepAt);
  return final;
}
