import { chmodSync, linkSync, mkdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FolderFs } from '../../../main/app/data-dir';
import { appDataDir, MAC_STAFF_GID, prepareDatabaseFile, prepareDataFolder, systemFolderFs } from '../../../main/app/data-dir';
import { DB_FILE } from '../../../main/core/db/open';
import type { DataDirChoice, PathsEnvironment } from '../../../main/core/paths';
import { chooseDataDir, machineConfigFile, machineDataDir, resolveDataDir, systemPathsEnvironment } from '../../../main/core/paths';
import { tempDir } from '../../helpers/core';

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
    // Spaces pasted around the flag's path are not a folder of that name beside the working folder, as for the variable.
    expect(chooseDataDir('  /from/flag ', linux)).toMatchObject({ dir: '/from/flag', source: 'flag' });
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

const WIN_CONFIG = 'C:\\ProgramData\\Wardkeep\\wardkeep.json';

describe('the machine-wide setting file as Windows tools write it (main/core/paths.ts)', () => {
  it('a wardkeep.json saved with a UTF-8 byte order mark (Notepad, PowerShell 5 Set-Content -Encoding UTF8) is read', () => {
    const win = machine('win32', { [WIN_CONFIG]: '\uFEFF{ "dataDir": "D:\\\\Wardkeep" }' });
    expect(chooseDataDir(undefined, win)).toMatchObject({ dir: 'D:\\Wardkeep', source: 'config' });
  });

  it('a wardkeep.json saved as UTF-16 (PowerShell 5 `>` or Out-File) is read by its byte order mark; UTF-16 without one is refused, saying to save it as UTF-8', () => {
    const dir = tempDir('wardkeep-cfg-');
    const json = '{ "dataDir": "D:\\\\Wardkeep" }\r\n';
    const little = path.join(dir, 'le.json');
    const big = path.join(dir, 'be.json');
    const noMark = path.join(dir, 'nomark.json');
    writeFileSync(little, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(json, 'utf16le')]));
    writeFileSync(big, Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(json, 'utf16le').swap16()]));
    writeFileSync(noMark, Buffer.from(json, 'utf16le'));
    const read = systemPathsEnvironment().readText;
    const reading = (real: string): PathsEnvironment => ({ ...machine('win32'), readText: (f) => (f === WIN_CONFIG ? read(real) : null) });
    expect(chooseDataDir(undefined, reading(little)).dir).toBe('D:\\Wardkeep');
    expect(chooseDataDir(undefined, reading(big)).dir).toBe('D:\\Wardkeep');
    expect(() => chooseDataDir(undefined, reading(noMark))).toThrow(
      'The Wardkeep setting file C:\\ProgramData\\Wardkeep\\wardkeep.json is not saved as UTF-8 (it looks like UTF-16). Ask your IT support to save it as UTF-8 (in Notepad: Save As, Encoding UTF-8).',
    );
  });

  it('a dataDir that JSON turned into control characters (one backslash before n, r, t) is refused naming "dataDir" and saying to write \\\\ or /', () => {
    // IT wrote "D:\\Data\rooms": JSON reads \r as a carriage return, so the folder would be "D:\Data<CR>ooms".
    const refused = (json: string) => () => chooseDataDir(undefined, machine('win32', { [WIN_CONFIG]: json }));
    expect(refused('{ "dataDir": "D:\\\\Data\\rooms" }')).toThrow(
      'In the Wardkeep setting file C:\\ProgramData\\Wardkeep\\wardkeep.json, "dataDir" holds a control character: in JSON one backslash before n, r, t, b or f stands for one. Write each backslash in the path as \\\\ (or use /). Ask your IT support to correct it.',
    );
    // At the end too, where a trim would otherwise have dropped it unseen.
    expect(refused('{ "dataDir": "D:\\\\Data\\n" }')).toThrow(/"dataDir" holds a control character/);
  });

  it('a Windows dataDir without a drive ("\\Wardkeep") is not a full path: refused, not taken on whatever drive the process starts on', () => {
    const win = machine('win32', { [WIN_CONFIG]: '{ "dataDir": "\\\\Wardkeep" }' });
    expect(() => chooseDataDir(undefined, win)).toThrow(
      'In the Wardkeep setting file C:\\ProgramData\\Wardkeep\\wardkeep.json, "dataDir" must be a full path, with its drive, such as D:\\Wardkeep (it is "\\Wardkeep"). Ask your IT support to correct it.',
    );
    expect(chooseDataDir(undefined, machine('win32', { [WIN_CONFIG]: '{ "dataDir": "D:/Wardkeep" }' })).dir).toBe('D:\\Wardkeep');
  });
});

