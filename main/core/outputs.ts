import { closeSync, fsyncSync, openSync, readdirSync, realpathSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { KEY_FOLDER } from './anchors/key';
import { HEAD_LOG } from './anchors/head-log';
import { LEGACY_VERIFIED_FILE, verifiedFile, verifiedFiles } from './anchors/position';
import { BACKUP_SETTINGS_FILE, backupFolder } from './backup/folder';
import { parseBackupFileName } from './backup/names';
import type { Core } from './context';
import { AppError } from './errors';

/**
 * Files Wardkeep writes where a person said (`--out`, a backup's name, a PDF) never destroy its
 * own (issue 13, item 6): an output that is, or resolves through links to, the database, its
 * -wal/-shm/-journal, a backup, or the audit anchors is refused; and outputs are written to a
 * temporary file beside the target and renamed over it, so a failed write leaves the old file.
 */
const same = (a: string, b: string) => (process.platform === 'win32' ? a.toLowerCase() === b.toLowerCase() : a === b);

function real(p: string): string {
  try {
    return realpathSync.native(p);
  } catch {
    // Not there (yet): its folder resolved, its name as given.
    try {
      return path.join(realpathSync.native(path.dirname(p)), path.basename(p));
    } catch {
      return path.resolve(p);
    }
  }
}

function identity(p: string): string | null {
  try {
    const s = statSync(p);
    return `${s.dev}:${s.ino}`;
  } catch {
    return null;
  }
}

/** What an output must not be, named for the sentence that refuses it. */
function protectedFiles(core: Pick<Core, 'file' | 'dataDir'>): { file: string; what: string }[] {
  const live = path.resolve(core.file);
  const out = [
    { file: live, what: 'the database' },
    ...['-wal', '-shm', '-journal'].map((s) => ({ file: `${live}${s}`, what: `the database's ${s} file` })),
    { file: path.join(core.dataDir, HEAD_LOG), what: "the audit trail's head log" },
    ...[path.join(core.dataDir, LEGACY_VERIFIED_FILE), ...verifiedFiles(core.dataDir)].map((file) => ({ file, what: "the audit trail's last verified position" })),
    { file: path.join(core.dataDir, BACKUP_SETTINGS_FILE), what: 'the backup settings' },
  ];
  const folder = backupFolder(core.dataDir);
  try {
    for (const name of readdirSync(folder)) if (parseBackupFileName(name)) out.push({ file: path.join(folder, name), what: `the backup ${name}` });
  } catch {
    // no backup folder yet
  }
  try {
    for (const name of readdirSync(path.join(core.dataDir, KEY_FOLDER))) {
      out.push({ file: path.join(core.dataDir, KEY_FOLDER, name), what: "the audit trail's key" });
      // Each key's position file, written or not yet.
      if (name.endsWith('.json')) out.push({ file: verifiedFile(core.dataDir, name.slice(0, -'.json'.length)), what: "the audit trail's last verified position" });
    }
  } catch {
    // no key yet
  }
  return out;
}

/** Throws, naming what it would overwrite, when `target` is one of Wardkeep's own files under any name. */
export function assertSafeOutput(core: Pick<Core, 'file' | 'dataDir'>, target: string, field?: string): void {
  const resolved = real(target);
  const id = identity(resolved);
  const backupDir = real(backupFolder(core.dataDir));
  const refuse = (what: string) => {
    throw new AppError('invalid_input', `${target} is ${what}: Wardkeep will not write over it. Choose another file.`, field ? { field } : {});
  };
  for (const p of protectedFiles(core)) {
    const r = real(p.file);
    // The same path once links are followed, or the same file under another name (a hard link).
    if (same(r, resolved) || (id !== null && identity(r) === id)) refuse(p.what);
  }
  // A file in the backup folder under a backup's name, even one not written yet, is the rotation's to keep.
  if (same(path.dirname(resolved), backupDir) && parseBackupFileName(path.basename(resolved))) refuse('a backup name in the backup folder');
}

/** Writes an output the safe way: refused if it is one of Wardkeep's files, else written beside it and renamed over it. */
export function writeOutputFile(core: Pick<Core, 'file' | 'dataDir'>, target: string, content: string | Uint8Array): void {
  assertSafeOutput(core, target);
  const dest = path.resolve(target);
  const temp = path.join(path.dirname(dest), `.${path.basename(dest)}.${process.pid}-${Date.now()}.tmp`);
  try {
    const fd = openSync(temp, 'wx', 0o644);
    try {
      writeSync(fd, typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    // Renaming replaces a link itself, never the file it points at.
    renameSync(temp, dest);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
}
