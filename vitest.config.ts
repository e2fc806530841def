import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { TestProjectInlineConfiguration } from 'vitest/config';
import { defineConfig } from 'vitest/config';

/** The worker thread, bundled once for the tests (see the file). */
const WORKER = 'test/helpers/worker-setup.ts';
/** Each test file's temp folders and databases removed after it (see the file). */
const CLEANUP = 'test/helpers/cleanup-setup.ts';
const SETUP = [WORKER, 'test/helpers/hash-cost.ts', CLEANUP];

/**
 * A test file that replaces modules (`vi.mock`) or globals needs modules of its own: it runs in a
 * fresh process, as every file did before. All other files of a project share one process and its
 * loaded modules (`isolate: false`), which saves starting Node and loading the back end again for
 * each of several hundred files (on a 2-core machine about a second a file). A shared helper must
 * therefore not register hooks at its top (test/helpers/cleanup-setup.ts), and a spy or fake timer
 * is put back by the file that made it (test/unit/architecture/test-isolation.test.ts).
 */
export const OWN_MODULES = /\bvi\.(mock|doMock|unmock|doUnmock|resetModules|stubGlobal|stubEnv)\(/;

/** The test files under `dirs` whose source matches OWN_MODULES, as paths from the project's root. */
export function filesWithOwnModules(dirs: string[]): string[] {
  return dirs
    .flatMap((dir) => readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => path.posix.join(dir, f.split(path.sep).join('/'))))
    .filter((f) => f.endsWith('.test.ts') && OWN_MODULES.test(readFileSync(f, 'utf8')))
    .sort();
}

const unitOwn = filesWithOwnModules(['test/unit']);
const integrationOwn = filesWithOwnModules(['test/integration', 'test/fuzz']);

/** The unit tests in one time zone: those sharing a process, and those with modules of their own. */
function unit(TZ: string): TestProjectInlineConfiguration[] {
  return [
    {
      test: { name: `unit (${TZ})`, include: ['test/unit/**/*.test.ts'], exclude: unitOwn, isolate: false, env: { TZ }, setupFiles: SETUP },
    },
    { test: { name: `unit, own modules (${TZ})`, include: unitOwn, env: { TZ }, setupFiles: SETUP } },
  ];
}

/**
 * Unit tests run twice, under a zone with daylight saving in the northern hemisphere and one in
 * the southern, because "today" and completion dates are local calendar dates (docs/scheduling.md, "Dates").
 * The e2e suite drives the built renderer in Chromium; `npm test` builds it first.
 */
export default defineConfig({
  test: {
    projects: [
      ...unit('Europe/London'),
      ...unit('Pacific/Auckland'),
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/fuzz/**/*.test.ts'],
          exclude: integrationOwn,
          isolate: false,
          env: { TZ: 'America/New_York' },
          setupFiles: SETUP,
          testTimeout: 60_000,
          // One throwaway PostgreSQL cluster for the run (the hub's tests); each file makes its own database.
          globalSetup: ['test/integration/sync/global-setup.ts'],
        },
      },
      {
        test: {
          name: 'integration, own modules',
          include: integrationOwn,
          env: { TZ: 'America/New_York' },
          setupFiles: SETUP,
          testTimeout: 60_000,
          globalSetup: ['test/integration/sync/global-setup.ts'],
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.e2e.test.ts'],
          isolate: false,
          env: { TZ: 'Europe/London' },
          testTimeout: 120_000,
          hookTimeout: 120_000,
          globalSetup: ['test/e2e/global-setup.ts'],
          setupFiles: SETUP,
          // Chromium is heavy: one file at a time keeps a 2-core CI machine responsive.
          fileParallelism: false,
        },
      },
    ],
  },
});