describe('WARDKEEP_DATA_DIR and --data-dir as Group Policy, shortcuts and scripts set them', () => {
  it('a trailing space in WARDKEEP_DATA_DIR (`set WARDKEEP_DATA_DIR=/srv/wardkeep `) does not name another, empty folder', () => {
    expect(chooseDataDir(undefined, machine('linux', {}, { WARDKEEP_DATA_DIR: '/srv/wardkeep ' }))).toMatchObject({ dir: '/srv/wardkeep', source: 'env' });
    expect(chooseDataDir(undefined, machine('linux', {}, { WARDKEEP_DATA_DIR: '  ' }))).toMatchObject({ source: 'user' });
  });

  it('a relative WARDKEEP_DATA_DIR is refused like a relative dataDir in the setting file (the app and a scheduled task start in different folders)', () => {
    expect(() => chooseDataDir(undefined, machine('linux', {}, { WARDKEEP_DATA_DIR: 'wardkeep-data' }))).toThrow(
      'The environment variable WARDKEEP_DATA_DIR must be a full path (it is "wardkeep-data"). Ask your IT support to correct it.',
    );
    expect(() => chooseDataDir(undefined, machine('win32', {}, { WARDKEEP_DATA_DIR: '\\Wardkeep' }))).toThrow(/WARDKEEP_DATA_DIR must be a full path, with its drive/);
  });

  it("an empty --data-dir (a script's unset variable: --data-dir \"$OLD\") is refused, never taken for the PC's live folder", () => {
    const installed = machine('linux', { '/var/lib/wardkeep/wardkeep.sqlite3': '' });
    expect(() => resolveDataDir('', {}, installed)).toThrow('--data-dir needs a folder: it was given none (an empty value, or nothing after it). Nothing was opened.');
    expect(() => resolveDataDir('  ', {}, installed)).toThrow(/^--data-dir needs a folder/);
  });

  it('the app: --data-dir last, or followed by another option, is refused the same way, not read as no flag or as a folder named "--…"', () => {
    const installed = machine('linux', { '/var/lib/wardkeep/.keep': '' });
    for (const argv of [['Wardkeep', '--data-dir'], ['Wardkeep', '--data-dir', '--no-sandbox'], ['Wardkeep', '--data-dir=']]) {
      expect(() => appDataDir(argv, {}, installed), argv.join(' ')).toThrow(/^--data-dir needs a folder/);
    }
    expect(appDataDir(['Wardkeep', '--data-dir=-odd'], {}, installed)).toMatchObject({ dir: path.resolve('-odd'), source: 'flag' });
  });
});

type FakeEntry = { uid: number; gid: number; mode: number; writable?: boolean; nlink?: number; size?: number; target?: string };

/** A file system that records what the preparation does to it; `mkdirFails` is the error code of every mkdir. */
function fakeFs(platform: NodeJS.Platform, entries: Record<string, FakeEntry>, uid = 501, mkdirFails?: string) {
  const calls: string[] = [];
  const fs: FolderFs = {
    platform,
    uid,
    lstat: (p) => (entries[p] ? { nlink: 1, size: 4096, ...entries[p] } : null),
    readlink: (p) => entries[p]!.target!,
    mkdir: (p, mode) => {
      calls.push(`mkdir ${p} ${mode.toString(8)}`);
      if (mkdirFails) throw Object.assign(new Error(`${mkdirFails}: mkdir '${p}'`), { code: mkdirFails });
      entries[p] = { uid, gid: 0, mode: 0o40000 | (mode & 0o775) };
    },
    chown: (p, gid) => {
      calls.push(`chgrp ${p} ${gid}`);
      entries[p]!.gid = gid;
    },
    chmod: (p, mode) => {
      calls.push(`chmod ${p} ${(mode & 0o7777).toString(8)}`);
      entries[p]!.mode = mode;
    },
    writable: (p) => entries[p]?.writable ?? entries[p]?.uid === uid,
    umask: (mask) => calls.push(`umask ${mask.toString(8)}`),
    removeFile: (p) => {
      calls.push(`rm ${p}`);
      delete entries[p];
    },
  };
  return { fs, calls, entries };
}

