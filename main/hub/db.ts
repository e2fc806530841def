import pg from 'pg';

/**
 * The hub's connection pool. bigint columns come back as JavaScript numbers (every count and
 * position the hub keeps fits in 2^53), the same as SQLite gives the PCs.
 */
export function createPool(
  databaseUrl: string,
  max = 10,
  log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): pg.Pool {
  const types = {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
      oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
  };
  const pool = new pg.Pool({ connectionString: databaseUrl, max, types, application_name: 'wardkeep-hub' });
  // An idle connection PostgreSQL closed (a restart, a failover) is replaced at the next request;
  // without a listener it would end the hub.
  pool.on('error', (err) => log(`[hub] a database connection was closed: ${err.message}`));
  return pool;
}

/** PostgreSQL errors worth trying again: a deadlock between two pushes, a serialisation failure. */
export function isRetryable(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '40P01' || code === '40001';
}
