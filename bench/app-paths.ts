import type { Clock } from '../main/core/clock';
import type { Core } from '../main/core/context';
import type { Emit } from '../main/core/dispatcher/handler';
import { startHealth } from '../main/core/health';
import { openCore } from '../main/core/open-core';
import { runStartupChecks } from '../main/core/system/startup-checks';

/**
 * What the app does at start and at quit, as the shell calls it (main/app/recovery.ts,
 * lifecycle.ts), so the bench times the app's own path and not a copy of it.
 */

/** Everything before the window: open (migrating if needed) and check the database. */
export function openBeforeWindow(dataDir: string, clock: Clock): Core & { close(): void } {
  const core = openCore({ dataDir, clock });
  const health = startHealth(core.db);
  if (!health.ok) throw new Error(health.problems.join(' '));
  return core;
}

/** The checks the app starts once the window is up (in the background). */
export function checksAfterWindow(backend: { core: Core; emit: Emit }): Promise<unknown> {
  return runStartupChecks(backend);
}

/** The app's quit: close the database. */
export function closeAtQuit(core: Core & { close(): void }): void {
  core.close();
}
