import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

/**
 * One throwaway PostgreSQL cluster for a test run: initdb and pg_ctl into a temporary folder,
 * listening on 127.0.0.1 on a free port, with fsync off (the data is thrown away). PostgreSQL
 * refuses to run as root, so as root it runs as the `postgres` user (Debian's package makes it)
 * through `runuser`. Each test file gets its own database, copied from a template.
 */

export const NO_POSTGRES =
  'PostgreSQL server binaries (initdb, pg_ctl) were not found on PATH or in /usr/lib/postgresql/*/bin: install PostgreSQL 15 or later (Debian: apt-get install postgresql) to run the tests.';

const SUPERUSER = 'wardkeep';
export const TEMPLATE_DB = 'wardkeep_template';

/** The folder holding initdb and pg_ctl: PATH first, then Debian's versioned folders, newest first. */
export function findPgBin(env: NodeJS.ProcessEnv = process.env): string | null {
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    if (existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'pg_ctl'))) return dir;
  }
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const dir = path.join(root, v, 'bin');
    if (existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'pg_ctl'))) return dir;
  }
  return null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** Runs a server binary, as the `postgres` user when we are root. */
function run(bin: string, args: string[]): void {
  const [cmd, argv] = isRoot() ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  const r = spawnSync(cmd, argv, { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    const why = r.error?.message ?? (r.stderr || r.stdout).trim().split('\n').slice(-3).join(' ');
    throw new Error(`${path.basename(bin)} failed: ${why}`);
  }
}

export interface Cluster {
  /** postgres://wardkeep@127.0.0.1:PORT/ without a database name. */
  baseUrl: string;
  stop(): void;
}

export async function startCluster(): Promise<Cluster> {
  const bin = findPgBin();
  if (!bin) throw new Error(NO_POSTGRES);
  if (isRoot() && spawnSync('id', ['-u', 'postgres']).status !== 0) {
    throw new Error(
      'The tests run as root, and PostgreSQL refuses to run as root, but there is no "postgres" user to run it as: install Debian\'s postgresql package, which makes it.',
    );
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'wardkeep-pg-'));
  // The server's own user must own its folder; the folder is ours to delete afterwards.
  if (isRoot()) spawnSync('chown', ['-R', 'postgres', dir]);
  else chmodSync(dir, 0o700);
  const data = path.join(dir, 'data');
  const port = await freePort();
  try {
    run(path.join(bin, 'initdb'), ['-D', data, '-U', SUPERUSER, '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
    // Appended to the cluster's own configuration file, which initdb just wrote and the server owns.
    const conf = [
      `listen_addresses = '127.0.0.1'`,
      `port = ${port}`,
      `unix_socket_directories = '${dir}'`,
      'fsync = off',
      'synchronous_commit = off',
      'full_page_writes = off',
      'max_connections = 200',
      // A transaction prepared for two-phase commit, as another application may leave one (hub-shared-cluster.test.ts).
      'max_prepared_transactions = 4',
    ];
    appendFileSync(path.join(data, 'postgresql.conf'), `\n# wardkeep test run\n${conf.join('\n')}\n`);
    run(path.join(bin, 'pg_ctl'), ['-D', data, '-l', path.join(dir, 'server.log'), '-w', '-t', '60', 'start']);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  let stopped = false;
  return {
    baseUrl: `postgres://${SUPERUSER}@127.0.0.1:${port}/`,
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        run(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** A new, empty database on the cluster (a copy of `template`), dropped by the returned function. */
export async function createDatabase(baseUrl: string, template = TEMPLATE_DB): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: `${baseUrl}postgres` });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await admin.end();
  }
  return {
    url: `${baseUrl}${name}`,
    async drop() {
      const c = new pg.Client({ connectionString: `${baseUrl}postgres` });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** One statement on the database at `url`, on a connection of its own: what a test checks there. */
export async function queryAt<T extends pg.QueryResultRow = Record<string, unknown>>(url: string, text: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(text)).rows;
  } finally {
    await c.end();
  }
}
