import type { ChainCheck } from '../audit';
import { runJob } from '../worker/run';
import type { Core } from '../context';
import type { Emit } from '../dispatcher/handler';

/** What the app found when it checked the database at start, for the supervisors' warning. */
export interface StartupHealth {
  auditChain: ChainCheck | 'checking';
}

/** By database connection: the app has one, each e2e page and test its own. */
const health = new WeakMap<Core['db'], StartupHealth>();

export function startupHealth(core: Core): StartupHealth {
  return health.get(core.db) ?? { auditChain: 'checking' };
}

/**
 * Verifies the audit trail's hash chain in the background after start (the same check as
 * `wardkeep verify`); when done, screens re-read and supervisors see a warning if it failed.
 */
export async function runStartupChecks(backend: { core: Core; emit: Emit }): Promise<StartupHealth> {
  health.set(backend.core.db, { auditChain: 'checking' });
  const auditChain = await runJob(backend.core, 'verify.chain', {});
  const result: StartupHealth = { auditChain };
  health.set(backend.core.db, result);
  backend.emit('data.changed', { channel: 'app.health' });
  return result;
}
