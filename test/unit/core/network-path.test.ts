import { describe, expect, it } from 'vitest';
import { __test, isUncPath, networkFsName, networkPathProblem } from '../../../main/core/db/network-path';

describe('network paths', () => {
  it.each([
    ['\\\\server\\share\\wardkeep', true],
    ['//server/share/wardkeep', true],
    ['\\\\?\\C:\\Wardkeep', false],
    ['C:\\Users\\ward\\AppData\\Roaming\\Wardkeep', false],
    ['/home/ward/.config/Wardkeep', false],
  ])('%s is a UNC path: %s', (p, expected) => {
    expect(isUncPath(p)).toBe(expected);
  });

  it('explains the refusal in a sentence that names the folder and the reason', () => {
    expect(networkPathProblem('\\\\server\\share\\wk', 'win32')).toMatch(/^The data folder \\\\server\\share\\wk is on a network share\. SQLite in WAL mode/);
  });

  it('knows the statfs magic numbers of network file systems', () => {
    expect(networkFsName(0x6969)).toBe('NFS');
    expect(networkFsName(0xff534d42)).toBe('CIFS');
    expect(networkFsName(0xef53)).toBeNull(); // ext4
    expect(networkFsName(0x01021994)).toBeNull(); // tmpfs is local
  });

  it('finds the mount type of a folder from /proc/mounts, longest mount point first', () => {
    const mounts = ['/dev/sda1 / ext4 rw 0 0', 'server:/export /mnt/ward nfs4 rw 0 0', '//nas/share /mnt/ward\\040cifs cifs rw 0 0'].join('\n');
    expect(__test.mountTypeOf('/mnt/ward/wardkeep', mounts)).toBe('nfs4');
    expect(__test.mountTypeOf('/mnt/ward cifs/x', mounts)).toBe('cifs');
    expect(__test.mountTypeOf('/home/ward', mounts)).toBe('ext4');
    expect(__test.mountTypeOf('/mnt/wardrobe', mounts)).toBe('ext4');
  });

  it('lets a local folder through', () => {
    expect(networkPathProblem(process.cwd())).toBeNull();
  });
});
