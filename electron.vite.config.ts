import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };
const define = { __APP_VERSION__: JSON.stringify(pkg.version) };

/**
 * Every signed-in start opens on Today, a chunk of its own (renderer/src/routes.tsx). Its chunk and
 * the chunks it imports are named in index.html as `modulepreload`, so they are read while the
 * first chunk is parsed and run, not after (issue 17: on the bench they came in 150 ms after it).
 * They are only read and parsed, not run: the sign-in screen is not slowed.
 */
function preloadFirstScreen(moduleSuffix: string): Plugin {
  return {
    name: 'wardkeep-preload-first-screen',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const bundle = ctx.bundle;
        if (!bundle) return html;
        const first = Object.values(bundle).find((c) => c.type === 'chunk' && c.facadeModuleId?.replace(/\\/g, '/').endsWith(moduleSuffix));
        if (!first) throw new Error(`The first screen (${moduleSuffix}) is not a chunk of its own: check renderer/src/routes.tsx.`);
        const files: string[] = [];
        const walk = (name: string) => {
          const chunk = bundle[name];
          if (files.includes(name) || chunk?.type !== 'chunk') return;
          files.push(name);
          for (const i of chunk.imports) walk(i);
        };
        walk(first.fileName);
        return {
          html,
          tags: files
            .filter((f) => !html.includes(f))
            .map((f) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `./${f}` }, injectTo: 'head' as const })),
        };
      },
    },
  };
}

export default defineConfig({
  main: {
    define,
    build: {
      outDir: 'out/main',
      // Bundled rather than loaded from node_modules: as packages they are hundreds of small ES
      // modules, read and linked at every start of the app, the worker and the command line
      // (issue 17: the core's chunk loaded in 360-460 ms with them external, 160 ms bundled).
      // They are devDependencies, so the installed app does not carry them either; named here as
      // well so that moving one back to dependencies does not quietly make it external again
      // (test/unit/packaging/package.test.ts checks what the built code imports).
      externalizeDeps: { exclude: ['date-fns', 'zod'] },
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
    plugins: [react(), preloadFirstScreen('/renderer/src/features/today/Home.tsx')],
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
