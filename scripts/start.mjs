// npm start: make sure Electron and an Electron build of better-sqlite3 are present, build, open
// the app on its default data folder (or --data-dir DIR, passed through). Fails with one sentence.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { electronBindingPath, electronVersion, root } from './native.mjs';

const require = createRequire(import.meta.url);
const fail = (sentence) => {
  console.error(sentence);
  process.exit(1);
};
const quiet = { cwd: root, encoding: 'utf8', shell: process.platform === 'win32' };

// 1. The Electron runtime, downloaded on first use by the electron package.
const electronDir = path.dirname(require.resolve('electron/package.json'));
const pathFile = path.join(electronDir, 'path.txt');
const installed = () => existsSync(pathFile) && existsSync(path.join(electronDir, 'dist', readFileSync(pathFile, 'utf8')));
if (!installed()) {
  console.log('Downloading the Electron runtime (first start only)…');
  const r = spawnSync(process.execPath, [path.join(electronDir, 'install.js')], { ...quiet, shell: false });
  if (r.status !== 0 || !installed()) {
    fail(`Wardkeep cannot start: the Electron runtime ${electronVersion()} is not installed and could not be downloaded (is this PC offline?); connect to the internet and run "npm start" again.`);
  }
}
const electronExe = path.join(electronDir, 'dist', readFileSync(pathFile, 'utf8'));

// 2. better-sqlite3 built for Electron, kept apart from the Node build the tests use.
const binding = electronBindingPath();
if (!existsSync(binding)) {
  console.log('Building the database driver for Electron (first start only)…');
  const work = mkdtempSync(path.join(tmpdir(), 'wardkeep-native-'));
  try {
    const src = path.dirname(require.resolve('better-sqlite3/package.json'));
    cpSync(src, work, { recursive: true, filter: (p) => !p.includes(`${path.sep}build${path.sep}`) && !p.endsWith(`${path.sep}build`) });
    const target = electronVersion();
    const prebuilt = spawnSync(
      process.execPath,
      [require.resolve('prebuild-install/bin.js'), '--runtime=electron', `--target=${target}`, `--arch=${process.arch}`, `--platform=${process.platform}`],
      { ...quiet, cwd: work, shell: false },
    );
    if (prebuilt.status !== 0) {
      const gyp = spawnSync(
        process.execPath,
        [require.resolve('node-gyp/bin/node-gyp.js'), 'rebuild', '--release', '--runtime=electron', `--target=${target}`, '--dist-url=https://electronjs.org/headers'],
        { ...quiet, cwd: work, shell: false },
      );
      if (gyp.status !== 0) fail('Wardkeep cannot start: the database driver could not be built for Electron (no internet for its headers, or no C++ compiler); see the README.');
    }
    mkdirSync(path.dirname(binding), { recursive: true });
    copyFileSync(path.join(work, 'build', 'Release', 'better_sqlite3.node'), binding);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

// 3. Build, then run.
const build = spawnSync(process.execPath, [require.resolve('electron-vite/bin/electron-vite.js'), 'build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) fail('Wardkeep cannot start: the build failed (see the messages above).');
const child = spawn(electronExe, [root, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 0));
