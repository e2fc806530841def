import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createBackend } from '../../../main/core/backend';
import type { Backend } from '../../../main/core/backend';
import { newSession } from '../../../main/core/session';
import { SyncClient, transportFor } from '../../../main/core/sync/engine';
import { createEnrolCode, revokePc } from '../../../main/hub/pcs';
import type { RunningHub } from '../../../main/hub/server';
import { startHub } from '../../../main/hub/server';
import { testCore } from '../../helpers/core';
import { caller } from '../../helpers/invoke';
import { createDatabase } from '../../helpers/pg';

/**
 * The app's hub channels against a real hub over HTTPS on PostgreSQL: joining refuses a wrong,
 * expired or used code and a certificate other than the one compared (sending nothing), a revoked
 * PC keeps its data and says so, and leaving then joining again works.
 */

let hub: RunningHub;
let drop: () => Promise<void>;

beforeAll(async () => {
  const db = await createDatabase(inject('pgBaseUrl'));
  drop = db.drop;
  hub = await startHub({ databaseUrl: db.url, host: '127.0.0.1', port: 0, tlsDir: null, log: () => undefined });
});

afterAll(async () => {
  await hub?.close();
  await drop?.();
});

async function adminPc(): Promise<{ backend: Backend; call: ReturnType<typeof caller> }> {
  const backend = createBackend(testCore());
  const session = newSession(Date.now());
  const call = caller(backend, session);
  await call('auth.setupFirstAdmin', { name: 'Ada Admin', password: 'correct horse battery', pin: '2468' });
  return { backend, call };
}

async function refusal(backend: Backend, channel: 'sync.join' | 'sync.peek', input: object) {
  const session = newSession(Date.now());
  await caller(backend, session)('auth.signIn', { name: 'Ada Admin', secret: '2468' });
  const res = await backend.invoke(session, channel, input);
  if (res.ok) throw new Error(`${channel} was not refused`);
  return res.error;
}

