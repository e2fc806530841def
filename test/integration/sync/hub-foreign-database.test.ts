import { afterAll, describe, expect, inject, it } from 'vitest';
import { startHub } from '../../../main/hub/server';
import { createDatabase, queryAt as sql } from '../../helpers/pg';

/**
 * `hub serve` pointed at another application's database (a mistyped --database): refused in one
 * sentence naming the tables it found, before anything is made, so that application's tables stay
 * as they were (the hub would otherwise add its columns to a table called users).
 */

const dbs: { drop(): Promise<void> }[] = [];
afterAll(async () => {
  for (const d of dbs) await d.drop().catch(() => undefined);
});

describe("hub serve on a database that is not the hub's", () => {
  it("another application's database (it has its own users table) is refused naming the table, and left as it was", async () => {
    const other = await createDatabase(inject('pgBaseUrl'));
    dbs.push(other);
    await sql(other.url, 'CREATE TABLE users (id text PRIMARY KEY, email text NOT NULL)');
    await sql(other.url, "INSERT INTO users VALUES ('u1', 'ada@hospital.example')");
    // startHub is what `hub serve` runs (the command then waits for Ctrl+C, so it is called here directly).
    let refused = '';
    try {
      const hub = await startHub({ databaseUrl: other.url, host: '127.0.0.1', port: 0, tlsDir: null, log: () => undefined });
      await hub.close();
    } catch (err) {
      refused = (err as Error).message;
    }
    expect(refused).toMatch(/is not a Wardkeep hub's: no hub was started on it, and it already holds tables of its own \(users\)\. Give the hub a database of its own/);
    const cols = await sql<{ c: string }>(other.url, "SELECT column_name AS c FROM information_schema.columns WHERE table_name = 'users' ORDER BY ordinal_position");
    expect(cols.map((x) => x.c)).toEqual(['id', 'email']);
    const tables = await sql<{ n: number }>(other.url, "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'users'");
    expect(tables[0]!.n).toBe(0);
  }, 30_000);
});
