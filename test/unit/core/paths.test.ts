import { describe, expect, it } from 'vitest';
import { resolveDataDir, userDataDir } from '../../../main/core/paths';
import { dataDirFlag } from '../../../main/app/data-dir';

// The machine-wide resolution, per platform, is tested in test/unit/app/data-folder.test.ts.
describe('the data folder', () => {
  it('knows the per-user folder Electron calls userData on each platform (where older versions kept the database)', () => {
    expect(userDataDir('linux', {}, '/home/ana')).toBe('/home/ana/.config/Wardkeep');
    expect(userDataDir('linux', { XDG_CONFIG_HOME: '/cfg' }, '/home/ana')).toBe('/cfg/Wardkeep');
    expect(userDataDir('darwin', {}, '/Users/ana')).toBe('/Users/ana/Library/Application Support/Wardkeep');
    expect(userDataDir('win32', { APPDATA: 'C:\\Users\\ana\\AppData\\Roaming' }, 'C:\\Users\\ana')).toBe('C:\\Users\\ana\\AppData\\Roaming\\Wardkeep');
  });

  it('takes --data-dir first, then WARDKEEP_DATA_DIR', () => {
    expect(resolveDataDir('/a', { WARDKEEP_DATA_DIR: '/b' })).toBe('/a');
    expect(resolveDataDir(undefined, { WARDKEEP_DATA_DIR: '/b' })).toBe('/b');
  });

  it('reads the flag from the app command line in both spellings', () => {
    expect(dataDirFlag(['electron', '.', '--data-dir', '/x'])).toBe('/x');
    expect(dataDirFlag(['electron', '.', '--data-dir=/y'])).toBe('/y');
  });
});
