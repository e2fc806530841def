import { readFileSync, statfsSync } from 'node:fs';
import path from 'node:path';

/** `\\server\share\…` or `//server/share/…`: a Windows network share. */
export function isUncPath(p: string): boolean {
  return /^(\\\\|\/\/)[^\\/]+[\\/][^\\/]+/.test(p) && !/^\\\\[?.]\\/.test(p);
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
  [0x00c36400, 'CephFS'],
  [0x01021994, 'tmpfs'], // not network, filtered out below; listed to document the value
  [0x47504653, 'GPFS'],
  [0x19830326, 'FhGFS'],
  [0x013111a8, 'IBRIX'],
]);

const NETWORK_MOUNT_TYPES = /^(nfs4?|cifs|smb3?|smbfs|ncpfs|afs|ceph|glusterfs|fuse\.sshfs|fuse\.glusterfs|9p|davfs|fuse\.davfs2|fuse\.rclone|lustre|gpfs)$/;

export function networkFsName(magic: number): string | null {
  const name = NETWORK_FS_MAGIC.get(magic >>> 0);
  return name && name !== 'tmpfs' ? name : null;
}

/** The type of the mount that holds `dir`, read from /proc/mounts (Linux only). */
function mountTypeOf(dir: string, mountsText: string): string | null {
  let best: { point: string; type: string } | null = null;
  for (const line of mountsText.split('\n')) {
    const [, point, type] = line.split(' ');
    if (!point || !type) continue;
    const decoded = point.replace(/\\040/g, ' ');
    if ((dir === decoded || dir.startsWith(decoded.endsWith('/') ? decoded : decoded + '/')) && (!best || decoded.length > best.point.length)) {
      best = { point: decoded, type };
    }
  }
  return best?.type ?? null;
}

/**
 * Returns a sentence explaining why the folder must not hold the database, or null when it may.
 * SQLite's WAL mode relies on shared memory between processes on one machine; on a network
 * file system that breaks and the database can be corrupted.
 */
export function networkPathProblem(dir: string, platform: NodeJS.Platform = process.platform): string | null {
  const why =
    'SQLite in WAL mode needs shared memory on the same machine, and a database on a network drive can be corrupted when two computers use it. Choose a folder on this PC\'s own disk.';
  if (isUncPath(dir)) return `The data folder ${dir} is on a network share. ${why}`;
  if (platform !== 'linux') return null;
  const abs = path.resolve(dir);
  try {
    const magic = statfsSync(abs).type;
    const fs = networkFsName(magic);
    if (fs) return `The data folder ${abs} is on a network file system (${fs}). ${why}`;
  } catch {
    // the folder may not exist yet; its parent is checked by the caller creating it
  }
  try {
    const type = mountTypeOf(abs, readFileSync('/proc/mounts', 'utf8'));
    if (type && NETWORK_MOUNT_TYPES.test(type)) return `The data folder ${abs} is on a network file system (${type}). ${why}`;
  } catch {
    // no /proc: nothing more to detect
  }
  return null;
}

export const __test = { mountTypeOf };
