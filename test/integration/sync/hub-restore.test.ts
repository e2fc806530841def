import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli';
import { verifyAuditChain } from '../../../main/core/audit';
import type { Core } from '../../../main/core/context';
import { enrolPc, SyncClient } from '../../../main/core/sync/engine';
import { syncStatus } from '../../../main/core/sync/status';
import { HubRequestError } from '../../../main/core/sync/transport';
import { createEnrolCode, revokePc } from '../../../main/hub/pcs';
import { HUB_SCHEMA_VERSION } from '../../../main/hub/schema';
import type { HubContext } from '../../../main/hub/server';
import { startHub } from '../../../main/hub/server';
import { tempDir, testCore } from '../../helpers/core';
import { device } from '../plans/fixtures';
import { fileDatabases } from './file-databases';
import { directTransport, testHub, testPc } from './harness';

/**
 * The hub as hospital IT runs it when something goes wrong between the hub and its PCs: its
 * database put back from last night's pg_dump (docs/sync.md, "Backups of the hospital") or into
 * another cluster, an enrolment whose answer was lost, a revocation during a push. Nothing a PC was
 * told the hub has may be lost, and a PC is told a way back that works.
 */

const { fresh: freshDatabase, dumpOf } = fileDatabases();

async function onDatabase(url: string, sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

const clientFor = (hub: HubContext, core: Core) => new SyncClient(core, directTransport(hub, core));
const hubTags = async (hub: HubContext) => (await hub.pool.query<{ asset_tag: string }>('SELECT asset_tag FROM equipment ORDER BY 1')).rows.map((r) => r.asset_tag);
const pcTags = (core: Core) => core.db.prepare('SELECT asset_tag FROM equipment ORDER BY 1').pluck().all();
const peekAt = (hub: HubContext) => async () => ({ fingerprint: hub.tls.fingerprint, pem: hub.tls.certPem });

async function cli(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: {}, cwd: process.cwd() });
  return { code, stdout, stderr };
}