const choice = (dir: string, source: DataDirChoice['source']): DataDirChoice => ({ dir, source, configFile: '/etc/wardkeep/wardkeep.json', legacyDir: null });

describe('a shared folder every account of the PC can write (main/app/data-dir.ts)', () => {
  it('macOS: creates /Users/Shared/Wardkeep for the staff group (every local account), group-writable; the database is left to its creation (group-writable by the umask)', () => {
    const { fs, calls } = fakeFs('darwin', {});
    const c = choice('/Users/Shared/Wardkeep', 'machine');
    prepareDataFolder(c, fs);
    prepareDatabaseFile(c, fs);
    expect(calls).toEqual(['umask 2', 'mkdir /Users/Shared/Wardkeep 2775', `chgrp /Users/Shared/Wardkeep ${MAC_STAFF_GID}`, 'chmod /Users/Shared/Wardkeep 2775']);
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
    prepareDatabaseFile(choice('/var/lib/wardkeep', 'machine'), made.fs);
    expect(made.calls).toEqual(['chmod /var/lib/wardkeep/wardkeep.sqlite3 664']);
    const none = fakeFs('linux', { '/var/lib/wardkeep': { uid: 0, gid: 998, mode: 0o42770, writable: true } }, 0);
    prepareDatabaseFile(choice('/var/lib/wardkeep', 'machine'), none.fs);
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

const configured = (dir: string, configFile = '/etc/wardkeep/wardkeep.json'): DataDirChoice => ({ dir, source: 'config', configFile, legacyDir: null });
const refusal = (run: () => void) => {
  try {
    run();
  } catch (err) {
    return (err as Error).message;
  }
  return '';
};

describe('a folder IT set in wardkeep.json', () => {
  it('on a disk that is not there (the USB disk not plugged in): it does not exist and could not be created, is the disk connected; not "join the wardkeep group"', () => {
    const { fs } = fakeFs('linux', {}, 1000, 'ENOENT');
    expect(refusal(() => prepareDataFolder(configured('/media/usbdisk/Wardkeep'), fs))).toBe(
      'The data folder /media/usbdisk/Wardkeep, set in /etc/wardkeep/wardkeep.json, does not exist and could not be created (ENOENT). If it is on a disk of its own (a USB disk, a second drive), check that the disk is connected, then start Wardkeep again; otherwise ask your IT support to create the folder or correct "dataDir".',
    );
    // Where the parent is not this account's to write (/media is root's): the same sentence.
    const { fs: closed } = fakeFs('linux', {}, 1000, 'EACCES');
    expect(refusal(() => prepareDataFolder(configured('/media/usbdisk/Wardkeep'), closed))).toMatch(/^The data folder \/media\/usbdisk\/Wardkeep, set in .+, does not exist and could not be created \(EACCES\)/);
  });

  it('macOS: the same, without "another account created it without sharing it" (no account created it)', () => {
    const { fs } = fakeFs('darwin', {}, 501, 'ENOENT');
    const message = refusal(() => prepareDataFolder(configured('/Volumes/WardData/Wardkeep', '/Library/Application Support/Wardkeep/wardkeep.json'), fs));
    expect(message).toMatch(/^The data folder \/Volumes\/WardData\/Wardkeep, set in \/Library\/Application Support\/Wardkeep\/wardkeep\.json, does not exist and could not be created/);
    expect(message).not.toMatch(/Another account created it/);
  });

  it("macOS: IT's folder keeps the permissions IT gave it (docs/deploy.md); one this account may not write is IT's to open up", () => {
    const { fs, calls } = fakeFs('darwin', { '/Volumes/WardData/Wardkeep': { uid: 501, gid: 80, mode: 0o40770 } }, 501);
    prepareDataFolder(configured('/Volumes/WardData/Wardkeep', '/Library/Application Support/Wardkeep/wardkeep.json'), fs);
    expect(calls).toEqual(['umask 2']);
    const closed = fakeFs('linux', { '/srv/wardkeep': { uid: 0, gid: 0, mode: 0o40755 } }, 1000);
    expect(refusal(() => prepareDataFolder(configured('/srv/wardkeep'), closed.fs))).toBe(
      'Wardkeep may not write to its data folder /srv/wardkeep, which every user of this PC shares. It is set in /etc/wardkeep/wardkeep.json. Ask your IT support to let every user of this PC write to it, or to correct "dataDir".',
    );
  });
});

/** The real file system, as the account starting Wardkeep, with a platform's rules; the umask is left alone. */
const realFs = (platform: NodeJS.Platform): FolderFs => ({ ...systemFolderFs, platform, umask: () => {} });
const modeOf = (p: string) => statSync(p).mode & 0o7777;

describe.skipIf(process.platform === 'win32' || typeof process.getuid !== 'function')('links another account of the PC puts in the shared folder', () => {
  const sharedFolder = () => {
    const root = tempDir('wardkeep-links-');
    const folder = path.join(root, 'Shared', 'Wardkeep');
    const victimFile = path.join(root, 'victim', '.zshrc');
    mkdirSync(folder, { recursive: true });
    mkdirSync(path.dirname(victimFile), { recursive: true });
    writeFileSync(victimFile, 'export PATH=/usr/bin\n');
    chmodSync(victimFile, 0o644);
    return { root, folder, victimFile, choice: choice(folder, 'machine') };
  };

  it("a wardkeep.sqlite3 that is a link to one of this account's own files is refused naming the folder, and the file stays as it was", () => {
    const { folder, victimFile, choice } = sharedFolder();
    symlinkSync(victimFile, path.join(folder, DB_FILE));
    for (const platform of ['darwin', 'linux'] as const) {
      expect(() => prepareDatabaseFile(choice, realFs(platform)), platform).toThrow(
        `The database file wardkeep.sqlite3 in the shared data folder ${folder} is a link to another file, not a database of its own: another account of this PC may have put it there, so Wardkeep did not open it nor change it. Ask your IT support to look at the folder.`,
      );
      expect(modeOf(victimFile), platform).toBe(0o644);
    }
  });

  it('the same for a hard link (macOS lets any account make one to a file it can see)', () => {
    const { folder, victimFile, choice } = sharedFolder();
    linkSync(victimFile, path.join(folder, DB_FILE));
    expect(() => prepareDatabaseFile(choice, realFs('darwin'))).toThrow(/is a link to another file, not a database of its own/);
    expect(modeOf(victimFile)).toBe(0o644);
  });

  it("macOS: /Users/Shared/Wardkeep made, before the first start, as a link to this account's own folder is refused naming both, and that folder is not opened up", () => {
    const root = tempDir('wardkeep-links-');
    const sharedRoot = path.join(root, 'Shared');
    const victimHome = path.join(root, 'Users', 'victim');
    mkdirSync(sharedRoot, { recursive: true });
    mkdirSync(victimHome, { recursive: true });
    chmodSync(victimHome, 0o700);
    const gidBefore = statSync(victimHome).gid;
    const link = path.join(sharedRoot, 'Wardkeep');
    symlinkSync(victimHome, link);
    expect(() => prepareDataFolder(choice(link, 'machine'), realFs('darwin'))).toThrow(
      `This PC's shared data folder ${link} is a link to ${victimHome}, not a folder: another account may have put it there, so Wardkeep did not use it nor change it. Ask your IT support to remove the link (sudo rm "${link}") and start Wardkeep again.`,
    );
    expect(modeOf(victimHome)).toBe(0o700);
    expect(statSync(victimHome).gid).toBe(gidBefore);
  });

  it('a database file of its own is still made group-writable, through no link', () => {
    const { folder, choice } = sharedFolder();
    const file = path.join(folder, DB_FILE);
    writeFileSync(file, 'x');
    chmodSync(file, 0o644);
    prepareDatabaseFile(choice, realFs('linux'));
    expect(modeOf(file)).toBe(0o664);
  });
});
