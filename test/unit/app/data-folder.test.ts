import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FolderFs } from '../../../main/app/data-dir';
import { appDataDir, MAC_STAFF_GID, prepareDatabaseFile, prepareDataFolder } from '../../../main/app/data-dir';
import type { DataDirChoice, PathsEnvironment } from '../../../main/core/paths';
import { chooseDataDir, machineConfigFile, machineDataDir, resolveDataDir } from '../../../main/core/paths';

/** A machine of the given platform: which files exist and what they hold. */
function machine(platform: NodeJS.Platform, files: Record<string, string> = {}, env: NodeJS.ProcessEnv = {}, home = platform === 'win32' ? 'C:\\Users\\ana' : platform === 'darwin' ? '/Users/ana' : '/home/ana'): PathsEnvironment {
  const win = platform === 'win32';
  const defaults: NodeJS.ProcessEnv = win ? { ProgramData: 'C:\\ProgramData', APPDATA: 'C:\\Users\\ana\\AppData\\Roaming' } : {};
  return {
    platform,
    env: { ...defaults, ...env },
    home,
    exists: (f) => f in files || Object.keys(files).some((k) => k.startsWith(f + (win ? '\\' : '/'))),
    readText: (f) => files[f] ?? null,
  };
}

describe('where the data lives on a shared PC (main/core/paths.ts)', () => {
  it("Windows: %ProgramData%\\Wardkeep\\data for every user of the PC; the setting file beside it, for administrators only", () => {
    const choice = chooseDataDir(undefined, machine('win32'));
    expect(choice).toEqual({
      dir: 'C:\\ProgramData\\Wardkeep\\data',
      source: 'machine',
      configFile: 'C:\\ProgramData\\Wardkeep\\wardkeep.json',
      legacyDir: 'C:\\Users\\ana\\AppData\\Roaming\\Wardkeep',
    });
    expect(machineDataDir('win32', { ProgramData: 'D:\\PD' })).toBe('D:\\PD\\Wardkeep\\data');
    expect(machineDataDir('win32', { ALLUSERSPROFILE: 'C:\\ProgramData' })).toBe('C:\\ProgramData\\Wardkeep\\data');
  });

  it('macOS: /Users/Shared/Wardkeep; the setting file in /Library/Application Support', () => {
    expect(chooseDataDir(undefined, machine('darwin'))).toEqual({
      dir: '/Users/Shared/Wardkeep',
      source: 'machine',
      configFile: '/Library/Application Support/Wardkeep/wardkeep.json',
      legacyDir: '/Users/ana/Library/Application Support/Wardkeep',
    });
  });

  it('Linux: /var/lib/wardkeep where the .deb made it, else (AppImage, a checkout) the user\'s own folder', () => {
    const installed = machine('linux', { '/var/lib/wardkeep/.keep': '' });
    expect(chooseDataDir(undefined, installed)).toEqual({
      dir: '/var/lib/wardkeep',
      source: 'machine',
      configFile: '/etc/wardkeep/wardkeep.json',
      legacyDir: '/home/ana/.config/Wardkeep',
    });
    expect(chooseDataDir(undefined, machine('linux'))).toMatchObject({ dir: '/home/ana/.config/Wardkeep', source: 'user', legacyDir: null });
    expect(chooseDataDir(undefined, machine('linux', {}, { XDG_CONFIG_HOME: '/cfg' }))).toMatchObject({ dir: '/cfg/Wardkeep', source: 'user' });
  });

  it('IT chooses another folder in the setting file; the environment variable and --data-dir still win', () => {
    const win = machine('win32', { 'C:\\ProgramData\\Wardkeep\\wardkeep.json': '{ "dataDir": "D:\\\\Wardkeep Data" }' });
    expect(chooseDataDir(undefined, win)).toMatchObject({ dir: 'D:\\Wardkeep Data', source: 'config', legacyDir: null });
    const mac = machine('darwin', { '/Library/Application Support/Wardkeep/wardkeep.json': JSON.stringify({ dataDir: '/Volumes/Data/Wardkeep/' }) });
    expect(chooseDataDir(undefined, mac)).toMatchObject({ dir: '/Volumes/Data/Wardkeep/', source: 'config' });
    const linux = machine('linux', { '/etc/wardkeep/wardkeep.json': '{"dataDir":"/srv/wardkeep"}' }, { WARDKEEP_DATA_DIR: '/from/env' });
    expect(chooseDataDir(undefined, linux)).toMatchObject({ dir: '/from/env', source: 'env' });
    expect(chooseDataDir('/from/flag', linux)).toMatchObject({ dir: '/from/flag', source: 'flag' });
    expect(chooseDataDir(undefined, machine('linux', { '/etc/wardkeep/wardkeep.json': '{}' }))).toMatchObject({ source: 'user' });
  });

  it('refuses a broken setting file with a sentence naming the file and the field, rather than guessing', () => {
    const file = machineConfigFile('linux');
    const bad = (text: string) => () => chooseDataDir(undefined, machine('linux', { [file]: text }));
    expect(bad('{ dataDir: /srv }')).toThrow(/^The Wardkeep setting file \/etc\/wardkeep\/wardkeep\.json is not valid JSON \(.+\)\. Ask your IT support to correct it\.$/);
    expect(bad('{"dataDirectory": "/srv"}')).toThrow('In the Wardkeep setting file /etc/wardkeep/wardkeep.json, "dataDirectory" is not a Wardkeep setting (the only one is "dataDir"). Ask your IT support to correct it.');
    expect(bad('{"dataDir": 5}')).toThrow('In the Wardkeep setting file /etc/wardkeep/wardkeep.json, "dataDir" must be the full path of a folder, in quotes. Ask your IT support to correct it.');
    expect(bad('{"dataDir": "  "}')).toThrow(/"dataDir" must name a folder/);
    expect(bad('{"dataDir": "wardkeep"}')).toThrow('In the Wardkeep setting file /etc/wardkeep/wardkeep.json, "dataDir" must be a full path (it is "wardkeep"). Ask your IT support to correct it.');
  });

  it('the command line uses the old per-user database until the app has moved it, so it never starts an empty one beside it', () => {
    const legacy = 'C:\\Users\\ana\\AppData\\Roaming\\Wardkeep\\wardkeep.sqlite3';
    const machineDb = 'C:\\ProgramData\\Wardkeep\\data\\wardkeep.sqlite3';
    expect(resolveDataDir(undefined, {}, machine('win32', { [legacy]: '' }))).toBe('C:\\Users\\ana\\AppData\\Roaming\\Wardkeep');
    expect(resolveDataDir(undefined, {}, machine('win32', { [legacy]: '', [machineDb]: '' }))).toBe('C:\\ProgramData\\Wardkeep\\data');
    expect(resolveDataDir(undefined, {}, machine('win32'))).toBe('C:\\ProgramData\\Wardkeep\\data');
    expect(resolveDataDir('/x', {}, machine('linux'))).toBe('/x');
  });

  it('the app takes --data-dir from its own command line, then the same order', () => {
    expect(appDataDir(['electron', '.', '--data-dir', '/x'], {}, machine('linux'))).toMatchObject({ dir: '/x', source: 'flag' });
    expect(appDataDir(['Wardkeep'], { WARDKEEP_DATA_DIR: '/env' }, machine('linux'))).toMatchObject({ dir: '/env', source: 'env' });
    expect(appDataDir(['Wardkeep'], {}, machine('darwin'))).toMatchObject({ dir: '/Users/Shared/Wardkeep', source: 'machine' });
  });
});