async function message(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
    return '';
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/**
 * Last night: Ward 4B and Emergency joined the hub, DF-0001 reached both, the hub stopped and its
 * database was dumped. The hub's database (`url`, which the day's hub goes on with) and the dump.
 */
async function lastNight() {
  const url = await freshDatabase();
  const night = await testHub({ databaseUrl: url });
  const ward = await testPc(night, 'Ward 4B');
  const er = await testPc(night, 'Emergency');
  device(ward.core, 'DF-0001');
  await ward.sync();
  await er.sync();
  await night.close();
  return { url, dump: await dumpOf(url), ward, er };
}

describe("the hub's database put back from last night's pg_dump", () => {
  it('a PC whose changes the hub had confirmed since the dump sends them again: the hub holds them, every PC gets them, the PC says Synced', async () => {
    const { url, dump, ward, er } = await lastNight();

    // The next morning: a new device, sent and confirmed (the PC drops it from its outbox).
    const day = await testHub({ databaseUrl: url });
    device(ward.core, 'DF-0002');
    await clientFor(day, ward.core).syncOnce();
    expect(syncStatus(ward.core).pendingOut).toBe(0);
    expect(await hubTags(day)).toEqual(['DF-0001', 'DF-0002']);
    await day.close();

    // The server's disk fails; IT restores the dump and starts the hub on it.
    const restored = await testHub({ databaseUrl: dump });
    device(ward.core, 'DF-0003'); // made meanwhile, waiting
    await clientFor(restored, ward.core).syncOnce();
    expect(await hubTags(restored)).toEqual(['DF-0001', 'DF-0002', 'DF-0003']);
    // The ward goes on working: its next device reaches the hub, and the other ward gets them all.
    device(ward.core, 'DF-0004');
    expect(await message(() => clientFor(restored, ward.core).syncOnce())).toBe('');
    await clientFor(restored, er.core).syncOnce();
    expect(pcTags(er.core)).toEqual(['DF-0001', 'DF-0002', 'DF-0003', 'DF-0004']);
    expect(syncStatus(ward.core)).toMatchObject({ state: 'synced', quarantined: 0, pendingOut: 0 });
    expect((await restored.pool.query('SELECT reason FROM hub_quarantine')).rows).toEqual([]);
    // Its audit trail went on as a new chain from the last entry the hub kept: it verifies on both PCs.
    expect(verifyAuditChain(ward.core.db)).toMatchObject({ ok: true });
    expect(verifyAuditChain(er.core.db)).toMatchObject({ ok: true });
  }, 60_000);

  it('a PC that followed the log of a hub restarted since the dump still gets what the restored hub logs', async () => {
    const { url, dump, ward, er } = await lastNight();

    // The day: the hub restarted after the dump (an update, a reboot) and ran a busy morning;
    // Emergency followed its log.
    const day = await testHub({ databaseUrl: url });
    for (const tag of ['DF-0002', 'DF-0003', 'DF-0004', 'DF-0005', 'DF-0006']) {
      device(ward.core, tag);
      await clientFor(day, ward.core).syncOnce();
    }
    await clientFor(day, er.core).syncOnce();
    expect(pcTags(er.core)).toEqual(['DF-0001', 'DF-0002', 'DF-0003', 'DF-0004', 'DF-0005', 'DF-0006']);
    await day.close();

    // The disk fails; the dump is restored. The ward sends again what the hub lost, and a new device.
    const restored = await testHub({ databaseUrl: dump });
    await clientFor(restored, ward.core).syncOnce();
    device(ward.core, 'DF-0007');
    await clientFor(restored, ward.core).syncOnce();
    await clientFor(restored, er.core).syncOnce();
    expect(pcTags(er.core)).toEqual(['DF-0001', 'DF-0002', 'DF-0003', 'DF-0004', 'DF-0005', 'DF-0006', 'DF-0007']);
  }, 60_000);

  it('a PC revoked after the dump stays revoked: the first PC that knew of it shows the restored hub its signed revocation; a forged one revokes no one', async () => {
    const url = await freshDatabase();
    const night = await testHub({ databaseUrl: url });
    const stolen = await testPc(night, 'Ward 4B');
    const er = await testPc(night, 'Emergency');
    const theatre = await testPc(night, 'Theatre');
    device(stolen.core, 'DF-0001');
    await stolen.sync();
    await er.sync();
    await theatre.sync();
    await night.close();
    const dump = await dumpOf(url);

    // The next morning Ward 4B's laptop is stolen and revoked; Emergency syncs after that.
    const day = await testHub({ databaseUrl: url });
    expect(await revokePc(day.pool, 'Ward 4B')).toBe(1);
    await clientFor(day, er.core).syncOnce();
    // Theatre's key holder writes Emergency into its list, to have the restored hub take it out.
    await clientFor(day, theatre.core).syncOnce();
    const list = JSON.parse(String(theatre.core.db.prepare("SELECT value FROM sync_state WHERE key = 'revocations'").pluck().get())) as {
      pcId: string;
      publicKey: string;
      revokedAt: string;
      signature: string;
    }[];
    expect(list.map((r) => r.pcId)).toEqual([stolen.core.pcId]);
    const erKey = String(er.core.db.prepare("SELECT value FROM sync_state WHERE key = 'pc_public_key'").pluck().get());
    const forged = [...list, { ...list[0]!, pcId: er.core.pcId, publicKey: erKey }];
    theatre.core.db.prepare("UPDATE sync_state SET value = ? WHERE key = 'revocations'").run(JSON.stringify(forged));
    await day.close();

    // The dump is restored: it holds Ward 4B as enrolled. Theatre and Emergency check in first.
    const restored = await testHub({ databaseUrl: dump });
    expect(await message(() => clientFor(restored, theatre.core).syncOnce())).toBe('');
    expect(await message(() => clientFor(restored, er.core).syncOnce())).toBe('');
    const said = await message(() => clientFor(restored, stolen.core).syncOnce());
    expect(said).toMatch(/^This PC \("Ward 4B"\) was revoked at the hub on \d{4}-\d{2}-\d{2}: it keeps its data but no longer syncs\.$/);
    const pcs = (await restored.pool.query<{ name: string; revoked: boolean }>('SELECT name, revoked_at IS NOT NULL AS revoked FROM hub_pcs ORDER BY name')).rows;
    expect(pcs).toEqual([
      { name: 'Emergency', revoked: false },
      { name: 'Theatre', revoked: false },
      { name: 'Ward 4B', revoked: true },
    ]);
    await restored.close();
  }, 60_000);

  it('a PC enrolled after the dump is told the way back, and it works: a new code joins it again (sync enrol, or leave then join), and it sends what it holds', async () => {
    const url = await freshDatabase();
    const night = await testHub({ databaseUrl: url });
    await night.close();
    const dump = await dumpOf(url);
    const day = await testHub({ databaseUrl: url });
    const late = await testPc(day, 'Emergency');
    device(late.core, 'ER-0001');
    await late.sync();
    await day.close();

    const restored = await testHub({ databaseUrl: dump });
    const said = await message(() => clientFor(restored, late.core).syncOnce());
    expect(said).toMatch(/not enrolled at this hub .*backup.*leave the hub on this PC \(Settings → Hospital hub\), then join again with a new code/);
    expect(syncStatus(late.core).state).toBe('error');

    // The administrator makes a new code, and the PC does what the sentence says (sync enrol joins it in place).
    const { code } = await createEnrolCode(restored.pool, 'Emergency');
    const joined = await message(() => enrolPc(late.core, 'https://hub.invalid', code, { peek: peekAt(restored), transport: () => directTransport(restored, late.core) }));
    expect(joined).toBe('');
    await clientFor(restored, late.core).syncOnce();
    expect(await hubTags(restored)).toEqual(['ER-0001']);
    expect(syncStatus(late.core).state).toBe('synced');
  }, 60_000);

  it('`wardkeep sync` on a PC the hub does not know says the way back, and `wardkeep sync enrol` with a new code then joins it again', async () => {
    const url = await freshDatabase();
    const serve = (databaseUrl: string, port = 0) => startHub({ databaseUrl, host: '127.0.0.1', port, tlsDir: null, log: () => undefined });
    const night = await serve(url);
    const port = Number(new URL(night.url).port);
    await night.close();
    const dump = await dumpOf(url);
    const day = await serve(url, port);
    const dir = tempDir();
    const made = await cli(['hub', 'enrol-code', '--database', url, '--name', 'Emergency']);
    const first = /: ([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})/.exec(made.stdout)![1]!;
    expect((await cli(['--data-dir', dir, 'sync', 'enrol', '--hub', day.url, '--code', first])).code).toBe(0);
    expect((await cli(['--data-dir', dir, 'sync', '--once'])).code).toBe(0);
    await day.close();

    const restored = await serve(dump, port); // the same address, and the same certificate (it is in the dump)
    try {
      const refused = await cli(['--data-dir', dir, 'sync', '--once']);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/not enrolled at this hub .*Or, without leaving, with the new code: wardkeep sync enrol --hub URL --code CODE/);
      const again = await cli(['hub', 'enrol-code', '--database', dump, '--name', 'Emergency']);
      const code = /: ([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})/.exec(again.stdout)![1]!;
      expect(await cli(['--data-dir', dir, 'sync', 'enrol', '--hub', restored.url, '--code', code])).toMatchObject({ code: 0, stderr: '' });
      expect(await cli(['--data-dir', dir, 'sync', '--once'])).toMatchObject({ code: 0, stderr: '' });
    } finally {
      await restored.close();
    }
  }, 60_000);
});

