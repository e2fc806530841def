import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { Core } from '../../../main/core/context';
import { SyncClient } from '../../../main/core/sync/engine';
import { HUB_SCHEMA_VERSION } from '../../../main/hub/schema';
import type { Pc } from '../../../main/hub/store';
import { createDatabase, queryAt } from '../../helpers/pg';
import { device } from '../plans/fixtures';
import { directTransport, testHub, testPc } from './harness';

/**
 * The hub's database on a PostgreSQL server the hospital shares with other applications, as
 * docs/sync.md sets it up: an ordinary role (`createuser`, not a superuser) owning a database of
 * its own. A PC pulls only entries of transactions older than every one still running (an entry
 * whose transaction commits late is never passed over); the transactions of the server's other
 * databases never write the hub's log, and must not hold back what the PCs pull.
 */

const base = inject('pgBaseUrl');
const made: { roles: string[]; drops: (() => Promise<void>)[] } = { roles: [], drops: [] };
afterAll(async () => {
  for (const drop of made.drops) await drop();
  for (const role of made.roles) await queryAt(`${base}postgres`, `DROP ROLE IF EXISTS ${role}`);
});

/** A login role of its own, no superuser, as `createuser` makes one. */
async function role(): Promise<string> {
  const name = `r_${randomBytes(5).toString('hex')}`;
  await queryAt(`${base}postgres`, `CREATE ROLE ${name} LOGIN`);
  made.roles.push(name);
  return name;
}

/** A database owned by `owner` (`createdb --owner`), reached as that role. */
async function databaseOf(owner: string): Promise<string> {
  const db = await createDatabase(base);
  made.drops.push(db.drop);
  const name = new URL(db.url).pathname.slice(1);
  await queryAt(`${base}postgres`, `ALTER DATABASE ${name} OWNER TO ${owner}`);
  const url = new URL(db.url);
  url.username = owner;
  return url.toString();
}

/** A session of its own on `url`, inside a transaction that has written (so it holds a transaction id). */
async function writingTransaction(url: string, table: string): Promise<{ client: pg.Client; xid: string }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`CREATE TABLE IF NOT EXISTS ${table} (n int)`);
  await client.query('BEGIN');
  await client.query(`INSERT INTO ${table} VALUES (1)`);
  const xid = (await client.query<{ xid: string }>('SELECT pg_current_xact_id()::text AS xid')).rows[0]!.xid;
  return { client, xid };
}

/** An entry as a push logs one (the pull hands out its text as it is stored); its key is `pk`. */
const logEntry = `INSERT INTO hub_log (tbl, pk, entry, origin_replica, echo) VALUES ('settings', $1, $2, 'w', true)`;
const entry = (pk: string) => JSON.stringify({ tbl: 'settings', pk, data: { value: '"x"', _exists: 1 }, clocks: {} });

const tags = (core: Core) => core.db.prepare('SELECT asset_tag FROM equipment ORDER BY 1').pluck().all();

