// npm run dist: build, then make the installers of electron-builder.yml (needs internet for the
// Electron runtime and the native rebuild). Extra arguments go to electron-builder, e.g.
// `npm run dist -- --win` or `npm run dist -- --linux dir`.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { root } from './native.mjs';

const require = createRequire(import.meta.url);
const run = (script, args) => spawnSync(process.execPath, [require.resolve(script), ...args], { cwd: root, stdio: 'inherit' }).status ?? 1;

if (run('electron-vite/bin/electron-vite.js', ['build']) !== 0) process.exit(1);
const status = run('electron-builder/cli.js', process.argv.slice(2));
if (status !== 0) {
  console.error('Packaging failed (see above). Installers need internet to fetch the Electron runtime; after packaging, npm test rebuilds the SQLite driver for Node by itself.');
}
process.exit(status);
