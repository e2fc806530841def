import { defineConfig } from 'vitest/config';

/** The worker thread, bundled once for the tests (see the file). */
const WORKER = 'test/helpers/worker-setup.ts';

/**
 * Unit tests run twice, under a zone with daylight saving in the northern hemisphere and one in
 * the southern, because "today" and completion dates are local calendar dates (docs/scheduling.md, "Dates").
 * The e2e suite drives the built renderer in Chromium; `npm test` builds it first.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit (Europe/London)',
          include: ['test/unit/**/*.test.ts'],
          env: { TZ: 'Europe/London' },
          setupFiles: [WORKER, 'test/helpers/hash-cost.ts'],
        },
      },
      {
        test: {
          name: 'unit (Pacific/Auckland)',
          include: ['test/unit/**/*.test.ts'],
          env: { TZ: 'Pacific/Auckland' },
          setupFiles: [WORKER, 'test/helpers/hash-cost.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/fuzz/**/*.test.ts'],
          env: { TZ: 'America/New_York' },
          setupFiles: [WORKER, 'test/helpers/hash-cost.ts'],
          testTimeout: 60_000,
          // One throwaway PostgreSQL cluster for the run (the hub's tests); each file makes its own database.
          globalSetup: ['test/integration/sync/global-setup.ts'],
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.e2e.test.ts'],
          env: { TZ: 'Europe/London' },
          testTimeout: 120_000,
          hookTimeout: 120_000,
          globalSetup: ['test/e2e/global-setup.ts'],
          setupFiles: [WORKER, 'test/helpers/hash-cost.ts'],
          // Chromium is heavy: one file at a time keeps a 2-core CI machine responsive.
          fileParallelism: false,
        },
      },
    ],
  },
});
