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
  /** The build of better-sqlite3 this connection was opened with (Electron's, in the app): the worker opens its own with the same. */
  nativeBinding?: string | undefined;
}

/**
 * The core as a write sees it. Only a transaction hands one out (inTransaction, and so the
 * dispatcher's write context); services that write take it, so a read cannot call them, and
 * their commands refuse to run outside a transaction anyway.
 */
export interface WriteCore extends Core {
  readonly writable: true;
}

/** Who is doing something: a signed-in user, the CLI's operating-system user, or the app itself. */
export interface Actor {
  userId: string | null;
  name: string;
  role: Role | null;
  via: 'app' | 'cli' | 'system';
}

export const systemActor: Actor = { userId: null, name: 'Wardkeep', role: null, via: 'system' };

/** A signed-in user as the audit trail records them. */
export function actorOfUser(user: { id: string; name: string; role: Role }): Actor {
  return { userId: user.id, name: user.name, role: user.role, via: 'app' };
}