describe('joining a hub from the app', () => {
  it('refuses an unreachable address, a wrong or expired code, and a certificate other than the one compared, keeping nothing', async () => {
    const { backend, call } = await adminPc();
    const unreachable = await refusal(backend, 'sync.peek', { hub: 'https://127.0.0.1:1' });
    expect(unreachable).toMatchObject({ code: 'invalid_input', field: 'hub' });
    expect(unreachable.message).toMatch(/^The hub at https:\/\/127\.0\.0\.1:1 cannot be reached/);

    const peek = await call('sync.peek', { hub: hub.url });
    expect(peek.fingerprint).toBe(hub.tls.fingerprint);

    const { code } = await createEnrolCode(hub.pool, 'Ward 4B PC');
    // Another certificate than the one the administrator compared: refused before anything is sent,
    // so the code is still unused afterwards.
    const other = peek.fingerprint.replace(/^../, peek.fingerprint.startsWith('00') ? '11' : '00');
    const mismatch = await refusal(backend, 'sync.join', { hub: hub.url, code, fingerprint: other, fingerprintChecked: true });
    expect(mismatch.message).toMatch(/not the one given .*Nothing was sent\./);
    expect((await call('sync.status', {})).state).toBe('not_enrolled');

    const wrong = await refusal(backend, 'sync.join', {
      hub: hub.url,
      code: 'ABCD-EFGH-JKMN-PQRS',
      fingerprint: peek.fingerprint,
      fingerprintChecked: true,
    });
    expect(wrong).toMatchObject({ field: 'code' });
    expect(wrong.message).toMatch(/no such enrolment code/);

    const expired = await createEnrolCode(hub.pool, 'Old code');
    await hub.pool.query("UPDATE hub_enrol_codes SET expires_at = now() - interval '1 hour' WHERE pc_name = 'Old code'");
    const late = await refusal(backend, 'sync.join', {
      hub: hub.url,
      code: expired.code,
      fingerprint: peek.fingerprint,
      fingerprintChecked: true,
    });
    expect(late).toMatchObject({ field: 'code' });
    expect(late.message).toMatch(/expired/);
    expect((await call('sync.status', {})).state).toBe('not_enrolled');

    // The code the mismatch did not use still joins.
    const joined = await call('sync.join', { hub: hub.url, code, fingerprint: peek.fingerprint, fingerprintChecked: true });
    expect(joined).toEqual({ hub: hub.url, pcName: 'Ward 4B PC', fingerprint: hub.tls.fingerprint });
    const status = await call('sync.status', {});
    expect(status).toMatchObject({ state: 'joining', hub: hub.url, pcName: 'Ward 4B PC', hubFingerprint: hub.tls.fingerprint });
    const again = await refusal(backend, 'sync.join', { hub: hub.url, code, fingerprint: peek.fingerprint, fingerprintChecked: true });
    expect(again).toMatchObject({ code: 'conflict' });
    const audit = backend.core.db.prepare("SELECT actor_name FROM audit_log WHERE entity = 'hub' AND action = 'join'").all();
    expect(audit).toEqual([{ actor_name: 'Ada Admin' }]);
  });

  it('a PC revoked at the hub keeps its data and says so; leaving, then joining again with a new code, syncs again', async () => {
    const { backend, call } = await adminPc();
    const site = await call('locations.create', { name: 'Clinic' });
    await call('equipment.create', { assetTag: 'SC-0001', name: 'Patient scale', locationId: site.id });
    const { code } = await createEnrolCode(hub.pool, 'Clinic PC');
    await call('sync.join', { hub: hub.url, code, fingerprint: hub.tls.fingerprint, fingerprintChecked: true });
    const client = new SyncClient(backend.core, transportFor(backend.core));
    await client.syncOnce();
    expect((await call('sync.status', {})).state).toBe('synced');
    expect((await call('sync.pcs', {})).find((p) => p.thisPc)).toMatchObject({ name: 'Clinic PC', revokedAt: null });

    await revokePc(hub.pool, 'Clinic PC');
    await expect(client.syncOnce()).rejects.toThrow();
    const revoked = await call('sync.status', {});
    expect(revoked.state).toBe('revoked');
    expect(revoked.lastError).toBeTruthy();
    expect((await call('equipment.findByTag', { tag: 'SC-0001' })).assetTag).toBe('SC-0001');

    const left = await call('sync.leave', { confirm: true });
    expect(left.state).toBe('not_enrolled');
    expect(left.pendingOut).toBe(0);
    // Alone again: writes are no longer queued for a hub.
    await call('equipment.create', { assetTag: 'SC-0002', name: 'Patient scale', locationId: site.id });
    expect((await call('sync.status', {})).pendingOut).toBe(0);

    const fresh = await createEnrolCode(hub.pool, 'Clinic PC');
    await call('sync.join', { hub: hub.url, code: fresh.code, fingerprint: hub.tls.fingerprint, fingerprintChecked: true });
    const rejoined = new SyncClient(backend.core, transportFor(backend.core));
    await rejoined.syncOnce();
    expect((await call('sync.status', {})).state).toBe('synced');
    const atHub = await hub.pool.query<{ asset_tag: string }>(
      "SELECT asset_tag FROM equipment WHERE asset_tag LIKE 'SC-%' ORDER BY asset_tag",
    );
    expect(atHub.rows.map((r) => r.asset_tag)).toEqual(['SC-0001', 'SC-0002']);
  });

  it("counts what other PCs changed for this PC's ward only, until someone here marks it seen", async () => {
    const a = await adminPc();
    const b = await adminPc();
    const site = await a.call('locations.create', { name: 'City Hospital' });
    const ward = await a.call('locations.create', { name: 'Ward 7', parentId: site.id });
    const icu = await a.call('locations.create', { name: 'ICU', parentId: site.id });
    const mine = await a.call('equipment.create', { assetTag: 'DF-0700', name: 'Defibrillator', locationId: ward.id });
    const theirs = await a.call('equipment.create', { assetTag: 'DF-0900', name: 'Defibrillator', locationId: icu.id });
    const join = async (pc: typeof a, name: string) => {
      const { code } = await createEnrolCode(hub.pool, name);
      await pc.call('sync.join', { hub: hub.url, code, fingerprint: hub.tls.fingerprint, fingerprintChecked: true });
      return new SyncClient(pc.backend.core, transportFor(pc.backend.core));
    };
    const syncA = await join(a, 'Ward 7 PC (A)');
    await syncA.syncOnce();
    const syncB = await join(b, 'Ward 7 PC (B)');
    await syncB.syncOnce();
    await b.call('settings.update', { defaultLocationId: ward.id });
    // What was there when B joined is not news.
    expect(await b.call('sync.changes', {})).toEqual({ count: 0, items: [], wardPath: 'City Hospital > Ward 7' });

    await a.call('equipment.setStatus', { id: mine.id, status: 'out_of_service', reason: 'Cracked paddle' });
    await a.call('equipment.setStatus', { id: theirs.id, status: 'out_of_service', reason: 'Battery' });
    await syncA.syncOnce();
    await syncB.syncOnce();
    const news = await b.call('sync.changes', {});
    expect(news.count).toBe(1);
    expect(news.items).toEqual([
      expect.objectContaining({ text: 'DF-0700 is now out of service', who: 'Ada Admin', equipmentId: mine.id }),
    ]);
    expect(await a.call('sync.changes', {})).toMatchObject({ count: 0 });

    expect(await b.call('sync.changesSeen', {})).toMatchObject({ count: 0, items: [] });
    expect(await b.call('sync.changes', {})).toMatchObject({ count: 0 });
  });
});
