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
