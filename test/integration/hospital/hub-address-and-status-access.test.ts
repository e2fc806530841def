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
 * The app's hub channels: an address the form's pattern lets through but no URL can be made of is
 * refused beside the address in a sentence (not "Something went wrong"); ward staff read whether
 * the PC is current (the header's line), without what only technicians and IT act on; a revoked
 * PC's sentence names the hospital's day, once, with no instruction of its own.
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
  const call = caller(backend, newSession(Date.now()));
  await call('auth.setupFirstAdmin', { name: 'Ada Admin', password: 'correct horse battery', pin: '2468' });
  return { backend, call };
}

async function joined(name: string) {
  const pc = await adminPc();
  const { code } = await createEnrolCode(hub.pool, name);
  await pc.call('sync.join', { hub: hub.url, code, fingerprint: hub.tls.fingerprint, fingerprintChecked: true });
  const client = new SyncClient(pc.backend.core, transportFor(pc.backend.core));
  await client.syncOnce();
  return { ...pc, client };
}

describe('a hub address no URL can be made of', () => {
  for (const hubAddress of ['https://hub.hospital.local:99999', 'https://hub.hospital.local:8443:8443', 'https://hub%hospital', 'https://hub.hospital.local:0']) {
    it(`"${hubAddress}" is refused beside the address, saying how to write one (Connect and Join the hub)`, async () => {
      const { backend } = await adminPc();
      const session = newSession(Date.now());
      await caller(backend, session)('auth.signIn', { name: 'Ada Admin', secret: '2468' });
      const said = `"${hubAddress}" is not an address: give it as https://HOST:PORT, for example https://hub.hospital.local:8443 (a port from 1 to 65535).`;
      const peek = await backend.invoke(session, 'sync.peek', { hub: hubAddress });
      expect(peek).toEqual({ ok: false, error: { code: 'invalid_input', field: 'hub', message: said } });
      const join = await backend.invoke(session, 'sync.join', {
        hub: hubAddress,
        code: 'ABCD-EFGH-JKMN-PQRS',
        fingerprint: hub.tls.fingerprint,
        fingerprintChecked: true,
      });
      expect(join).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'hub', message: said } });
    });
  }

  it('an address that is one still connects', async () => {
    const { call } = await adminPc();
    expect(await call('sync.peek', { hub: hub.url })).toEqual({ hub: hub.url, fingerprint: hub.tls.fingerprint });
  });
});

describe('who sees whether this PC is current', () => {
  it('ward staff read the state, the counts and why a sync failed, without the pinned certificate, the refused rows or capture problems', async () => {
    const { backend, call } = await joined('Ward 9 PC');
    await call('users.create', { name: 'Nia Nurse', role: 'ward_staff', temporaryPin: '7391' });
    const nurse = newSession(Date.now());
    expect((await backend.invoke(nurse, 'auth.signIn', { name: 'Nia Nurse', secret: '7391' })).ok).toBe(true);
    expect((await backend.invoke(nurse, 'auth.setOwnPin', { currentSecret: '7391', newPin: '8264' })).ok).toBe(true);
    // Something the hub refused, and a trigger removed outside Wardkeep: what a technician reads, not a nurse.
    backend.core.db
      .prepare("INSERT INTO sync_quarantine (replica, seq, tbl, pk, op, data, reason, reported_at) VALUES ('r', 1, 'users', '[\"u1\"]', 'update', '{}', 'refused', '2026-11-30T10:00:00.000Z')")
      .run();
    backend.core.db.exec('DROP TRIGGER sync_equipment_count_update');

    const technicianView = await call('sync.status', {});
    expect(technicianView).toMatchObject({ state: 'synced', quarantined: 1, quarantine: [{ table: 'users', reason: 'refused' }], hubFingerprint: hub.tls.fingerprint });
    expect(technicianView.captureProblems).toHaveLength(1);

    const status = await backend.invoke(nurse, 'sync.status', {});
    if (!status.ok) throw new Error(status.error.message);
    expect(status.value).toMatchObject({
      state: 'synced',
      joined: true,
      lastSyncAt: technicianView.lastSyncAt,
      pendingOut: technicianView.pendingOut,
      quarantined: 1,
      hubFingerprint: null,
      quarantine: [],
      captureProblems: [],
    });
    // The other sync channels stay above ward staff.
    expect(await backend.invoke(nurse, 'sync.pcs', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});

describe('a PC revoked at the hub', () => {
  it("says so with the hub's local day as YYYY-MM-DD (each screen writes it its own way), says once that it keeps its data, and gives no instruction of its own", async () => {
    const { call, client } = await joined('Clinic PC');
    await revokePc(hub.pool, 'Clinic PC');
    // 02:00 UTC on 1 March is still 28 February where the hospital is (the tests run in America/New_York).
    await hub.pool.query("UPDATE hub_pcs SET revoked_at = '2026-03-01T02:00:00Z' WHERE name = 'Clinic PC'");
    await expect(client.syncOnce()).rejects.toThrow(/revoked/);
    const s = await call('sync.status', {});
    expect(s.state).toBe('revoked');
    expect(s.lastError).toBe('This PC ("Clinic PC") was revoked at the hub on 2026-02-28: it keeps its data but no longer syncs.');
  });
});
