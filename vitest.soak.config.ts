import { defineConfig } from 'vitest/config';

/**
 * `npm run test:soak`: the long versions of the safety tests (100 power-loss kills, ten times
 * the fuzzing). Not part of `npm test`, which runs the same tests with smaller counts.
 */
export default defineConfig({
  test: {
    name: 'soak',
    include: ['test/soak/**/*.soak.test.ts'],
    env: { TZ: 'America/New_York' },
    testTimeout: 1_800_000,
    // The worker thread, bundled once (see the file).
    setupFiles: ['test/helpers/worker-setup.ts', 'test/helpers/cleanup-setup.ts'],
    fileParallelism: false,
  },
});
