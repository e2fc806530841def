import { expect } from 'vitest';

/**
 * What tests made and must remove (temp folders, open databases), run by
 * test/helpers/cleanup-setup.ts. Kept apart from core.ts, which imports the whole back end, so the
 * setup file every test file runs stays light.
 */
type Cleanup = () => void | Promise<void>;
const cleanups: Cleanup[] = [];
const fileCleanups: Cleanup[] = [];

/**
 * Runs `fn` after the test that made what it cleans up, or after the file's last test when it was
 * made outside any test (a beforeAll): a folder a whole file's app works in must outlive its first
 * test, or a worker opening it later by its path finds it gone.
 */
export function cleanUpAfter(fn: Cleanup): void {
  (expect.getState().currentTestName === undefined ? fileCleanups : cleanups).push(fn);
}

/** Runs, last made first, what the test (afterEach) or the file (afterAll) left to clean up. */
export async function runCleanups(scope: 'test' | 'file'): Promise<void> {
  const list = scope === 'test' ? cleanups : fileCleanups;
  while (list.length) await list.pop()!();
}
