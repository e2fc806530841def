import { mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FileSystemProbe, WindowsDriveType } from '../../../main/core/db/network-path';
import { isUncPath, networkPathProblem, systemProbe, windowsDrive } from '../../../main/core/db/network-path';
import { tempDir } from '../../helpers/core';

/**
 * The network-folder check (main/core/db/network-path.ts) against what each platform answers,
 * stubbed: Windows' real paths and drive types, macOS's `mount` output, Linux's statfs types and
 * /proc/mounts. Each row is a folder someone could choose, and whether SQLite's WAL is safe there.
 */

interface Stub {
  /** Folder (or its nearest existing ancestor) → its real path. */
  real?: Record<string, string>;
  /** Real path → statfs type (Linux). */
  statfs?: Record<string, number>;
  /** Windows drive letter → its type. */
  drives?: Record<string, WindowsDriveType>;
  /** Folders that exist; the probe climbs to the nearest one. */
  existing?: string[];
  mounts?: string;
}

function probe(platform: 'win32' | 'darwin' | 'linux', stub: Stub, asked: string[] = []): FileSystemProbe {
  const p = platform === 'win32' ? path.win32 : path.posix;
  return {
    existingAncestor(dir) {
      if (!stub.existing) return dir;
      let current = dir;
      while (!stub.existing.includes(current)) {
        const parent = p.dirname(current);
        if (parent === current) return current;
        current = parent;
      }
      return current;
    },
    realpath: (dir) => stub.real?.[dir] ?? dir,
    statfsType: (dir) => {
      // statfs answers for the file system holding the path: the longest matching prefix.
      const hits = Object.keys(stub.statfs ?? {}).filter((k) => dir === k || dir.startsWith(k.endsWith('/') ? k : k + '/'));
      const best = hits.sort((a, b) => b.length - a.length)[0];
      return best === undefined ? null : stub.statfs![best]!;
    },
    linuxMounts: () => (platform === 'linux' ? (stub.mounts ?? null) : null),
    macMounts: () => (platform === 'darwin' ? (stub.mounts ?? null) : null),
    windowsDriveType: (drive) => {
      asked.push(drive);
      return stub.drives?.[drive] ?? 'local';
    },
    systemDrive: 'C:',
  };
}

const EXT4 = 0xef53;
const TMPFS = 0x01021994;
const VFAT = 0x4d44;
const FUSE = 0x65735546;

const MAC_MOUNTS = [
  '/dev/disk3s1s1 on / (apfs, sealed, local, read-only, journaled)',
  'devfs on /dev (devfs, local, nobrowse)',
  '/dev/disk3s5 on /System/Volumes/Data (apfs, local, journaled, nobrowse, protect)',
  'map auto_home on /System/Volumes/Data/home (autofs, automounted, nobrowse)',
  '//ana@nas._smb._tcp.local/ward on /Volumes/ward (smbfs, nodev, nosuid, mounted by ana)',
  'nas:/export/ward on /Volumes/nfsward (nfs, asynchronous, nodev, nosuid, mounted by ana)',
  'afp_0TQ2rK1Wxe3M@nas._afpovertcp._tcp.local/ward on /Volumes/afpward (afpfs, nodev, nosuid, mounted by ana)',
  'https://dav.example.org/ward on /Volumes/dav (webdav, nodev, noexec, nosuid, mounted by ana)',
  '/dev/disk4s1 on /Volumes/USB STICK (msdos, local, nodev, nosuid, noowners, mounted by ana)',
  'ana@host:/srv on /Volumes/ssh (macfuse, nodev, nosuid, synchronous, mounted by ana)',
].join('\n');

const LINUX_MOUNTS = [
  '/dev/sda2 / ext4 rw,relatime 0 0',
  'tmpfs /tmp tmpfs rw,nosuid,nodev 0 0',
  'nas:/export /mnt/nfs nfs4 rw,relatime,vers=4.2 0 0',
  '//nas/ward /mnt/ward\\040share cifs rw,relatime,vers=3.1.1 0 0',
  'ana@host:/srv /mnt/ssh fuse.sshfs rw,nosuid,nodev 0 0',
  'gvfsd-fuse /run/user/1000/gvfs fuse.gvfsd-fuse rw,nosuid,nodev 0 0',
  '/dev/sdb1 /media/ana/USB vfat rw,nosuid,nodev 0 0',
  '/dev/sdc1 /media/ana/ntfs fuseblk rw,nosuid,nodev 0 0',
].join('\n');

