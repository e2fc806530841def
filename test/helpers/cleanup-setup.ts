import { afterAll, afterEach, beforeEach } from 'vitest';
import { fileBegins, runCleanups, testBegins } from './cleanups';

/**
 * A setup file: vitest runs it before every test file, also where test files share a worker's
 * modules (`isolate: false`, vitest.config.ts). There a hook registered at the top of a shared
 * helper would run for the first file that imported it only, and later files would leave their
 * temp folders and databases behind.
 * Registered before the file's own hooks, so this beforeEach runs before theirs and this afterEach
 * after theirs (vitest runs after-hooks last registered first).
 */
fileBegins();
beforeEach(testBegins);
afterEach(() => runCleanups('test'));
afterAll(() => runCleanups('file'));
