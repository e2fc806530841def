import os from 'node:os';
import type { Actor } from '../core/context';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** CLI writes are attributed to the operating-system user and marked as command-line writes. */
export function cliActor(): Actor {
  let name = 'unknown';
  try {
    name = os.userInfo().username;
  } catch {
    name = process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
  return { userId: null, name, role: null, via: 'cli' };
}

/** Exit codes are part of the published interface (docs/cli.md). */
export const EXIT = { ok: 0, input: 1, usage: 2 } as const;

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * Refuses words a command takes no place for, never ignoring them: `--pc Ward 4B` unquoted would
 * otherwise act on "Ward". `option`: the option whose value they probably belong to.
 */
export function refuseArgs(args: readonly string[], option?: { name: string; value: unknown }): void {
  if (args.length === 0) return;
  const value = typeof option?.value === 'string' ? option.value : null;
  const hint = option && value !== null ? `: a value with spaces goes in quotes, as in --${option.name} "${[value, ...args].join(' ')}". Nothing was done` : '';
  throw new UsageError(`Unexpected argument "${args[0]}"${hint}.`);
}

/**
 * Stops quietly when whoever reads the output has gone (`wardkeep export equipment | head -1`):
 * the rest of the output is not wanted, so there is nothing to report, and nothing more is written.
 * Without this a write to the closed pipe is an unhandled 'error' event: a stack trace and exit 1.
 */
export function stopQuietlyWhenOutputCloses(stream: NodeJS.WriteStream): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    process.exit(process.exitCode ?? 0);
  });
}
