import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Packages Wardkeep for Linux with electron-builder, offline, as `npm run dist` would, and
 * gathers what went in: the archive's file list, the unpacked files, the executable's fuses,
 * and what electron-builder asked fpm to put in the .deb.
 *
 * Offline stand-ins (docs/deploy.md, "How the packages are tested"):
 * - Electron: a folder with a stand-in executable (`-c.electronDist`) that carries Electron's fuse
 *   wire (its sentinel and the default states), so electron-builder's fuse step flips it as it
 *   would the real one and @electron/fuses reads it back;
 * - the driver is not rebuilt for Electron (`-c.npmRebuild=false`): node_modules keeps its Node
 *   build, which must still load afterwards;
 * - fpm, which electron-builder downloads to make the .deb, is replaced (CUSTOM_FPM_PATH) by a
 *   script that records its arguments and the after-install and after-remove scripts it is given:
 *   the .deb's metadata and scripts as electron-builder passes them. The AppImage target needs a
 *   download too and is not built here.
 *
 * Both unit projects (two time zones) run this file at once in one vitest run: the first to take
 * the lock packages, the other waits for its result, so packaging happens once per run.
 */

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', '..');
const fromBuilder = createRequire(createRequire(path.join(root, 'package.json')).resolve('app-builder-lib/package.json'));

export const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** Electron's own defaults, in @electron/fuses' order: RunAsNode on, cookie encryption off, NODE_OPTIONS on, --inspect on, asar integrity off, only-from-asar off, browser V8 snapshot off, file:// privileges on. */
export const ELECTRON_DEFAULT_FUSES = '10110001';

export interface FpmCall {
  args: string[];
  afterInstall: string;
  afterRemove: string;
  desktopEntry: string;
}

export interface PackResult {
  appOutDir: string;
  asarFiles: string[];
  unpackedFiles: string[];
  fpm: FpmCall;
  packagedPackageJson: Record<string, unknown>;
  files: { path: string; mode: number }[];
  log: string;
  seconds: number;
}

const FAKE_FPM = `#!/usr/bin/env node
// Stands in for fpm: records what electron-builder asks it to package.
const fs = require('node:fs');
const args = process.argv.slice(2);
const value = (flag) => args[args.indexOf(flag) + 1];
const desktop = args.find((a) => a.endsWith('.desktop') && a.includes('=/usr/share/applications/'));
fs.writeFileSync(process.env.WARDKEEP_FPM_RECORD, JSON.stringify({
  args,
  afterInstall: fs.readFileSync(value('--after-install'), 'utf8'),
  afterRemove: fs.readFileSync(value('--after-remove'), 'utf8'),
  desktopEntry: desktop ? fs.readFileSync(desktop.split('=')[0], 'utf8') : '',
}));
fs.writeFileSync(value('--package'), '');
`;

function stubElectron(dir: string): void {
  mkdirSync(path.join(dir, 'resources'), { recursive: true });
  const wire = Buffer.concat([Buffer.from('#!/bin/sh\n# stand-in Electron for the packaging test\nexit 0\n'), Buffer.from(FUSE_SENTINEL), Buffer.from([1, ELECTRON_DEFAULT_FUSES.length]), Buffer.from(ELECTRON_DEFAULT_FUSES)]);
  writeFileSync(path.join(dir, 'electron'), wire);
  chmodSync(path.join(dir, 'electron'), 0o755);
  writeFileSync(path.join(dir, 'LICENSE'), 'stand-in');
  writeFileSync(path.join(dir, 'version'), electronVersion());
}

const electronVersion = () => (JSON.parse(readFileSync(path.join(root, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }).version;

export function walk(dir: string, base = dir): { path: string; mode: number }[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? walk(full, base) : [{ path: path.relative(base, full).split(path.sep).join('/'), mode: statSync(full).mode }];
  });
}

