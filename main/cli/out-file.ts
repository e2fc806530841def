import { statSync } from 'node:fs';
import path from 'node:path';
import type { Core } from '../core/context';
import { AppError } from '../core/errors';
import { writeOutputFile } from '../core/outputs';
import type { CliIo } from './io';

/** Why `--out FILE` could not be written, in words (as `backup` says it), never a system code. */
export function outFileProblem(err: unknown, out: string, example = 'list.csv'): string {
  if (err instanceof AppError) return err.message;
  const code = String((err as { code?: unknown } | null)?.code ?? '');
  const dir = path.dirname(out);
  if (code === 'EISDIR') return `${out} is a folder: give a file name, such as ${path.join(out, example)}.`;
  if (code === 'ENOENT') return `The folder ${dir} does not exist: make it first, or name a file in a folder that does.`;
  if (code === 'ENOTDIR') return `${out} cannot be written: part of its path is a file, not a folder.`;
  if (code === 'EROFS') return `The folder ${dir} is read-only: choose another folder.`;
  if (code === 'EACCES' || code === 'EPERM') return `Wardkeep may not write to the folder ${dir}: check its permissions or choose another folder.`;
  if (code === 'ENOSPC' || code === 'EDQUOT') return `There is not enough space in ${dir}: free some space or choose another folder.`;
  if (code === 'EIO') return `${out} could not be written: the disk reported an error.`;
  return `${out} could not be written.`;
}

/**
 * Writes `--out FILE` (relative to the working folder) the safe way (core/outputs.ts); true when
 * written, else false after saying why on stderr, followed by `said.nothing` ("Nothing was written.");
 * `said.example` is the file name suggested when FILE is a folder.
 */
export function writeOutFile(core: Pick<Core, 'file' | 'dataDir'>, io: CliIo, out: string, content: string, said: { nothing: string; example: string }): boolean {
  const target = path.resolve(io.cwd, out);
  try {
    // Said before anything is made beside it (a rename onto a folder fails only at the end).
    if (statSync(target, { throwIfNoEntry: false })?.isDirectory()) throw Object.assign(new Error('is a folder'), { code: 'EISDIR' });
    writeOutputFile(core, target, content);
    return true;
  } catch (err) {
    io.stderr(`${outFileProblem(err, out, said.example)} ${said.nothing}\n`);
    return false;
  }
}
