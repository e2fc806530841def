import { spawnSync } from 'node:child_process';
import { builtinModules } from 'node:module';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/core';
import type { PackResult } from './pack';
import { electronFuses, packOnce, repoRoot, walk } from './pack';

let packed: PackResult;
beforeAll(async () => {
  packed = await packOnce();
}, 200_000);

const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { devDependencies: Record<string, string>; dependencies: Record<string, string> };
const arg = (flag: string) => packed.fpm.args[packed.fpm.args.indexOf(flag) + 1];
/** The packages the archive carries in its node_modules, by name (a scope's with its scope). */
const packagesInArchive = () =>
  new Set(packed.asarFiles.filter((f) => /^\/node_modules\/(@[^/]+\/)?[^/]+$/.test(f)).map((f) => f.replace(/^\/node_modules\//, '')));

describe('the Linux package, built offline with electron-builder (npm run dist without the downloads)', () => {
  it("holds the app's built code in its archive: main, the command line, the preload, the renderer", () => {
    for (const f of ['/package.json', '/out/main/index.js', '/out/main/cli.js', '/out/preload/index.cjs', '/out/renderer/index.html', '/node_modules/better-sqlite3/lib/index.js']) {
      expect(packed.asarFiles).toContain(f);
    }
    expect(packed.packagedPackageJson).toMatchObject({ name: 'wardkeep', main: 'out/main/index.js' });
    // No sources, no source maps, no Node-only launcher.
    expect(packed.asarFiles.filter((f) => /^\/(main|renderer|shared|test|scripts|bin)\//.test(f) || f.endsWith('.map'))).toEqual([]);
  });

  it('unpacks only the native driver beside the archive, and carries none of better-sqlite3\'s sources or build leftovers', () => {
    expect(packed.unpackedFiles).toEqual(['node_modules/better-sqlite3/build/Release/better_sqlite3.node']);
    const driverFiles = packed.asarFiles.filter((f) => f.startsWith('/node_modules/better-sqlite3/') && !f.startsWith('/node_modules/better-sqlite3/lib'));
    expect(driverFiles.filter((f) => /\/(deps|src|obj|obj\.target|\.deps)(\/|$)|test_extension|\.a$|\.gyp|Makefile|\.mk$/.test(f))).toEqual([]);
  });

  it('carries no devDependency (Electron itself, the build tools, React, the test tools)', () => {
    const inArchive = packagesInArchive();
    // prebuild-install is also better-sqlite3's own dependency (it fetches its driver at install),
    // so electron-builder ships it with better-sqlite3; nothing else of ours may come along.
    const neededAtRunTime = new Set(Object.keys(pkg.dependencies).flatMap((dep) => Object.keys((JSON.parse(readFileSync(path.join(repoRoot, 'node_modules', dep, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> }).dependencies ?? {})));
    const shipped = Object.keys(pkg.devDependencies).filter((name) => inArchive.has(name) && !neededAtRunTime.has(name));
    expect(shipped).toEqual([]);
    for (const tool of ['electron', 'electron-builder', 'vitest', 'typescript', 'react', 'playwright-core']) expect(inArchive).not.toContain(tool);
    for (const dep of Object.keys(pkg.dependencies)) expect(inArchive).toContain(dep);
  });

  it('carries every package the built main process, command line and worker import: each is a dependency, none a devDependency', () => {
    // zod and date-fns are devDependencies, bundled into the chunks (electron.vite.config.ts): if a
    // build ever imported one from node_modules again, the installed app would fail to start.
    const outMain = path.join(repoRoot, 'out/main');
    const imported = new Set<string>();
    for (const file of walk(outMain).filter((f) => f.path.endsWith('.js'))) {
      // The bundler writes each static import at the start of a line, and each dynamic one as
      // import("…"); doc comments and the development-only worker boot (a string) do not match.
      const text = readFileSync(path.join(outMain, file.path), 'utf8');
      for (const m of text.matchAll(/^(?:import|export)\b[^"\n]*?(?:from\s*)?"([^"]+)";?$|\bimport\("([^"]+)"\)/gm)) {
        const spec = m[1] ?? m[2]!;
        if (spec.startsWith('.') || spec.startsWith('node:') || builtinModules.includes(spec) || spec === 'electron') continue;
        imported.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
      }
    }
    expect([...imported].sort()).toEqual(expect.arrayContaining(['better-sqlite3', 'papaparse', 'pg']));
    const inArchive = packagesInArchive();
    for (const name of imported) {
      expect(Object.keys(pkg.dependencies), `out/main imports "${name}"`).toContain(name);
      expect(inArchive, `out/main imports "${name}"`).toContain(name);
    }
    expect(imported).not.toContain('zod');
    expect(imported).not.toContain('date-fns');
  });

  it('flips the fuses as set: no ELECTRON_RUN_AS_NODE, NODE_OPTIONS or --inspect; the app only from its checked archive', async () => {
    const wire = await electronFuses().getCurrentFuseWire(path.join(packed.appOutDir, 'wardkeep'));
    const { FuseV1Options } = electronFuses();
    const on = (fuse: number) => String.fromCharCode(wire[fuse as never] as unknown as number);
    expect(wire.version).toBe('1');
    expect(on(FuseV1Options.RunAsNode)).toBe('0');
    expect(on(FuseV1Options.EnableNodeOptionsEnvironmentVariable)).toBe('0');
    expect(on(FuseV1Options.EnableNodeCliInspectArguments)).toBe('0');
    expect(on(FuseV1Options.EnableEmbeddedAsarIntegrityValidation)).toBe('1');
    expect(on(FuseV1Options.OnlyLoadAppFromAsar)).toBe('1');
    expect(on(FuseV1Options.EnableCookieEncryption)).toBe('1');
    expect(on(FuseV1Options.GrantFileProtocolExtraPrivileges)).toBe('0');
  });

  it('ships the command-line launcher, executable, and the AppArmor profile for the executable', () => {
    const launcher = packed.files.find((f) => f.path === 'resources/bin/wardkeep');
    expect(launcher && launcher.mode & 0o111).toBe(0o111);
    expect(packed.files.some((f) => f.path.endsWith('wardkeep.cmd'))).toBe(false);
    const profile = readFileSync(path.join(packed.appOutDir, 'resources', 'apparmor-profile'), 'utf8');
    expect(profile).toContain('profile "wardkeep" "/opt/Wardkeep/wardkeep" flags=(unconfined) {\n  userns,');
    expect(profile).not.toMatch(/\$\{/);
  });

  it("gives the .deb its metadata: name, maintainer, homepage, description, dependencies", () => {
    expect(packed.fpm.args.slice(0, 4)).toEqual(['-s', 'dir', '--force', '-t']);
    expect(arg('-t')).toBe('deb');
    expect(arg('--name')).toBe('wardkeep');
    expect(arg('--maintainer')).toBe('Wardkeep <wardkeep@example.org>');
    expect(arg('--url')).toBe('https://wardkeep.example.org/');
    expect(arg('--version')).toBe('0.1.0');
    expect(arg('--architecture')).toBe('amd64');
    expect(arg('--description')).toMatch(/^Upkeep of medical equipment on hospital wards\n Offline upkeep of medical equipment/);
    // The unpacked app goes to /opt/Wardkeep, where the scripts, the profile and the launcher expect it.
    expect(packed.fpm.args.filter((a) => /linux-unpacked\/=\/opt\/Wardkeep$/.test(a))).toHaveLength(1);
    expect(packed.fpm.args.filter((_a, i) => packed.fpm.args[i - 1] === '-d')).toEqual(expect.arrayContaining(['libgtk-3-0', 'libnss3']));
    expect(packed.fpm.desktopEntry).toMatch(/^Exec="?\/opt\/Wardkeep\/wardkeep"? %U$/m);
  });

  it('installs the AppArmor profile, the command line on the PATH and the shared data folder; removal keeps the data', () => {
    const install = packed.fpm.afterInstall;
    expect(install).not.toMatch(/\$\{[a-zA-Z]+\}/); // every template name filled in
    expect(install).toContain("APP_DIR='/opt/Wardkeep'");
    expect(install).toContain(`update-alternatives --install '/usr/bin/wardkeep' 'wardkeep' "$LAUNCHER" 100`);
    expect(install).toContain('APPARMOR_PROFILE_SOURCE="$APP_DIR/resources/apparmor-profile"');
    expect(install).toContain("apparmor_parser --replace --write-cache --skip-read-cache \"$APPARMOR_PROFILE_TARGET\"");
    expect(install).toContain('install -d -m 2770 -o root -g wardkeep /var/lib/wardkeep');
    expect(packed.fpm.afterRemove).toContain(`update-alternatives --remove 'wardkeep' "$LAUNCHER"`);
    expect(packed.fpm.afterRemove).not.toMatch(/rm -r|rmdir|groupdel|delgroup/);
    for (const script of [install, packed.fpm.afterRemove]) {
      const check = spawnSync('bash', ['-n'], { input: script, encoding: 'utf8' });
      expect(check.stderr).toBe('');
      expect(check.status).toBe(0);
    }
  });

  it('leaves the Node build of better-sqlite3 in node_modules loading in plain Node', () => {
    const r = spawnSync(process.execPath, ['-e', "const D = require('better-sqlite3'); const db = new D(':memory:'); console.log(db.prepare('select sqlite_version() v').get().v); db.close();"], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^3\.\d+\.\d+\n$/);
  });
});

describe('the installed command-line launchers', () => {
  /** The packaged launcher, with a stand-in app executable that prints its arguments and exits 3. */
  function layout(appExe: string) {
    const dir = tempDir('wardkeep-launcher-');
    const exe = path.join(dir, appExe);
    mkdirSync(path.dirname(exe), { recursive: true });
    writeFileSync(exe, '#!/bin/sh\necho "app: $*"\nexit 3\n');
    chmodSync(exe, 0o755);
    return { dir, exe };
  }

  it('Linux: /usr/bin/wardkeep (a link, as update-alternatives makes it) runs /opt/Wardkeep/wardkeep --cli with the arguments and passes on its exit code', () => {
    const { dir } = layout('opt/Wardkeep/wardkeep');
    const bin = path.join(dir, 'opt/Wardkeep/resources/bin/wardkeep');
    mkdirSync(path.dirname(bin), { recursive: true });
    copyFileSync(path.join(packed.appOutDir, 'resources/bin/wardkeep'), bin);
    chmodSync(bin, 0o755);
    mkdirSync(path.join(dir, 'etc/alternatives'), { recursive: true });
    mkdirSync(path.join(dir, 'usr/bin'), { recursive: true });
    symlinkSync(bin, path.join(dir, 'etc/alternatives/wardkeep'));
    symlinkSync('../../etc/alternatives/wardkeep', path.join(dir, 'usr/bin/wardkeep'));
    const r = spawnSync(path.join(dir, 'usr/bin/wardkeep'), ['due', '--within', '7 days', '--data-dir', '/srv/ward data'], { encoding: 'utf8' });
    expect(r.stdout).toBe('app: --cli due --within 7 days --data-dir /srv/ward data\n');
    expect(r.status).toBe(3);
  });

  it('macOS: Wardkeep.app/Contents/Resources/bin/wardkeep runs Contents/MacOS/Wardkeep --cli', () => {
    const { dir } = layout('Wardkeep.app/Contents/MacOS/Wardkeep');
    const bin = path.join(dir, 'Wardkeep.app/Contents/Resources/bin/wardkeep');
    mkdirSync(path.dirname(bin), { recursive: true });
    copyFileSync(path.join(repoRoot, 'assets/installer/bin/wardkeep'), bin);
    chmodSync(bin, 0o755);
    const r = spawnSync(bin, ['verify'], { encoding: 'utf8' });
    expect(r.stdout).toBe('app: --cli verify\n');
    expect(r.status).toBe(3);
  });

  it('Windows: resources\\bin\\wardkeep.cmd runs Wardkeep.exe --cli with every argument and exits with its code', () => {
    const cmd = readFileSync(path.join(repoRoot, 'assets/installer/bin/wardkeep.cmd'), 'utf8');
    expect(cmd.split('\r\n').filter((l) => l && !l.startsWith('rem '))).toEqual(['@echo off', 'setlocal', '"%~dp0..\\..\\Wardkeep.exe" --cli %*', 'exit /b %ERRORLEVEL%']);
    const config = readFileSync(path.join(repoRoot, 'electron-builder.yml'), 'utf8');
    expect(config).toMatch(/win:[\s\S]*extraResources:\n\s+- from: assets\/installer\/bin\/wardkeep\.cmd\n\s+to: bin\/wardkeep\.cmd/);
  });

  it("Windows: the installer makes %ProgramData%\\Wardkeep\\data writable by the PC's Users and keeps the setting file's folder for administrators", () => {
    const nsh = readFileSync(path.join(repoRoot, 'assets/installer/windows/installer.nsh'), 'utf8');
    expect(nsh).toContain('!macro customInstall');
    expect(nsh).toContain('SetShellVarContext all');
    expect(nsh).toContain('CreateDirectory "$APPDATA\\Wardkeep\\data"');
    expect(nsh).toContain('"$APPDATA\\Wardkeep" /inheritance:r /grant:r *S-1-5-18:(OI)(CI)F *S-1-5-32-544:(OI)(CI)F *S-1-5-32-545:(OI)(CI)RX');
    expect(nsh).toContain('"$APPDATA\\Wardkeep\\data" /grant:r *S-1-5-32-545:(OI)(CI)M');
    expect(nsh).not.toMatch(/customUnInstall|RMDir/);
  });
});
