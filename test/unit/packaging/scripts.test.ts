import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { electronNativeBindingPath } from '../../../main/app/native-binding';
import { tempDir } from '../../helpers/core';
import { electronBindingPath, exitCodeOf, withBuildFolderKept, withoutBuildFolder } from '../../../scripts/native.mjs';

describe("npm start's driver and exit code (scripts/native.mjs)", () => {
  it('names the Electron driver after the Electron and the better-sqlite3 versions, as the app looks for it', () => {
    const base = '/work/wardkeep';
    const script = electronBindingPath('45.4.1', '12.11.1', 'linux', 'x64', base);
    expect(script).toBe('/work/wardkeep/.cache/native/electron-45.4.1-better-sqlite3-12.11.1-linux-x64/better_sqlite3.node');
    expect(electronNativeBindingPath(base, '45.4.1', '12.11.1', 'linux', 'x64')).toBe(script);
    // An update of better-sqlite3 alone is a new folder: a stale driver is never loaded.
    expect(electronBindingPath('45.4.1', '12.12.0', 'linux', 'x64', base)).not.toBe(script);
  });

  it('copies better-sqlite3 without its own build folder, even from a project inside a folder named build', () => {
    const root = tempDir();
    const src = path.join(root, 'build', 'wardkeep', 'node_modules', 'better-sqlite3');
    for (const f of ['binding.gyp', 'deps/sqlite3/sqlite3.c', 'src/better_sqlite3.cpp', 'build/Release/better_sqlite3.node', 'lib/build-helpers.js']) {
      mkdirSync(path.dirname(path.join(src, f)), { recursive: true });
      writeFileSync(path.join(src, f), f);
    }
    const work = path.join(root, 'work');
    cpSync(src, work, { recursive: true, filter: withoutBuildFolder(src) });
    expect(readdirSync(work).sort()).toEqual(['binding.gyp', 'deps', 'lib', 'src']);
    expect(existsSync(path.join(work, 'deps', 'sqlite3', 'sqlite3.c'))).toBe(true);
    expect(existsSync(path.join(work, 'lib', 'build-helpers.js'))).toBe(true);
  });

  it('fails npm start when Electron fails, including when a signal ended it (the sandbox aborting)', () => {
    expect(exitCodeOf(0, null)).toBe(0);
    expect(exitCodeOf(3, null)).toBe(3);
    expect(exitCodeOf(null, 'SIGTRAP')).toBe(1);
    expect(exitCodeOf(null, 'SIGABRT')).toBe(1);
  });

  it("npm run dist puts the Node build of the driver back, whatever packaging did to it (rebuilt it, deleted it)", () => {
    const build = path.join(tempDir(), 'better-sqlite3', 'build');
    mkdirSync(path.join(build, 'Release'), { recursive: true });
    writeFileSync(path.join(build, 'Release', 'better_sqlite3.node'), 'node build');
    const deleted = withBuildFolderKept(build, () => {
      rmSync(build, { recursive: true, force: true });
      return 'packaged';
    });
    expect(deleted).toBe('packaged');
    expect(readdirSync(path.join(build, 'Release'))).toEqual(['better_sqlite3.node']);
    expect(() =>
      withBuildFolderKept(build, () => {
        writeFileSync(path.join(build, 'Release', 'better_sqlite3.node'), 'electron build');
        writeFileSync(path.join(build, 'Release', 'extra.o'), 'x');
        throw new Error('packaging failed');
      }),
    ).toThrow('packaging failed');
    expect(readdirSync(path.join(build, 'Release'))).toEqual(['better_sqlite3.node']);
    expect(readFileSync(path.join(build, 'Release', 'better_sqlite3.node'), 'utf8')).toBe('node build');
  });
});
