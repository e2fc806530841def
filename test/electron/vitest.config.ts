import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * `npm run test:electron`: the desktop app itself, in the real Electron, driven by Playwright.
 * Not part of `npm test` (Electron cannot be downloaded where the project is built); run it on a
 * PC where `npm install` fetched Electron, before each release (README).
 */
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['test/electron/**/*.electron.test.ts'],
    env: { TZ: 'Europe/London' },
    testTimeout: 240_000,
    hookTimeout: 240_000,
    fileParallelism: false,
    // Each file's temp folders removed after it (see the file).
    setupFiles: ['test/helpers/cleanup-setup.ts'],
  },
});
