import { describe, expect, it } from 'vitest';
import { defaultDataDir, resolveDataDir } from '../../../main/core/paths';
import { appDataDir, dataDirFlag } from '../../../main/app/data-dir';

describe('the data folder', () => {
  it('defaults to the folder Electron calls userData on each platform', () => {
    expect(defaultDataDir('linux', {}, '/home/ana')).toBe('/home/ana/.config/Wardkeep');
    expect(defaultDataDir('linux', { XDG_CONFIG_HOME: '/cfg' }, '/home/ana')).toBe('/cfg/Wardkeep');
    expect(defaultDataDir('darwin', {}, '/Users/ana')).toBe('/Users/ana/Library/Application Support/Wardkeep');
    expect(defaultDataDir('win32', { APPDATA: 'C:\\Users\\ana\\AppData\\Roaming' }, 'C:\\Users\\ana')).toBe('C:\\Users\\ana\\AppData\\Roaming\\Wardkeep');
  });

  it('takes --data-dir first, then WARDKEEP_DATA_DIR, then the default', () => {
    expect(resolveDataDir('/a', { WARDKEEP_DATA_DIR: '/b' }, '/c')).toBe('/a');
    expect(resolveDataDir(undefined, { WARDKEEP_DATA_DIR: '/b' }, '/c')).toBe('/b');
    expect(resolveDataDir(undefined, {}, '/c')).toBe('/c');
  });

  it('reads the flag from the app command line in both spellings', () => {
    expect(dataDirFlag(['electron', '.', '--data-dir', '/x'])).toBe('/x');
    expect(dataDirFlag(['electron', '.', '--data-dir=/y'])).toBe('/y');
    expect(appDataDir(['electron', '.'], { WARDKEEP_DATA_DIR: '/env' }, '/userData')).toBe('/env');
    expect(appDataDir(['electron', '.'], {}, '/userData')).toBe('/userData');
  });
});
