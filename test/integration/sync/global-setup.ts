import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { startCluster, TEMPLATE_DB } from '../../helpers/pg';

declare module 'vitest' {
  export interface ProvidedContext {
    /** postgres://wardkeep@127.0.0.1:PORT/ of the run's throwaway cluster. */
    pgBaseUrl: string;
  }
}

/**
 * The integration suite's PostgreSQL: one cluster for the whole run, stopped at the end whatever
 * happens. Without the server binaries the run fails with one sentence; it never skips.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const cluster = await startCluster();
  try {
    const admin = new pg.Client({ connectionString: `${cluster.baseUrl}postgres` });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${TEMPLATE_DB}`);
    await admin.end();
  } catch (err) {
    cluster.stop();
    throw err;
  }
  project.provide('pgBaseUrl', cluster.baseUrl);
  const stop = () => cluster.stop();
  process.once('exit', stop);
  return stop;
}
