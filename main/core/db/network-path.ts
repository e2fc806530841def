import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync, statfsSync } from 'node:fs';
import path from 'node:path';

/**
 * A database on a network file system is refused: SQLite's write-ahead log keeps its index in
 * shared memory (the -shm file, memory-mapped), which only processes on one machine can share,
 * and network file systems' locks are unreliable; two PCs on one share corrupt the file.
 *
 * What each platform can tell, without native add-ons (docs/deploy.md has the table):
 * - Windows: UNC paths by their spelling; a mapped drive (`Z:\`) by its real path, which
 *   `fs.realpathSync.native` (GetFinalPathNameByHandle) gives as the share (`\\server\share`);
 *   and a drive other than the system drive by its drive type (GetDriveType, through PowerShell's
 *   DriveInfo). `fs.statfs` on Windows reports no file-system type.
 * - macOS: the type and flags of the mount holding the folder, from `mount` (statfs's type
 *   numbers are not stable across macOS releases): smbfs, nfs, afpfs, webdav, or any mount
 *   without the `local` flag.
 * - Linux: `fs.statfs`'s type (the kernel's magic number) and the mount type in /proc/mounts
 *   (which also names FUSE file systems such as sshfs or GNOME's gvfs).
 */

export type WindowsDriveType = 'network' | 'local' | 'unknown';

/** What the check asks of the machine; tests stub every answer. */
export interface FileSystemProbe {
  /** The folder itself if it exists, else the nearest folder above it that does. */
  existingAncestor(dir: string): string;
  /** The real path of an existing folder (links followed; on Windows a mapped drive becomes its share). */
  realpath(dir: string): string;
  /** `fs.statfs(dir).type`, or null. */
  statfsType(dir: string): number | null;
  /** The text of /proc/mounts, or null. */
  linuxMounts(): string | null;
  /** The output of `mount`, or null. */
  macMounts(): string | null;
  /** What Windows says a drive letter (`Z:`) is. */
  windowsDriveType(drive: string): WindowsDriveType;
  /** `C:` usually: never a network drive, so never asked about. */
  systemDrive: string;
}

const LONG_UNC = /^[\\/]{2}[?.][\\/]UNC[\\/][^\\/]+[\\/]+[^\\/]+/i;
const SHORT_UNC = /^[\\/]{2}(?![?.][\\/])[^\\/]+[\\/]+[^\\/]+/;

/** `\\server\share\…`, `//server/share/…` or the long forms `\\?\UNC\server\share\…`: a Windows network share. */
export function isUncPath(p: string): boolean {
  return LONG_UNC.test(p) || SHORT_UNC.test(p);
}

/** `Z:` for `Z:\…` and `\\?\Z:\…`; null for anything else. */
export function windowsDrive(p: string): string | null {
  const m = /^(?:[\\/]{2}[?.][\\/])?([a-zA-Z]):/.exec(p);
  return m ? `${m[1]!.toUpperCase()}:` : null;
}

/** Linux statfs magic numbers of network file systems (see `man 2 statfs`). */
const NETWORK_FS_MAGIC = new Map<number, string>([
  [0x6969, 'NFS'],
  [0x517b, 'SMB'],
  [0xff534d42, 'CIFS'],
  [0xfe534d42, 'SMB2'],
  [0x564c, 'NCP'],
  [0x5346414f, 'AFS'],
  [0x6b414653, 'AFS'],
  [0x73757245, 'Coda'],
  [0x00c36400, 'CephFS'],
  [0x01021994, 'tmpfs'], // not network, filtered out below; listed to document the value
  [0x47504653, 'GPFS'],
  [0x19830326, 'FhGFS'],
  [0x013111a8, 'IBRIX'],
  [0x01021997, '9p'],
]);

const NETWORK_MOUNT_TYPES =
  /^(nfs4?|cifs|smb3?|smbfs|ncpfs|afs|afpfs|coda|ceph|glusterfs|9p|davfs|lustre|gpfs|fuse\.(sshfs|glusterfs|davfs2|rclone|s3fs|smbnetfs|afpfs|gvfsd-fuse|cifs))$/;
const MAC_NETWORK_TYPES = /^(smbfs|nfs|afpfs|webdav|cifs|ftp|autofs)$/;

export function networkFsName(magic: number): string | null {
  const name = NETWORK_FS_MAGIC.get(magic >>> 0);
  return name && name !== 'tmpfs' ? name : null;
}

const decodeMountPoint = (p: string) => p.replace(/\\([0-7]{3})/g, (_m, octal: string) => String.fromCharCode(parseInt(octal, 8)));
const under = (dir: string, point: string) => dir === point || dir.startsWith(point.endsWith('/') ? point : point + '/');

/** The type of the mount that holds `dir`, read from /proc/mounts (Linux only). */
function mountTypeOf(dir: string, mountsText: string): string | null {
  let best: { point: string; type: string } | null = null;
  for (const line of mountsText.split('\n')) {
    const [, point, type] = line.split(' ');
    if (!point || !type) continue;
    const decoded = decodeMountPoint(point);
    if (under(dir, decoded) && (!best || decoded.length > best.point.length)) best = { point: decoded, type };
  }
  return best?.type ?? null;
}

