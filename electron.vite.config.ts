import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };
const define = { __APP_VERSION__: JSON.stringify(pkg.version) };

export default defineConfig({
  main: {
    define,
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve('main/app/index.ts'),
          cli: resolve('main/cli/main.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload cannot require files: bundle everything into one CommonJS file.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve('main/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    plugins: [react()],
    build: {
      outDir: resolve('out/renderer'),
      // Minified (electron-vite leaves it off by default): a smaller bundle parses faster at every start.
      // The output is plain script files and CSS only, so the strict CSP (no inline script, no eval) holds;
      // the e2e harness serves it under that CSP.
      minify: true,
      cssMinify: true,
      // Each screen is its own chunk (lazy routes in renderer/src/routes.tsx): the first screen loads only what it needs.
      rollupOptions: { input: { index: resolve('renderer/index.html') } },
    },
  },
});