describe("the hub's log on a PostgreSQL server shared with other applications", () => {
  it("another application's write left open in its own database does not hold back what PCs pull", async () => {
    const hubRole = await role();
    const hub = await testHub({ databaseUrl: await databaseOf(hubRole) });
    const a = await testPc(hub, 'Ward 4B');
    const b = await testPc(hub, 'Emergency');
    await a.sync();
    await b.sync();
    // Another application, under its own role and database, starts a batch and leaves it open.
    const otherRole = await role();
    const batch = await writingTransaction(await databaseOf(otherRole), 'payroll_run');
    try {
      // The server's oldest running transaction, which PostgreSQL's snapshot gives whatever its database, is the batch (or older).
      const { xmin } = (
        await queryAt<{ xmin: string }>(hub.databaseUrl, 'SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin')
      )[0]!;
      expect(BigInt(xmin)).toBeLessThanOrEqual(BigInt(batch.xid));
      // Meanwhile Ward 4B adds a pump, and Emergency syncs after it: the pump arrives.
      device(a.core, 'WB-0001');
      await a.sync();
      await b.sync();
      expect(tags(b.core)).toEqual(['WB-0001']);
    } finally {
      await batch.client.query('ROLLBACK');
      await batch.client.end();
    }
  });

  it('nor does a transaction another application prepared for two-phase commit and left in its database, with no session', async () => {
    const hub = await testHub({ databaseUrl: await databaseOf(await role()) });
    const a = await testPc(hub, 'Ward 4B');
    const b = await testPc(hub, 'Emergency');
    await a.sync();
    await b.sync();
    const otherUrl = await databaseOf(await role());
    const gid = `payroll_${randomBytes(4).toString('hex')}`;
    const prepared = await writingTransaction(otherUrl, 'payroll_run');
    await prepared.client.query(`PREPARE TRANSACTION '${gid}'`);
    await prepared.client.end();
    try {
      const held = await queryAt<{ gid: string }>(otherUrl, 'SELECT gid FROM pg_prepared_xacts WHERE database = current_database()');
      expect(held).toEqual([{ gid }]);
      device(a.core, 'WB-0001');
      await a.sync();
      await b.sync();
      expect(tags(b.core)).toEqual(['WB-0001']);
    } finally {
      await queryAt(otherUrl, `ROLLBACK PREPARED '${gid}'`);
    }
  });

  it("a push still running in the hub's database holds back entries logged after it began, until it ends; then both come in order", async () => {
    const hubRole = await role();
    const hub = await testHub({ databaseUrl: await databaseOf(hubRole) });
    await hub.pool.query("INSERT INTO hub_pcs (pc_id, name, public_key) VALUES ('reader', 'reader', 'none')");
    const reader: Pc = { pcId: 'reader', name: 'reader' };
    // A second hub process (the same role) takes a push: it has written (so it holds a transaction
    // id) but not yet logged anything.
    const early = await writingTransaction(hub.databaseUrl, 'hub_scratch');
    try {
      // A later push logs an entry and commits first.
      await hub.pool.query(logEntry, ['second', entry('second')]);
      const before = await hub.store.pull(reader, { replica: 'reader', cursor: '', limit: 100 });
      expect(before.entries).toEqual([]);
      // The first push logs its entry, under its earlier key, and commits.
      await early.client.query(logEntry, ['first', entry('first')]);
      await early.client.query('COMMIT');
      const after = await hub.store.pull(reader, { replica: 'reader', cursor: before.cursor, limit: 100 });
      expect(after.entries.map((e) => e.pk)).toEqual(['first', 'second']);
    } finally {
      await early.client.end();
    }
  });

  it("a transaction of the hub's database prepared for two-phase commit, with no session, holds back entries logged after it, until it is committed", async () => {
    const hub = await testHub({ databaseUrl: await databaseOf(await role()) });
    await hub.pool.query("INSERT INTO hub_pcs (pc_id, name, public_key) VALUES ('reader', 'reader', 'none')");
    const reader: Pc = { pcId: 'reader', name: 'reader' };
    const gid = `push_${randomBytes(4).toString('hex')}`;
    const early = await writingTransaction(hub.databaseUrl, 'hub_scratch');
    await early.client.query(logEntry, ['first', entry('first')]);
    await early.client.query(`PREPARE TRANSACTION '${gid}'`);
    await early.client.end();
    try {
      await hub.pool.query(logEntry, ['second', entry('second')]);
      const before = await hub.store.pull(reader, { replica: 'reader', cursor: '', limit: 100 });
      expect(before.entries).toEqual([]);
    } finally {
      await queryAt(hub.databaseUrl, `COMMIT PREPARED '${gid}'`);
    }
    const after = await hub.store.pull(reader, { replica: 'reader', cursor: '', limit: 100 });
    expect(after.entries.map((e) => e.pk)).toEqual(['first', 'second']);
  });

  it("a hub of schema version 5 is upgraded at its next start (6 adds the horizon of its own database): its PCs then pull past another application's open write", async () => {
    const url = await databaseOf(await role());
    const first = await testHub({ databaseUrl: url });
    const a = await testPc(first, 'Ward 4B');
    const b = await testPc(first, 'Emergency');
    await a.sync();
    await b.sync();
    // The database as version 5 left it: only the horizon from the snapshot's oldest transaction.
    await queryAt(url, 'DROP FUNCTION hub_log_pull_horizon(); UPDATE hub_schema SET version = 5;');
    const batch = await writingTransaction(await databaseOf(await role()), 'payroll_run');
    try {
      device(a.core, 'WB-0001');
      await new SyncClient(a.core, directTransport(first, a.core)).push();
      // Version 5's horizon holds the pump back while the other application's write runs.
      const [v5] = await queryAt<{ held: boolean }>(url, 'SELECT (SELECT max(xid) FROM hub_log) >= hub_log_horizon() AS held');
      expect(v5).toEqual({ held: true });
      await first.close();
      const upgraded = await testHub({ databaseUrl: url });
      expect((await upgraded.pool.query<{ version: number }>('SELECT version FROM hub_schema')).rows).toEqual([
        { version: HUB_SCHEMA_VERSION },
      ]);
      // Ward 4B adds another pump while the other application's write still runs: both reach Emergency.
      device(a.core, 'WB-0002');
      await new SyncClient(a.core, directTransport(upgraded, a.core)).syncOnce();
      await new SyncClient(b.core, directTransport(upgraded, b.core)).syncOnce();
      expect(tags(b.core)).toEqual(['WB-0001', 'WB-0002']);
    } finally {
      await batch.client.query('ROLLBACK');
      await batch.client.end();
    }
  });
});
