// Where the two builds of better-sqlite3 live: node_modules holds the one for Node (tests, CLI);
// .cache/native holds the one for Electron (npm start), in a folder named after the Electron and
// better-sqlite3 versions, so an update of either builds it anew. Kept in step with
// main/app/native-binding.ts (test/unit/packaging/scripts.test.ts compares them).
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

export function electronVersion() {
  return require('electron/package.json').version;
}

export function driverVersion() {
  return require('better-sqlite3/package.json').version;
}

export function electronBindingPath(version = electronVersion(), driver = driverVersion(), platform = process.platform, arch = process.arch, base = root) {
  return path.join(base, '.cache', 'native', `electron-${version}-better-sqlite3-${driver}-${platform}-${arch}`, 'better_sqlite3.node');
}

/**
 * Copy filter for better-sqlite3's sources: everything but its own `build` folder (a build for
 * another runtime). Judged relative to the package, so a project inside a folder named `build`
 * still copies its sources.
 */
export function withoutBuildFolder(src) {
  return (file) => {
    const rel = path.relative(src, file);
    return rel.split(path.sep)[0] !== 'build';
  };
}

/** The exit code for Electron's: a run ended by a signal (an abort, a sandbox failure) is a failure too. */
export function exitCodeOf(code, signal) {
  if (typeof code === 'number') return code;
  return signal ? 1 : 0;
}

/**
 * Runs `work` (packaging) and then puts `buildDir` (better-sqlite3's Node build) back as it was,
 * whatever `work` did to it: electron-builder rebuilds it for Electron in place, and offline it
 * deletes it.
 */
export function withBuildFolderKept(buildDir, work) {
  const keep = mkdtempSync(path.join(tmpdir(), 'wardkeep-node-driver-'));
  const existed = existsSync(buildDir);
  if (existed) cpSync(buildDir, path.join(keep, 'build'), { recursive: true });
  try {
    return work();
  } finally {
    if (existed) {
      rmSync(buildDir, { recursive: true, force: true });
      cpSync(path.join(keep, 'build'), buildDir, { recursive: true });
    }
    rmSync(keep, { recursive: true, force: true });
  }
}

/** The last lines a tool printed, to show why it failed. */
const tail = (r) => `${r.stderr ?? ''}${r.stdout ?? ''}${r.error ? String(r.error) : ''}`.trim().split('\n').slice(-6).join('\n');

/**
 * Makes the Electron build of better-sqlite3 in .cache/native if it is not there: a prebuilt one
 * (prebuild-install), else built from source (node-gyp, Electron's headers). Returns null when it
 * is there, or the sentence saying why it could not be made.
 */
export function ensureElectronDriver(say = () => undefined) {
  const binding = electronBindingPath();
  if (existsSync(binding)) return null;
  const target = electronVersion();
  say(`Building the database driver (better-sqlite3 ${driverVersion()}) for Electron ${target} (first start only)…`);
  const work = mkdtempSync(path.join(tmpdir(), 'wardkeep-native-'));
  const quiet = { cwd: work, encoding: 'utf8' };
  try {
    const src = path.dirname(require.resolve('better-sqlite3/package.json'));
    cpSync(src, work, { recursive: true, filter: withoutBuildFolder(src) });
    if (!existsSync(path.join(work, 'binding.gyp')) || !existsSync(path.join(work, 'deps'))) {
      return `the sources of better-sqlite3 in ${src} are incomplete (no binding.gyp or deps/); run "npm ci" and try again.`;
    }
    const prebuilt = spawnSync(
      process.execPath,
      [require.resolve('prebuild-install/bin.js'), '--runtime=electron', `--target=${target}`, `--arch=${process.arch}`, `--platform=${process.platform}`],
      quiet,
    );
    if (prebuilt.status !== 0) {
      const gyp = spawnSync(
        process.execPath,
        [require.resolve('node-gyp/bin/node-gyp.js'), 'rebuild', '--release', '--runtime=electron', `--target=${target}`, '--dist-url=https://electronjs.org/headers'],
        quiet,
      );
      if (gyp.status !== 0) {
        return [
          `the database driver could not be made for Electron ${target}.`,
          `No prebuilt driver could be downloaded:\n${tail(prebuilt)}`,
          `and building it from source failed (it needs internet once for Electron's headers, Python 3, make and a C++ compiler; see the README):\n${tail(gyp)}`,
        ].join('\n');
      }
    }
    const built = path.join(work, 'build', 'Release', 'better_sqlite3.node');
    if (!existsSync(built)) return `the driver build finished without ${built}.`;
    mkdirSync(path.dirname(binding), { recursive: true });
    copyFileSync(built, binding);
    return null;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
