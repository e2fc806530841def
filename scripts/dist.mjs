// npm run dist: build, then make the installers of electron-builder.yml (needs internet for the
// Electron runtime and the native rebuild). Extra arguments go to electron-builder, e.g.
// `npm run dist -- --win` or `npm run dist -- --linux dir`.
//
// electron-builder rebuilds better-sqlite3 for Electron in node_modules itself (and, offline,
// deletes its build folder). The tests and `npx wardkeep` need the Node build there, so it is set
// aside first and put back afterwards, whatever happened.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { root, withBuildFolderKept } from './native.mjs';

const require = createRequire(import.meta.url);
const run = (script, args) => spawnSync(process.execPath, [require.resolve(script), ...args], { cwd: root, stdio: 'inherit' }).status ?? 1;

if (run('electron-vite/bin/electron-vite.js', ['build']) !== 0) process.exit(1);
const nodeBuild = path.join(path.dirname(require.resolve('better-sqlite3/package.json')), 'build');
const status = withBuildFolderKept(nodeBuild, () => run('electron-builder/cli.js', process.argv.slice(2)));
if (status !== 0) {
  console.error('Packaging failed (see above). Installers need internet to fetch the Electron runtime and the Electron build of the SQLite driver.');
}
process.exit(status);