describe('the hub log restored into a cluster whose transaction ids are lower (another server, or a promoted standby)', () => {
  const RAISE = 1_000_000;
  /** As such a restore leaves them: the stored keys, and the PCs' cursors with them, far above the cluster's own. */
  const raiseCursor = (core: Core) => {
    const [xid, pos] = String(core.db.prepare("SELECT value FROM sync_state WHERE key = 'cursor'").pluck().get()).split(':');
    core.db.prepare("UPDATE sync_state SET value = ? WHERE key = 'cursor'").run(`${BigInt(xid!) + BigInt(RAISE)}:${pos}`);
  };

  it('a change from one PC still reaches another, and a PC joining then gets everything', async () => {
    const url = await freshDatabase();
    const before = await testHub({ databaseUrl: url });
    const a = await testPc(before, 'Ward 4B');
    const b = await testPc(before, 'Emergency');
    device(a.core, 'DF-0001');
    await a.sync();
    await b.sync();
    await before.close();

    await onDatabase(url, `UPDATE hub_log SET xid = (xid::text::bigint + ${RAISE})::text::xid8`);
    raiseCursor(a.core);
    raiseCursor(b.core);
    const after = await testHub({ databaseUrl: url });
    device(a.core, 'DF-0002');
    await clientFor(after, a.core).syncOnce();
    await clientFor(after, b.core).syncOnce();
    expect(pcTags(b.core)).toEqual(['DF-0001', 'DF-0002']);
    const c = await testPc(after, 'Theatres');
    await c.sync();
    device(a.core, 'DF-0003');
    await clientFor(after, a.core).syncOnce();
    await c.sync();
    expect(pcTags(c.core)).toEqual(['DF-0001', 'DF-0002', 'DF-0003']);
  }, 60_000);

  it('a hub of schema version 1 upgrades: what it logged is still handed out, and what is logged after follows it', async () => {
    const url = await freshDatabase();
    const first = await testHub({ databaseUrl: url });
    const a = await testPc(first, 'Ward 4B');
    const b = await testPc(first, 'Emergency');
    await a.sync();
    await b.sync();
    // The database as version 1 left it (keys are plain transaction ids), and a push it took that no PC has pulled yet.
    await onDatabase(
      url,
      `ALTER TABLE hub_log ALTER COLUMN xid SET DEFAULT pg_current_xact_id();
       UPDATE hub_log SET xid = pg_current_xact_id();
       DROP FUNCTION hub_log_horizon(); DROP FUNCTION hub_log_key(); DROP FUNCTION hub_log_offset();
       DELETE FROM hub_meta WHERE key = 'log_offset'; UPDATE hub_schema SET version = 1;`,
    );
    // ...and the PCs' cursors as version 1 gave them.
    const end = (await first.pool.query<{ xid: string; pos: number }>('SELECT xid::text AS xid, max(pos) AS pos FROM hub_log GROUP BY xid')).rows[0]!;
    for (const pc of [a, b]) pc.core.db.prepare("UPDATE sync_state SET value = ? WHERE key = 'cursor'").run(`${end.xid}:${end.pos}`);
    device(a.core, 'DF-0001');
    await clientFor(first, a.core).push();
    await first.close();

    const upgraded = await testHub({ databaseUrl: url });
    expect((await upgraded.pool.query<{ version: number }>('SELECT version FROM hub_schema')).rows[0]!.version).toBe(HUB_SCHEMA_VERSION);
    device(a.core, 'DF-0002');
    await clientFor(upgraded, a.core).syncOnce();
    await clientFor(upgraded, b.core).syncOnce();
    expect(pcTags(b.core)).toEqual(['DF-0001', 'DF-0002']);
    const order = (
      await upgraded.pool.query<{ asset_tag: string }>(
        `SELECT e.asset_tag FROM hub_log l JOIN equipment e ON l.tbl = 'equipment' AND l.pk = e._pk ORDER BY l.xid, l.pos`,
      )
    ).rows.map((r) => r.asset_tag);
    expect(order).toEqual(['DF-0001', 'DF-0002']);
  }, 60_000);
});

