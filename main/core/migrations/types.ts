import type { Database } from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  /** Runs inside the migration transaction; must not commit or change pragmas outside it. */
  up(db: Database): void;
}
