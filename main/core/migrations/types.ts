import type { Database } from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  /** Runs inside the migration transaction; must not commit or change pragmas outside it. */
  up(db: Database): void;
  /**
   * Rebuilds a table other tables point at (to change a CHECK): SQLite's documented procedure runs
   * it with foreign keys off, then checks every foreign key before the transaction commits.
   */
  rebuildsTables?: true;
}
