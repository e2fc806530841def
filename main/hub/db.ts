import pg from 'pg';
import { HubSetupError } from './errors';

/**
 * How long a connection to PostgreSQL may take before the hub gives up on it. An address that
 * takes the connection and never answers (a firewall that holds it, a hung server) would otherwise
 * hold `hub serve` or `hub enrol-code` for ever. The command line's WARDKEEP_HUB_CONNECT_TIMEOUT
 * (seconds, docs/cli.md) changes it; the tests shorten it.
 */
export const DEFAULT_CONNECT_TIMEOUT_MS = 15_000;

/**
 * The hub's connection pool. bigint columns come back as JavaScript numbers (every count and
 * position the hub keeps fits in 2^53), the same as SQLite gives the PCs.
 */
export function createPool(
  databaseUrl: string,
  max = 10,
  log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
  connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS,
): pg.Pool {
  const types = {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
      oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
  };
  // The time limit is the connection's own, not the pool's: the pool's would also end a request
  // that waits its turn for a connection while the hub is busy (a new PC downloading the hospital).
  class TimedClient extends pg.Client {
    constructor(config?: pg.ClientConfig) {
      super({ ...config, connectionTimeoutMillis: connectTimeoutMs });
    }

    // pg leaves the socket open when a connection fails on this side (no password to answer
    // PostgreSQL's SCRAM challenge with): PostgreSQL would hold it until its authentication_timeout.
    override connect(): Promise<pg.Client>;
    override connect(callback: (err: Error) => void): void;
    override connect(callback?: (err: Error) => void): Promise<pg.Client> | void {
      const close = () => this.connection.stream.destroy();
      if (!callback)
        return super.connect().catch((err: unknown) => {
          close();
          throw err;
        });
      super.connect((err: Error) => {
        if (err) close();
        callback(err);
      });
    }
  }
  const pool = new pg.Pool({ connectionString: databaseUrl, max, types, application_name: 'wardkeep-hub', Client: TimedClient });
  // An idle connection PostgreSQL closed (a restart, a failover) is replaced at the next request;
  // without a listener it would end the hub.
  pool.on('error', (err) => log(`[hub] a database connection was closed: ${err.message}`));
  return pool;
}

/** The address with its password hidden, as the hub's sentences show it. */
export function shownUrl(databaseUrl: string): string {
  return databaseUrl.replace(/:\/\/([^:@/]+):[^@/]*@/, '://$1:***@');
}

/** Where pg connects for this address (its host and port, with PostgreSQL's defaults filled in). */
function hostAndPort(databaseUrl: string): string {
  try {
    const { host, port } = new pg.Client({ connectionString: databaseUrl });
    return `${host.includes(':') ? `[${host}]` : host}:${port}`;
  } catch {
    return 'that address';
  }
}

function seconds(ms: number): string {
  const s = Math.round(ms / 100) / 10;
  return `${s} second${s === 1 ? '' : 's'}`;
}

/**
 * Why a connection to PostgreSQL failed, in words IT can act on. Whatever went wrong before the
 * connection was made is said here (a web server at that port, a silent address, no password),
 * never as the driver's own message alone.
 */
export function connectionProblem(err: unknown, databaseUrl: string, connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS): string {
  const e = err as { code?: string; message?: string } | null;
  const message = e?.message ?? String(err);
  const at = hostAndPort(databaseUrl);
  const codes: Record<string, string> = {
    ECONNREFUSED: 'nothing answers at that address (is PostgreSQL running?)',
    ENOTFOUND: 'that host name is not known',
    EAI_AGAIN: 'that host name could not be looked up (is the name server reachable?)',
    EHOSTUNREACH: `${at} cannot be reached from this server (a network or firewall problem)`,
    ENETUNREACH: `${at} cannot be reached from this server (a network or firewall problem)`,
    '28P01': 'the password was refused',
    '28000': 'that user may not connect',
    '3D000': 'that database does not exist (create it first: createdb)',
  };
  let why = codes[e?.code ?? ''];
  if (!why && /timeout/i.test(message))
    why = `the server at ${at} did not answer within ${seconds(connectTimeoutMs)} (is PostgreSQL running there, or does a firewall hold the connection?)`;
  else if (!why && /client password must be a (non-empty )?string/.test(message))
    why =
      'no password was given: put it in the environment variable PGPASSWORD (in a systemd unit, Environment=PGPASSWORD=…) or in the address, postgres://USER:PASSWORD@HOST/DATABASE';
  else if (!why && /Connection terminated|ECONNRESET|unexpected message|invalid length|Unknown message/i.test(message + (e?.code ?? '')))
    why = `the server at ${at} closed the connection without answering as PostgreSQL does (is that PostgreSQL's port? It is 5432 unless set otherwise)`;
  why ??= `connecting to ${at} failed (${message.replace(/\.$/, '')})`;
  return `The hub's database at ${shownUrl(databaseUrl)} cannot be used: ${why}.`;
}

/** A connection from the pool, or one sentence (HubSetupError) saying why PostgreSQL cannot be used. */
export async function connect(pool: pg.Pool, databaseUrl: string, connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS): Promise<pg.PoolClient> {
  try {
    return await pool.connect();
  } catch (err) {
    throw new HubSetupError(connectionProblem(err, databaseUrl, connectTimeoutMs));
  }
}

/** PostgreSQL errors worth trying again: a deadlock between two pushes, a serialisation failure. */
export function isRetryable(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '40P01' || code === '40001';
}