function packNow(work: string): PackResult {
  for (const built of ['out/main/index.js', 'out/main/cli.js', 'out/preload/index.cjs', 'out/renderer/index.html']) {
    if (!existsSync(path.join(root, built))) throw new Error(`The app is not built (${built} is missing): run "npm run build" first (npm test and npm run test:unit do).`);
  }
  const electronDist = path.join(work, 'electron-dist');
  stubElectron(electronDist);
  const fpm = path.join(work, 'fpm');
  writeFileSync(fpm, FAKE_FPM);
  chmodSync(fpm, 0o755);
  const record = path.join(work, 'fpm-call.json');
  const output = path.join(work, 'release');
  const started = Date.now();
  const run = spawnSync(
    process.execPath,
    [
      createRequire(path.join(root, 'package.json')).resolve('electron-builder/cli.js'),
      '--linux',
      'dir',
      'deb',
      '--x64',
      '--publish',
      'never',
      `-c.electronDist=${electronDist}`,
      '-c.npmRebuild=false',
      `-c.electronVersion=${electronVersion()}`,
      `-c.directories.output=${output}`,
    ],
    { cwd: root, encoding: 'utf8', timeout: 170_000, env: { ...process.env, CUSTOM_FPM_PATH: fpm, WARDKEEP_FPM_RECORD: record, CSC_IDENTITY_AUTO_DISCOVERY: 'false' } },
  );
  const log = `${run.stdout ?? ''}${run.stderr ?? ''}`;
  if (run.status !== 0) throw new Error(`electron-builder failed (${run.status ?? run.signal}):\n${log.slice(-4000)}`);
  const appOutDir = path.join(output, 'linux-unpacked');
  const asar = fromBuilder('@electron/asar') as typeof import('@electron/asar');
  const archive = path.join(appOutDir, 'resources', 'app.asar');
  return {
    appOutDir,
    asarFiles: asar.listPackage(archive, { isPack: false }).map((f) => f.split(path.sep).join('/')),
    unpackedFiles: walk(path.join(appOutDir, 'resources', 'app.asar.unpacked')).map((f) => f.path),
    fpm: JSON.parse(readFileSync(record, 'utf8')) as FpmCall,
    packagedPackageJson: JSON.parse(asar.extractFile(archive, 'package.json').toString('utf8')) as Record<string, unknown>,
    files: walk(appOutDir),
    log,
    seconds: (Date.now() - started) / 1000,
  };
}

function inputsKey(): string {
  const hash = createHash('sha256');
  for (const f of ['electron-builder.yml', 'package.json', 'out/main/index.js', 'out/preload/index.cjs']) {
    hash.update(existsSync(path.join(root, f)) ? readFileSync(path.join(root, f)) : 'missing');
  }
  for (const f of walk(path.join(root, 'assets', 'installer'))) hash.update(f.path + readFileSync(path.join(root, 'assets', 'installer', f.path)).toString('latin1'));
  return `${process.ppid}-${hash.digest('hex').slice(0, 16)}`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Packages once per test run (see above) and returns what went in. */
export async function packOnce(): Promise<PackResult> {
  const base = path.join(root, '.cache', 'packaging-test');
  mkdirSync(base, { recursive: true });
  const key = inputsKey();
  const dir = path.join(base, key);
  for (const old of readdirSync(base)) {
    const p = path.join(base, old);
    if (old !== key && Date.now() - statSync(p).mtimeMs > 30 * 60_000) rmSync(p, { recursive: true, force: true });
  }
  const resultFile = path.join(dir, 'result.json');
  const errorFile = path.join(dir, 'error.txt');
  let owner = false;
  try {
    mkdirSync(dir);
    owner = true;
  } catch {
    // another worker of this run is packaging: wait for its result
  }
  if (owner) {
    const work = mkdtempSync(path.join(tmpdir(), 'wardkeep-pack-'));
    try {
      const result = packNow(work);
      // The unpacked app is kept with the result for the assertions that read files.
      const kept = path.join(dir, 'linux-unpacked');
      spawnSync('cp', ['-a', result.appOutDir, kept]);
      writeFileSync(`${resultFile}.tmp`, JSON.stringify({ ...result, appOutDir: kept }));
      renameSync(`${resultFile}.tmp`, resultFile);
    } catch (err) {
      writeFileSync(`${errorFile}.tmp`, (err as Error).message);
      renameSync(`${errorFile}.tmp`, errorFile);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
  const deadline = Date.now() + 180_000;
  while (!existsSync(resultFile) && !existsSync(errorFile)) {
    if (Date.now() > deadline) throw new Error('The packaging run of the other test worker did not finish within 3 minutes.');
    await sleep(200);
  }
  if (existsSync(errorFile)) throw new Error(readFileSync(errorFile, 'utf8'));
  return JSON.parse(readFileSync(resultFile, 'utf8')) as PackResult;
}

export const repoRoot = root;
/** @electron/fuses, as electron-builder uses it. */
export const electronFuses = () => fromBuilder('@electron/fuses') as typeof import('@electron/fuses');
