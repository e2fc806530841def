import { closeSync, lstatSync, openSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { Core } from '../core/context';
import { AppError } from '../core/errors';
import { assertSafeOutput, writeOutputFile } from '../core/outputs';
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
 * What FILE is when it is not a file to replace: a named pipe or a terminal a script reads from, a
 * device, a socket, or a stream the system gives the process (`/dev/stdout`, `/dev/fd/3`, links
 * that a rename would replace, destroying the system's own entry). Null for a file or nothing yet.
 */
export function notAPlainFile(target: string): { what: string; stream: boolean } | null {
  const stat = statSync(target, { throwIfNoEntry: false });
  if (stat?.isFIFO()) return { what: 'a named pipe', stream: true };
  if (stat?.isCharacterDevice()) return { what: 'a device', stream: true };
  if (stat?.isBlockDevice()) return { what: 'a disk device', stream: false };
  if (stat?.isSocket()) return { what: 'a socket', stream: false };
  const systemLink = process.platform !== 'win32' && /^\/(dev|proc)\//.test(target) && lstatSync(target, { throwIfNoEntry: false })?.isSymbolicLink();
  if (systemLink) return { what: 'a stream the system gives this process', stream: true };
  return null;
}

/** Writes all of `content` into a pipe or device as it is (there is no file to put beside it and rename). */
function writeIntoStream(target: string, content: string): void {
  const bytes = Buffer.from(content, 'utf8');
  const fd = openSync(target, 'w');
  try {
    for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
  } finally {
    closeSync(fd);
  }
}

/** UTF-8's byte order mark: Excel on Windows reads a CSV file without it in the PC's ANSI code page ("fÃ¼r"). */
const BOM = '\uFEFF';

/**
 * Writes `--out FILE` (relative to the working folder) the safe way (core/outputs.ts); true when
 * written, else false after saying why on stderr, followed by `said.nothing` ("Nothing was written.");
 * `said.example` is the file name suggested when FILE is a folder. A CSV file (`said.csv`) starts
 * with a byte order mark, as the app's saved CSV files do, so Excel opens its accents as written;
 * a pipe or device a script reads gets the text as stdout would, with none.
 */
export function writeOutFile(core: Pick<Core, 'file' | 'dataDir'>, io: CliIo, out: string, content: string, said: { nothing: string; example: string; csv?: boolean }): boolean {
  const target = path.resolve(io.cwd, out);
  try {
    // Said before anything is made beside it (a rename onto a folder fails only at the end).
    if (statSync(target, { throwIfNoEntry: false })?.isDirectory()) throw Object.assign(new Error('is a folder'), { code: 'EISDIR' });
    // A pipe or device (`--out /dev/stdout`, a named pipe a script reads) is written into, never
    // replaced by a file of the same name; a disk device or a socket is refused.
    const special = notAPlainFile(target);
    if (special && !special.stream) {
      io.stderr(`${out} is ${special.what}, not a file: give a file name, such as ${said.example}. ${said.nothing}\n`);
      return false;
    }
    if (special) {
      assertSafeOutput(core, target);
      writeIntoStream(target, content);
      return true;
    }
    writeOutputFile(core, target, said.csv ? BOM + content : content);
    return true;
  } catch (err) {
    io.stderr(`${outFileProblem(err, out, said.example)} ${said.nothing}\n`);
    return false;
  }
}
