import { describe, expect, it } from 'vitest';
import { CHANNEL_NAMES } from '../../../shared/contract';
import { storageError } from '../../../main/core/backend';
import { testBackend } from '../../helpers/core';

async function aWard(b: ReturnType<typeof testBackend>) {
  const site = await b.backend.invoke(b.session, 'locations.create', { name: 'General Hospital' });
  if (!site.ok) throw new Error(site.error.message);
  const ward = await b.backend.invoke(b.session, 'locations.create', { name: 'Ward 4B', parentId: site.value.id });
  if (!ward.ok) throw new Error(ward.error.message);
  return ward.value;
}

describe('the backend boundary', () => {
  it('adds equipment and lists it with its location path', async () => {
    const b = testBackend('supervisor');
    const ward = await aWard(b);
    expect(ward.path).toBe('General Hospital > Ward 4B');
    const created = await b.backend.invoke(b.session, 'equipment.create', { assetTag: '  ip-0042 ', name: 'Infusion pump', locationId: ward.id });
    expect(created).toMatchObject({ ok: true, value: { assetTag: 'ip-0042', locationPath: 'General Hospital > Ward 4B', status: 'in_service' } });
    const list = await b.backend.invoke(b.session, 'equipment.search', {});
    expect(list).toMatchObject({ ok: true, value: { rows: [{ assetTag: 'ip-0042', name: 'Infusion pump' }] } });
  });

  it('refuses a duplicate asset tag whatever its case and spacing, naming the field', async () => {
    const b = testBackend('supervisor');
    const ward = await aWard(b);
    await b.backend.invoke(b.session, 'equipment.create', { assetTag: 'IP-0042', name: 'Pump A', locationId: ward.id });
    const dup = await b.backend.invoke(b.session, 'equipment.create', { assetTag: ' ip-0042', name: 'Pump B', locationId: ward.id });
    expect(dup).toEqual({ ok: false, error: { code: 'conflict', field: 'assetTag', message: 'Asset tag IP-0042 is already used by "Pump A".' } });
    expect(b.core.db.prepare('SELECT count(*) AS n FROM equipment').get()).toEqual({ n: 1 });
  });

  it('turns schema failures into a sentence naming the field, and writes nothing', async () => {
    const b = testBackend('supervisor');
    const ward = await aWard(b);
    const auditBefore = b.core.db.prepare('SELECT count(*) AS n FROM audit_log').get();
    const res = await b.backend.invoke(b.session, 'equipment.create', { assetTag: '   ', name: 'Pump', locationId: ward.id });
    expect(res).toEqual({ ok: false, error: { code: 'invalid_input', field: 'assetTag', message: 'Asset tag is required.' } });
    expect(b.core.db.prepare('SELECT count(*) AS n FROM equipment').get()).toEqual({ n: 0 });
    expect(b.core.db.prepare('SELECT count(*) AS n FROM audit_log').get()).toEqual(auditBefore);
  });

  it('rejects unknown fields and wrong types instead of passing them on', async () => {
    const b = testBackend('supervisor');
    const ward = await aWard(b);
    const extra = await b.backend.invoke(b.session, 'equipment.create', { assetTag: 'A', name: 'B', locationId: ward.id, isAdmin: true });
    expect(extra).toMatchObject({ ok: false, error: { code: 'invalid_input', message: 'Unexpected field: isAdmin.' } });
    const wrong = await b.backend.invoke(b.session, 'equipment.create', 'DROP TABLE equipment');
    expect(wrong).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('answers an unknown channel with not_found', async () => {
    const b = testBackend();
    expect(await b.backend.invoke(b.session, 'sql.exec', { sql: 'DELETE FROM equipment' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await b.backend.invoke(b.session, '__proto__', {})).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('requires a signed-in user for everything but the public channels', async () => {
    const b = testBackend();
    b.session.user = null;
    expect(await b.backend.invoke(b.session, 'equipment.search', {})).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(await b.backend.invoke(b.session, 'app.info', {})).toMatchObject({ ok: true });
  });

  it('never sends a stack trace across the boundary', async () => {
    const b = testBackend();
    const res = await b.backend.invoke(b.session, 'equipment.get', { id: '01234567-89ab-7def-8123-456789abcdef' });
    expect(res).toEqual({ ok: false, error: { code: 'not_found', message: 'That device does not exist.' } });
    expect(JSON.stringify(res)).not.toMatch(/at .*\.ts:\d+/);
  });

  it('says plainly when the disk is full', () => {
    expect(storageError({ code: 'SQLITE_FULL' })).toMatchObject({ code: 'storage', message: expect.stringMatching(/disk is full/) });
    expect(storageError(new Error('x'))).toBeNull();
  });

  it('has a handler for every channel of the contract', async () => {
    const b = testBackend();
    for (const name of CHANNEL_NAMES) {
      const res = await b.backend.invoke(b.session, name, { definitely: 'not valid' });
      // A missing handler would throw; every channel must answer with a value.
      expect(res, name).toHaveProperty('ok');
    }
  });
});