type Row = [string, 'win32' | 'darwin' | 'linux', string, Stub, RegExp | null];

const rows: Row[] = [
  // Windows
  ['the shared machine folder on the system drive', 'win32', 'C:\\ProgramData\\Wardkeep\\data', {}, null],
  ['a UNC share', 'win32', '\\\\server\\share\\wk', {}, /is on a network share/],
  ['a UNC share with forward slashes', 'win32', '//server/share/wk', {}, /is on a network share/],
  ['the long UNC form', 'win32', '\\\\?\\UNC\\server\\share\\wk', {}, /is on a network share/],
  ['the device-namespace UNC form', 'win32', '\\\\.\\UNC\\server\\share\\wk', {}, /is on a network share/],
  ['the long form of a local drive', 'win32', '\\\\?\\C:\\Wardkeep', {}, null],
  ['a mapped drive, whose real path is its share', 'win32', 'Z:\\Wardkeep', { existing: ['Z:\\'], real: { 'Z:\\': '\\\\nas\\ward' }, drives: { 'Z:': 'network' } }, /is on a network drive \(\\\\nas\\ward\)/],
  ['a mapped drive answered in the long UNC form', 'win32', 'Z:\\Wardkeep', { existing: ['Z:\\'], real: { 'Z:\\': '\\\\?\\UNC\\nas\\ward' } }, /is on a network drive \(\\\\nas\\ward\)/],
  ['a disconnected mapped drive (no real path), by its drive type', 'win32', 'Y:\\Wardkeep', { existing: [], drives: { 'Y:': 'network' } }, /is on Y:, a network drive/],
  ['a second local disk', 'win32', 'D:\\Wardkeep', { drives: { 'D:': 'local' } }, null],
  ['a drive whose type could not be asked (PowerShell blocked): accepted, a documented limit', 'win32', 'E:\\Wardkeep', { drives: { 'E:': 'unknown' } }, null],
  ['a local folder linked to a share', 'win32', 'C:\\Users\\ana\\ward', { real: { 'C:\\Users\\ana\\ward': '\\\\nas\\ward' } }, /network drive/],
  // macOS
  ['the shared folder on the startup disk', 'darwin', '/Users/Shared/Wardkeep', { mounts: MAC_MOUNTS }, null],
  ['an SMB share under /Volumes', 'darwin', '/Volumes/ward/Wardkeep', { mounts: MAC_MOUNTS }, /network file system \(smbfs, mounted at \/Volumes\/ward\)/],
  ['an NFS mount', 'darwin', '/Volumes/nfsward/x', { mounts: MAC_MOUNTS }, /\(nfs,/],
  ['an AFP mount', 'darwin', '/Volumes/afpward/x', { mounts: MAC_MOUNTS }, /\(afpfs,/],
  ['a WebDAV mount', 'darwin', '/Volumes/dav/x', { mounts: MAC_MOUNTS }, /\(webdav,/],
  ['an automounted home', 'darwin', '/System/Volumes/Data/home/ana/wk', { mounts: MAC_MOUNTS }, /\(autofs,/],
  ['a USB stick (local)', 'darwin', '/Volumes/USB STICK/Wardkeep', { mounts: MAC_MOUNTS }, null],
  ['a FUSE mount without the local flag', 'darwin', '/Volumes/ssh/x', { mounts: MAC_MOUNTS }, /is not on a local disk \(macfuse/],
  ['a folder linked into an SMB share', 'darwin', '/Users/ana/ward', { mounts: MAC_MOUNTS, real: { '/Users/ana/ward': '/Volumes/ward/x' } }, /smbfs/],
  // Linux
  ['the .deb state folder on ext4', 'linux', '/var/lib/wardkeep', { statfs: { '/': EXT4 }, mounts: LINUX_MOUNTS }, null],
  ['tmpfs (local memory)', 'linux', '/tmp/wk', { statfs: { '/': EXT4, '/tmp': TMPFS }, mounts: LINUX_MOUNTS }, null],
  ['NFS by its statfs type', 'linux', '/mnt/nfs/wk', { statfs: { '/': EXT4, '/mnt/nfs': 0x6969 }, mounts: LINUX_MOUNTS }, /network file system \(NFS\)/],
  ['CIFS by its statfs type', 'linux', '/mnt/ward share/wk', { statfs: { '/': EXT4, '/mnt/ward share': 0xff534d42 }, mounts: LINUX_MOUNTS }, /\(CIFS\)/],
  ['SMB2 by its statfs type', 'linux', '/srv/smb2', { statfs: { '/': EXT4, '/srv/smb2': 0xfe534d42 } }, /\(SMB2\)/],
  ['CIFS by /proc/mounts when statfs says nothing', 'linux', '/mnt/ward share/wk', { statfs: {}, mounts: LINUX_MOUNTS }, /\(cifs\)/],
  ['sshfs (FUSE) by its mount type', 'linux', '/mnt/ssh/wk', { statfs: { '/': EXT4, '/mnt/ssh': FUSE }, mounts: LINUX_MOUNTS }, /\(fuse\.sshfs\)/],
  ["GNOME's SMB mount (gvfs)", 'linux', '/run/user/1000/gvfs/smb-share:server=nas,share=ward/wk', { statfs: { '/': EXT4, '/run/user/1000/gvfs': FUSE }, mounts: LINUX_MOUNTS }, /fuse\.gvfsd-fuse/],
  ['a USB stick (vfat)', 'linux', '/media/ana/USB/wk', { statfs: { '/': EXT4, '/media/ana/USB': VFAT }, mounts: LINUX_MOUNTS }, null],
  ['an NTFS disk through FUSE (fuseblk is local)', 'linux', '/media/ana/ntfs/wk', { statfs: { '/': EXT4, '/media/ana/ntfs': FUSE }, mounts: LINUX_MOUNTS }, null],
  ['a folder not made yet, judged by its parent on NFS', 'linux', '/mnt/nfs/new/wk', { existing: ['/mnt/nfs', '/mnt', '/'], statfs: { '/': EXT4, '/mnt/nfs': 0x6969 }, mounts: LINUX_MOUNTS }, /\(NFS\)/],
  ['a link into an NFS mount', 'linux', '/home/ana/ward', { real: { '/home/ana/ward': '/mnt/nfs/ward' }, statfs: { '/': EXT4, '/mnt/nfs': 0x6969 }, mounts: LINUX_MOUNTS }, /\(NFS\)/],
];

describe('network folders are refused, local disks accepted', () => {
  it.each(rows)('%s (%s) %s', (_what, platform, dir, stub, expected) => {
    const problem = networkPathProblem(dir, platform, probe(platform, stub));
    if (expected === null) expect(problem).toBeNull();
    else {
      expect(problem).toMatch(expected);
      // One sentence that names the folder, then why and what to do.
      expect(problem).toContain(dir);
      expect(problem).toMatch(/SQLite in WAL mode needs shared memory on the same machine.*Choose a folder on this PC's own disk\.$/);
    }
  });

  it('never asks Windows about the system drive (PowerShell costs half a second), only other drives', () => {
    const asked: string[] = [];
    networkPathProblem('C:\\ProgramData\\Wardkeep\\data', 'win32', probe('win32', {}, asked));
    networkPathProblem('c:\\Wardkeep', 'win32', probe('win32', {}, asked));
    expect(asked).toEqual([]);
    networkPathProblem('D:\\Wardkeep', 'win32', probe('win32', {}, asked));
    expect(asked).toEqual(['D:']);
  });

  it('reads the spellings of UNC paths and drive letters', () => {
    expect(isUncPath('\\\\?\\UNC\\server\\share')).toBe(true);
    expect(isUncPath('//?/UNC/server/share/x')).toBe(true);
    expect(isUncPath('\\\\?\\C:\\x')).toBe(false);
    expect(isUncPath('\\\\server')).toBe(false);
    expect(windowsDrive('z:\\x')).toBe('Z:');
    expect(windowsDrive('\\\\?\\D:\\x')).toBe('D:');
    expect(windowsDrive('\\\\server\\share')).toBeNull();
  });

  it('on this machine: a local temp folder passes, and so does a link to it and a folder not yet made', () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'real'));
    symlinkSync(path.join(dir, 'real'), path.join(dir, 'link'));
    expect(networkPathProblem(path.join(dir, 'link'))).toBeNull();
    expect(networkPathProblem(path.join(dir, 'not', 'yet'))).toBeNull();
    expect(systemProbe().existingAncestor(path.join(dir, 'not', 'yet'))).toBe(dir);
  });
});
