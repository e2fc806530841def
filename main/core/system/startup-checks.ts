import type { ChainCheck } from '../audit';
import { anchorsOf } from '../anchors';
import type { AnchorCheck } from '../anchors/check';
import { checkAgainstLog } from '../anchors/check';
import { readHeadLog } from '../anchors/head-log';
import { recordVerifiedPosition } from '../anchors/position';
import { runJob } from '../worker/run';
import type { Core } from '../context';
import type { Emit } from '../dispatcher/handler';

/** What the app found when it checked the database at start, for the supervisors' warning. */
export interface StartupHealth {
  auditChain: ChainCheck | 'checking';
  anchors: AnchorCheck | 'checking';
}

/** By database connection: the app has one, each e2e page and test its own. */
const health = new WeakMap<Core['db'], StartupHealth>();

export function startupHealth(core: Core): StartupHealth {
  return health.get(core.db) ?? { auditChain: 'checking', anchors: 'checking' };
}

/**
 * Verifies the audit trail's hash chain in the background after start (the same check as
 * `wardkeep verify`); when done, screens re-read and supervisors see a warning if it failed.
 */
export async function runStartupChecks(backend: { core: Core; emit: Emit }): Promise<StartupHealth> {
  health.set(backend.core.db, { auditChain: 'checking', anchors: 'checking' });
  const auditChain = await runJob(backend.core, 'verify.chain', {});
  // The trail against its anchors: the head log and keys of this data folder.
  const attached = anchorsOf(backend.core);
  const anchors = attached ? checkAgainstLog(backend.core.db, readHeadLog(attached.dataDir), attached.ring) : { ok: true, findings: [], notes: [], head: null };
  if (auditChain.ok && anchors.ok && anchors.head && attached?.ring.signing) {
    // Issue 17's incremental check starts from here next time.
    recordVerifiedPosition(attached.dataDir, anchors.head, attached.ring.signing);
  }
  const result: StartupHealth = { auditChain, anchors };
  health.set(backend.core.db, result);
  backend.emit('data.changed', { channel: 'app.health' });
  return result;
}