describe('an enrolment whose answer is lost (the hub went down just after taking the code)', () => {
  it('the PC, trying again with the same code, joins and syncs; another PC with that code is told it joined another PC', async () => {
    const hub = await testHub();
    const { code } = await createEnrolCode(hub.pool, 'Ward 4B');
    const core = testCore();
    device(core, 'DF-0001');
    const lostAnswer = {
      post: async (path: string, body: unknown) => {
        await directTransport(hub, core).post(path, body);
        throw new HubRequestError('unreachable', 'The hub at https://hub.invalid cannot be reached: the connection was cut.');
      },
    };
    await expect(enrolPc(core, 'https://hub.invalid', code, { peek: peekAt(hub), transport: () => lostAnswer })).rejects.toThrow(/cannot be reached/);
    expect(syncStatus(core).state).toBe('not_enrolled');

    // The administrator, asked for a new code meanwhile, is told what happened and what to do.
    expect(await message(() => createEnrolCode(hub.pool, 'Ward 4B'))).toMatch(
      /There is already a PC called "Ward 4B".* has not synced since: if its joining was cut off, enrol that PC again with the same code/,
    );
    // The technician tries the same code again, once the hub is back.
    expect(await message(() => enrolPc(core, 'https://hub.invalid', code, { peek: peekAt(hub), transport: () => directTransport(hub, core) }))).toBe('');
    await clientFor(hub, core).syncOnce();
    expect(await hubTags(hub)).toEqual(['DF-0001']);
    expect(syncStatus(core).state).toBe('synced');

    const other = testCore();
    expect(await message(() => enrolPc(other, 'https://hub.invalid', code, { peek: peekAt(hub), transport: () => directTransport(hub, other) }))).toMatch(
      /already used: it joined another PC as "Ward 4B"/,
    );
  });
});

describe('a revocation during a push', () => {
  it('a push let in just before `hub revoke` takes nothing once the PC is revoked', async () => {
    const hub = await testHub();
    const ward = await testPc(hub, 'Ward 4B');
    await ward.sync();
    device(ward.core, 'DF-0001');
    // What the engine sends, captured; the request passed the hub's check of the PC, then IT revokes it.
    let pushBody: unknown = null;
    const capture = new SyncClient(ward.core, {
      post: async (path: string, body: unknown) => {
        if (path === '/v1/push') {
          pushBody = body;
          throw new HubRequestError('unreachable', 'cut');
        }
        return directTransport(hub, ward.core).post(path, body);
      },
    });
    await capture.syncOnce().catch(() => undefined);
    expect(await revokePc(hub.pool, 'Ward 4B')).toBe(1);
    const said = await message(() => hub.store.push({ pcId: ward.core.pcId, name: 'Ward 4B' }, pushBody as never));
    expect(said).toMatch(/was revoked at the hub/);
    expect(await hubTags(hub)).toEqual([]);
  });
});
