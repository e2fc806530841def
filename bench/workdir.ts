import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';

/** The files of a data folder a start or a check reads or writes (the database and its anchors). */
const FILES = [
  'wardkeep.sqlite3',
  'wardkeep.sqlite3-wal',
  'wardkeep.sqlite3-shm',
  'audit-heads.log',
  'audit-verified.json',
  'clean-shutdown.json',
];

/**
 * A working copy of a seeded data folder, for the lines that write (a start records its heads, a
 * check its verified position, the shell its clean-shutdown marker): the cached seed stays as built.
 */
export function workingCopy(from: string, to: string): string {
  rmSync(to, { recursive: true, force: true });
  mkdirSync(to, { recursive: true });
  for (const f of FILES) if (existsSync(path.join(from, f))) cpSync(path.join(from, f), path.join(to, f));
  cpSync(path.join(from, 'audit-keys'), path.join(to, 'audit-keys'), { recursive: true });
  return to;
}
