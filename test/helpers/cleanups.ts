/**
 * What tests made and must remove (temp folders, open databases), run by
 * test/helpers/cleanup-setup.ts. Kept apart from core.ts, which imports the whole back end, so the
 * setup file every test file runs stays light.
 */
type Cleanup = () => void | Promise<void>;
const cleanups: Cleanup[] = [];
const fileCleanups: Cleanup[] = [];
/** Whether a test (with its beforeEach and afterEach hooks) is running: set by the setup file's hooks. */
let inTest = false;

/**
 * Runs `fn` after the test that made what it cleans up, or after the file's last test when it was
 * made outside any test (a beforeAll): a folder a whole file's app works in must outlive its first
 * test, or a worker opening it later by its path finds it gone.
 * (Not told by vitest's `expect.getState().currentTestName`: a beforeAll after a test still sees
 * that test's name, and where files share a process a file's first beforeAll sees the last file's.)
 */
export function cleanUpAfter(fn: Cleanup): void {
  (inTest ? cleanups : fileCleanups).push(fn);
}

/** A test begins: what is made from here until its afterEach hooks end is the test's. */
export function testBegins(): void {
  inTest = true;
}

/** A file begins: nothing made yet is a test's. */
export function fileBegins(): void {
  inTest = false;
}

/** Runs, last made first, what the test (afterEach) or the file (afterAll) left to clean up. */
export async function runCleanups(scope: 'test' | 'file'): Promise<void> {
  const list = scope === 'test' ? cleanups : fileCleanups;
  try {
    while (list.length) await list.pop()!();
  } finally {
    if (scope === 'test') inTest = false;
  }
}