/** A file system that records what the preparation does to it. */
function fakeFs(platform: NodeJS.Platform, entries: Record<string, { uid: number; gid: number; mode: number; writable?: boolean }>, uid = 501) {
  const calls: string[] = [];
  const fs: FolderFs = {
    platform,
    uid,
    exists: (p) => p in entries,
    mkdir: (p, mode) => {
      calls.push(`mkdir ${p} ${mode.toString(8)}`);
      entries[p] = { uid, gid: 0, mode: 0o40000 | (mode & 0o775) };
    },
    stat: (p) => entries[p]!,
    chown: (p, gid) => {
      calls.push(`chgrp ${p} ${gid}`);
      entries[p]!.gid = gid;
    },
    chmod: (p, mode) => {
      calls.push(`chmod ${p} ${(mode & 0o7777).toString(8)}`);
      entries[p]!.mode = mode;
    },
    writable: (p) => entries[p]?.writable ?? entries[p]?.uid === uid,
    createEmpty: (p, mode) => {
      calls.push(`create ${p} ${mode.toString(8)}`);
      entries[p] = { uid, gid: 20, mode };
    },
    umask: (mask) => calls.push(`umask ${mask.toString(8)}`),
  };
  return { fs, calls, entries };
}

const choice = (dir: string, source: DataDirChoice['source']): DataDirChoice => ({ dir, source, configFile: '/etc/wardkeep/wardkeep.json', legacyDir: null });

