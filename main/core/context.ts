import type { Database } from 'better-sqlite3';
import type { Role } from '../../shared/domain/common';
import type { Clock } from './clock';

/** What every service needs: the open database, this PC's id and the clock. */
export interface Core {
  db: Database;
  pcId: string;
  clock: Clock;
  /** Absolute path of the database file. */
  file: string;
  dataDir: string;
}

/** Who is doing something: a signed-in user, the CLI's operating-system user, or the app itself. */
export interface Actor {
  userId: string | null;
  name: string;
  role: Role | null;
  via: 'app' | 'cli' | 'system';
}

export const systemActor: Actor = { userId: null, name: 'Wardkeep', role: null, via: 'system' };

/**
 * Runs `fn` as one IMMEDIATE transaction: it takes the write lock up front (so two processes
 * wait for each other instead of failing mid-way) and commits only if `fn` returns.
 */
export function inTransaction<T>(core: Core, fn: () => T): T {
  return core.db.transaction(fn).immediate();
}
