import type { ChainCheck } from '../audit';
import { verifyAuditChainAsync } from '../audit';
import type { Backend } from '../backend';

/** What the app found when it checked the database at start, for the supervisors' warning. */
export interface StartupHealth {
  auditChain: ChainCheck | 'checking';
}

const health = new WeakMap<Backend, StartupHealth>();

export function startupHealth(backend: Backend): StartupHealth {
  return health.get(backend) ?? { auditChain: 'checking' };
}

/**
 * Verifies the audit trail's hash chain in the background after start (the same check as
 * `wardkeep verify`); when done, screens re-read and supervisors see a warning if it failed.
 */
export async function runStartupChecks(backend: Backend): Promise<StartupHealth> {
  health.set(backend, { auditChain: 'checking' });
  const auditChain = await verifyAuditChainAsync(backend.core.db);
  const result: StartupHealth = { auditChain };
  health.set(backend, result);
  backend.emit('data.changed', { channel: 'app.health' });
  return result;
}
