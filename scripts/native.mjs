// Where the two builds of better-sqlite3 live: node_modules holds the one for Node (tests, CLI);
// .cache/native holds the one for Electron (npm start). Kept in step with main/app/native-binding.ts.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

export function electronVersion() {
  return require('electron/package.json').version;
}

export function electronBindingPath(version = electronVersion(), platform = process.platform, arch = process.arch) {
  return path.join(root, '.cache', 'native', `electron-${version}-${platform}-${arch}`, 'better_sqlite3.node');
}