describe('a shared folder every account of the PC can write (main/app/data-dir.ts)', () => {
  it('macOS: creates /Users/Shared/Wardkeep for the staff group (every local account), group-writable, and the database file group-writable', () => {
    const { fs, calls } = fakeFs('darwin', {});
    const c = choice('/Users/Shared/Wardkeep', 'machine');
    prepareDataFolder(c, fs);
    prepareDatabaseFile(c, fs);
    expect(calls).toEqual([
      'umask 2',
      'mkdir /Users/Shared/Wardkeep 2775',
      `chgrp /Users/Shared/Wardkeep ${MAC_STAFF_GID}`,
      'chmod /Users/Shared/Wardkeep 2775',
      'create /Users/Shared/Wardkeep/wardkeep.sqlite3 664',
    ]);
  });

  it("leaves another account's folder as it is when it is shared, and refuses with what to do when it is not", () => {
    const shared = fakeFs('darwin', { '/Users/Shared/Wardkeep': { uid: 502, gid: 20, mode: 0o42775, writable: true } });
    prepareDataFolder(choice('/Users/Shared/Wardkeep', 'machine'), shared.fs);
    expect(shared.calls).toEqual(['umask 2']);
    const closed = fakeFs('darwin', { '/Users/Shared/Wardkeep': { uid: 502, gid: 0, mode: 0o40755 } });
    expect(() => prepareDataFolder(choice('/Users/Shared/Wardkeep', 'machine'), closed.fs)).toThrow(
      'Wardkeep may not write to its data folder /Users/Shared/Wardkeep, which every user of this PC shares. Another account created it without sharing it. Ask your IT support to run: sudo chgrp -R staff "/Users/Shared/Wardkeep" && sudo chmod -R g+rwX "/Users/Shared/Wardkeep"',
    );
  });

  it('Linux: uses the folder the .deb made for the wardkeep group; an account outside the group is told how to join', () => {
    const member = fakeFs('linux', { '/var/lib/wardkeep': { uid: 0, gid: 998, mode: 0o42770, writable: true } }, 1000);
    prepareDataFolder(choice('/var/lib/wardkeep', 'machine'), member.fs);
    expect(member.calls).toEqual(['umask 2']);
    const outsider = fakeFs('linux', { '/var/lib/wardkeep': { uid: 0, gid: 998, mode: 0o42770, writable: false } }, 1001);
    expect(() => prepareDataFolder(choice('/var/lib/wardkeep', 'machine'), outsider.fs)).toThrow(/add your account to the "wardkeep" group \(sudo adduser YOUR-NAME wardkeep\), then sign out/);
  });

  it('makes an existing database of ours group-writable, so -wal and -shm (which SQLite creates with its mode) are too', () => {
    const { fs, calls } = fakeFs('linux', { '/var/lib/wardkeep': { uid: 0, gid: 998, mode: 0o42775, writable: true }, '/var/lib/wardkeep/wardkeep.sqlite3': { uid: 1000, gid: 998, mode: 0o100644 } }, 1000);
    prepareDatabaseFile(choice('/var/lib/wardkeep', 'machine'), fs);
    expect(calls).toEqual(['chmod /var/lib/wardkeep/wardkeep.sqlite3 664']);
  });

  it('after a command of the installed command line: shares the file it made, but makes none when it made none', () => {
    const made = fakeFs('linux', { '/var/lib/wardkeep': { uid: 0, gid: 998, mode: 0o42770, writable: true }, '/var/lib/wardkeep/wardkeep.sqlite3': { uid: 0, gid: 998, mode: 0o100644 } }, 0);
    prepareDatabaseFile(choice('/var/lib/wardkeep', 'machine'), made.fs, { create: false });
    expect(made.calls).toEqual(['chmod /var/lib/wardkeep/wardkeep.sqlite3 664']);
    const none = fakeFs('linux', { '/var/lib/wardkeep': { uid: 0, gid: 998, mode: 0o42770, writable: true } }, 0);
    prepareDatabaseFile(choice('/var/lib/wardkeep', 'machine'), none.fs, { create: false });
    expect(none.calls).toEqual([]);
  });

  it('changes nothing for a folder of one person (--data-dir, the user folder) nor on Windows, where the installer grants access', () => {
    const { fs, calls } = fakeFs('linux', {});
    prepareDataFolder(choice('/home/ana/.config/Wardkeep', 'user'), fs);
    prepareDatabaseFile(choice('/tmp/x', 'flag'), fs);
    const win = fakeFs('win32', {});
    prepareDataFolder(choice(path.win32.join('C:\\ProgramData', 'Wardkeep', 'data'), 'machine'), win.fs);
    expect([...calls, ...win.calls]).toEqual([]);
  });
});