/** The mount holding `dir` from macOS's `mount` output: `//ana@nas/ward on /Volumes/ward (smbfs, nodev, nosuid, mounted by ana)`. */
function macMountOf(dir: string, mountText: string): { point: string; type: string; local: boolean } | null {
  let best: { point: string; type: string; local: boolean } | null = null;
  for (const line of mountText.split('\n')) {
    const m = / on (\/.*?) \(([^,)]+)(?:, ([^)]*))?\)\s*$/.exec(line);
    if (!m) continue;
    const point = m[1]!;
    const flags = (m[3] ?? '').split(',').map((f) => f.trim());
    if (under(dir, point) && (!best || point.length > best.point.length)) best = { point, type: m[2]!.trim(), local: flags.includes('local') };
  }
  return best;
}

function quietly<T>(fn: () => T, otherwise: T): T {
  try {
    return fn();
  } catch {
    return otherwise;
  }
}

const driveTypes = new Map<string, WindowsDriveType>();

/**
 * GetDriveType through .NET's DriveInfo: about half a second, so asked only about drives other
 * than the system drive, and once per drive in a process (the folder and its parent are checked).
 */
function windowsDriveTypeByPowerShell(drive: string): WindowsDriveType {
  if (!/^[A-Z]:$/.test(drive)) return 'unknown';
  const known = driveTypes.get(drive);
  if (known) return known;
  const type = askPowerShell(drive);
  driveTypes.set(drive, type);
  return type;
}

function askPowerShell(drive: string): WindowsDriveType {
  const out = quietly(
    () =>
      execFileSync('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', `[System.IO.DriveInfo]::new('${drive[0]}').DriveType`], {
        encoding: 'utf8',
        timeout: 5000,
        windowsHide: true,
        stdio: ['ignore', 'pipe', 'ignore'],
      }),
    '',
  ).trim();
  if (out === 'Network') return 'network';
  return out === '' || out === 'Unknown' || out === 'NoRootDirectory' ? 'unknown' : 'local';
}

export function systemProbe(platform: NodeJS.Platform = process.platform): FileSystemProbe {
  const p = platform === 'win32' ? path.win32 : path.posix;
  return {
    existingAncestor(dir) {
      let current = p.resolve(dir);
      while (!existsSync(current)) {
        const parent = p.dirname(current);
        if (parent === current) break;
        current = parent;
      }
      return current;
    },
    realpath: (dir) => quietly(() => realpathSync.native(platform === 'win32' && /^[a-zA-Z]:$/.test(dir) ? dir + '\\' : dir), dir),
    statfsType: (dir) => quietly(() => statfsSync(dir).type, null),
    linuxMounts: () => quietly(() => readFileSync('/proc/mounts', 'utf8'), null),
    macMounts: () => quietly(() => execFileSync('/sbin/mount', [], { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] }), null),
    windowsDriveType: windowsDriveTypeByPowerShell,
    systemDrive: (process.env.SystemDrive || 'C:').toUpperCase(),
  };
}

const WHY =
  "SQLite in WAL mode needs shared memory on the same machine, and a database on a network drive can be corrupted when two computers use it. Choose a folder on this PC's own disk.";

function windowsProblem(dir: string, probe: FileSystemProbe): string | null {
  const real = probe.realpath(probe.existingAncestor(dir));
  if (isUncPath(real)) return `The data folder ${dir} is on a network drive (${real.replace(/^[\\/]{2}[?.][\\/]UNC[\\/]/i, '\\\\')}). ${WHY}`;
  const drive = windowsDrive(dir);
  if (drive && drive !== probe.systemDrive.toUpperCase() && probe.windowsDriveType(drive) === 'network') {
    return `The data folder ${dir} is on ${drive}, a network drive. ${WHY}`;
  }
  return null;
}

function macProblem(dir: string, probe: FileSystemProbe): string | null {
  const real = probe.realpath(probe.existingAncestor(dir));
  const text = probe.macMounts();
  const mount = text ? macMountOf(real, text) : null;
  if (!mount) return null;
  if (MAC_NETWORK_TYPES.test(mount.type)) return `The data folder ${dir} is on a network file system (${mount.type}, mounted at ${mount.point}). ${WHY}`;
  if (!mount.local) return `The data folder ${dir} is not on a local disk (${mount.type}, mounted at ${mount.point}). ${WHY}`;
  return null;
}

function linuxProblem(dir: string, probe: FileSystemProbe): string | null {
  const real = probe.realpath(probe.existingAncestor(dir));
  const magic = probe.statfsType(real);
  const name = magic === null ? null : networkFsName(magic);
  if (name) return `The data folder ${dir} is on a network file system (${name}). ${WHY}`;
  const text = probe.linuxMounts();
  const type = text ? mountTypeOf(real, text) : null;
  if (type && NETWORK_MOUNT_TYPES.test(type)) return `The data folder ${dir} is on a network file system (${type}). ${WHY}`;
  return null;
}

/** Returns a sentence explaining why the folder must not hold the database, or null when it may. */
export function networkPathProblem(dir: string, platform: NodeJS.Platform = process.platform, probe: FileSystemProbe = systemProbe(platform)): string | null {
  if (isUncPath(dir)) return `The data folder ${dir} is on a network share. ${WHY}`;
  if (platform === 'win32') return windowsProblem(dir, probe);
  if (platform === 'darwin') return macProblem(dir, probe);
  if (platform === 'linux') return linuxProblem(dir, probe);
  return null;
}

export const __test = { mountTypeOf, macMountOf };
