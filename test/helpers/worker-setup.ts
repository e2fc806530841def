import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { setWorkerEntry } from '../../main/core/worker/run';

/**
 * The worker thread as the tests run it: bundled once from the sources into .cache/test-worker
 * (esbuild, which tsx brings), as the build bundles it for the app, so each test's worker starts
 * in a fraction of a second instead of compiling every module through tsx. The bundle is named
 * after the sources' sizes and times, so an edit makes a new one. (Without this, run.ts loads
 * thread.ts through tsx: the benchmarks do, and test/integration/core/worker.test.ts checks it.)
 */
const root = path.resolve(import.meta.dirname, '../..');

function sourcesKey(): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      const s = statSync(full);
      if (s.isDirectory()) walk(full);
      else if (name.endsWith('.ts')) hash.update(`${full}:${s.size}:${s.mtimeMs};`);
    }
  };
  walk(path.join(root, 'main', 'core'));
  walk(path.join(root, 'shared'));
  return hash.digest('hex').slice(0, 16);
}

const dir = path.join(root, '.cache', 'test-worker');
const out = path.join(dir, `thread-${sourcesKey()}.mjs`);
if (!existsSync(out)) {
  const result = buildSync({
    entryPoints: [path.join(root, 'main', 'core', 'worker', 'thread.ts')],
    write: false,
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    target: 'node20',
    logLevel: 'error',
    outfile: 'thread.mjs',
  });
  mkdirSync(dir, { recursive: true });
  const temp = `${out}.${process.pid}.tmp`;
  writeFileSync(temp, result.outputFiles[0]!.contents);
  renameSync(temp, out);
}
setWorkerEntry(out);
