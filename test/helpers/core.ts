import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Backend } from '../../main/core/backend';
import { createBackend } from '../../main/core/backend';
import type { Clock } from '../../main/core/clock';
import type { Actor, Core } from '../../main/core/context';
import type { BackendPorts } from '../../main/core/ports';
import { openCore } from '../../main/core/open-core';
import type { Session } from '../../main/core/session';
import { newSession } from '../../main/core/session';
import { stopWorker } from '../../main/core/worker/run';
import { cleanUpAfter } from './cleanups';
import { signedInUser } from './users';

/** A fresh folder in the OS temp dir, removed after the test (after the file's tests when made in a beforeAll). */
export function tempDir(prefix = 'wardkeep-test-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  // Retried: a worker thread a test left running may still be closing its connection to a file here.
  cleanUpAfter(() => rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 }));
  return dir;
}

/** A clock the test moves by hand. */
export function fixedClock(iso: string): Clock & { set(iso: string): void } {
  let now = new Date(iso);
  return { now: () => new Date(now), set: (v: string) => (now = new Date(v)) };
}

/** A real database in a temp folder, closed after the test. */
export function testCore(options: { clock?: Clock; dataDir?: string } = {}): Core & { close(): void } {
  const dataDir = options.dataDir ?? tempDir();
  const core = openCore({ dataDir, ...(options.clock ? { clock: options.clock } : {}) });
  // The worker threads' connections first (a background check may still be opening the file):
  // the folder is removed next, and a file made in it meanwhile fails its removal.
  cleanUpAfter(async () => {
    await stopWorker(core);
    if (core.db.open) core.close();
  });
  return core;
}

export const testActor: Actor = { userId: null, name: 'Test Runner', role: 'admin', via: 'system' };

/** A backend on a fresh database with a session signed in as a real user of `role`. */
export function testBackend(role: 'technician' | 'supervisor' | 'admin' = 'admin', options: { clock?: Clock; ports?: BackendPorts } = {}): {
  core: Core & { close(): void };
  backend: Backend;
  session: Session;
} {
  const core = testCore(options.clock ? { clock: options.clock } : {});
  const backend = createBackend(core, {
    logError: (err) => {
      throw err;
    },
    ...(options.ports ? { ports: options.ports } : {}),
  });
  const session = newSession(core.clock.now().getTime());
  signedInUser(core, role, { name: `Test ${role}`, session });
  return { core, backend, session };
}
