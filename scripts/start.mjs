// npm start: make sure Electron and an Electron build of better-sqlite3 are present, build, open
// the app on its default data folder (or --data-dir DIR, passed through). Fails with one sentence,
// and exits with Electron's own failure when Electron fails.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { electronVersion, ensureElectronDriver, exitCodeOf, root } from './native.mjs';

const require = createRequire(import.meta.url);
const fail = (sentence) => {
  console.error(sentence);
  process.exit(1);
};
const quiet = { cwd: root, encoding: 'utf8' };

// 1. The Electron runtime, downloaded on first use by the electron package.
const electronDir = path.dirname(require.resolve('electron/package.json'));
const pathFile = path.join(electronDir, 'path.txt');
const installed = () => existsSync(pathFile) && existsSync(path.join(electronDir, 'dist', readFileSync(pathFile, 'utf8')));
if (!installed()) {
  console.log('Downloading the Electron runtime (first start only)…');
  const r = spawnSync(process.execPath, [path.join(electronDir, 'install.js')], quiet);
  if (r.status !== 0 || !installed()) {
    fail(`Wardkeep cannot start: the Electron runtime ${electronVersion()} is not installed and could not be downloaded (is this PC offline?); connect to the internet and run "npm start" again.`);
  }
}
const electronExe = path.join(electronDir, 'dist', readFileSync(pathFile, 'utf8'));

// 2. better-sqlite3 built for Electron, kept apart from the Node build the tests use, in a folder
//    named after both versions.
const driverProblem = ensureElectronDriver((line) => console.log(line));
if (driverProblem) fail(`Wardkeep cannot start: ${driverProblem}`);

// 3. Build, then run.
const build = spawnSync(process.execPath, [require.resolve('electron-vite/bin/electron-vite.js'), 'build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) fail('Wardkeep cannot start: the build failed (see the messages above).');
const child = spawn(electronExe, [root, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
child.on('error', (err) => fail(`Wardkeep cannot start: Electron could not be run (${err.message}).`));
child.on('exit', (code, signal) => {
  const status = exitCodeOf(code, signal);
  if (status !== 0) {
    console.error(`Electron ended with ${signal ? `the signal ${signal}` : `exit code ${code}`}.`);
    if (process.platform === 'linux' && userNamespacesRestricted()) {
      console.error(
        'This Linux restricts unprivileged user namespaces (AppArmor, Ubuntu 23.10 and later), which Electron\'s sandbox needs. See "npm start on Ubuntu 23.10 and later" in the README.',
      );
    }
  }
  process.exit(status);
});

function userNamespacesRestricted() {
  try {
    return readFileSync('/proc/sys/kernel/apparmor_restrict_unprivileged_userns', 'utf8').trim() === '1';
  } catch {
    return false;
  }
}
