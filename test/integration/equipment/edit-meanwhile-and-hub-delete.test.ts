import { describe, expect, it } from 'vitest';
import { createBackend } from '../../../main/core/backend';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { newSession } from '../../../main/core/session';
import { installCapture } from '../../../main/core/sync/capture';
import { equipmentExpected } from '../../../shared/contract/equipment';
import { testBackend, testCore } from '../../helpers/core';
import { call as callAs } from '../../helpers/invoke';
import { signedInUser } from '../../helpers/users';
import type { ChannelInput, ChannelName, ChannelOutput } from '../../../shared/contract';

type B = ReturnType<typeof testBackend>;
function call<C extends ChannelName>(b: B, channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
  return callAs(b.backend, b.session, channel, input);
}

async function ward(b: B) {
  const site = await call(b, 'locations.create', { name: 'General Hospital' });
  const w = await call(b, 'locations.create', { name: 'Ward 4B', parentId: site.id });
  const workshop = await call(b, 'locations.create', { name: 'Workshop', parentId: site.id });
  return { ward: w, workshop };
}

/** The fields an edit sends, and what the edit dialog opened with, from a device as read. */
const fieldsOf = equipmentExpected;

describe('saving an edit of a device someone else changed since the dialog opened', () => {
  it('is refused in a sentence naming what changed, and undoes nothing', async () => {
    const b = testBackend('supervisor');
    const { ward: w, workshop } = await ward(b);
    const opened = await call(b, 'equipment.create', { assetTag: 'IP-0042', name: 'Infusion pump', locationId: w.id });
    // Another supervisor moves it to the workshop and records its serial number.
    await call(b, 'equipment.update', { id: opened.id, ...fieldsOf(opened), locationId: workshop.id, serial: 'SN-998877' });
    const res = await b.backend.invoke(b.session, 'equipment.update', {
      id: opened.id,
      ...fieldsOf(opened),
      notes: 'Battery replaced',
      expected: fieldsOf(opened),
    });
    expect(res).toEqual({
      ok: false,
      error: {
        code: 'conflict',
        field: 'expected.locationId',
        message: 'IP-0042 was changed by someone else since you opened this (now at General Hospital > Workshop, serial SN-998877): check and save again.',
      },
    });
    const now = await call(b, 'equipment.get', { id: opened.id });
    expect({ location: now.locationPath, serial: now.serial, notes: now.notes }).toEqual({ location: 'General Hospital > Workshop', serial: 'SN-998877', notes: null });
    // Saved again with what the device has now, both changes stand.
    const saved = await call(b, 'equipment.update', { id: opened.id, ...fieldsOf(now), notes: 'Battery replaced', expected: fieldsOf(now) });
    expect({ location: saved.locationPath, serial: saved.serial, notes: saved.notes }).toEqual({
      location: 'General Hospital > Workshop',
      serial: 'SN-998877',
      notes: 'Battery replaced',
    });
  });

  it('names dates in the Settings format and a cleared field as gone', async () => {
    const b = testBackend('admin');
    const { ward: w } = await ward(b);
    await call(b, 'settings.update', { dateFormat: 'dd/MM/yyyy' });
    const opened = await call(b, 'equipment.create', { assetTag: 'DF-7', name: 'Defibrillator', locationId: w.id, manufacturer: 'Zoll' });
    await call(b, 'equipment.update', { ...fieldsOf(opened), id: opened.id, manufacturer: null, warrantyUntil: '2027-03-31' });
    const res = await b.backend.invoke(b.session, 'equipment.update', { id: opened.id, ...fieldsOf(opened), name: 'Defibrillator AED', expected: fieldsOf(opened) });
    expect(res.ok ? null : res.error.message).toBe(
      'DF-7 was changed by someone else since you opened this (now with no manufacturer, under warranty until 31/03/2027): check and save again.',
    );
  });

  it('goes through when nothing changed meanwhile, and without `expected` as before', async () => {
    const b = testBackend('supervisor');
    const { ward: w } = await ward(b);
    const opened = await call(b, 'equipment.create', { assetTag: 'IP-0042', name: 'Infusion pump', locationId: w.id });
    const saved = await call(b, 'equipment.update', { id: opened.id, ...fieldsOf(opened), notes: 'Battery replaced', expected: fieldsOf(opened) });
    expect(saved.notes).toBe('Battery replaced');
    expect((await call(b, 'equipment.update', { id: opened.id, ...fieldsOf(saved), serial: 'SN-1' })).serial).toBe('SN-1');
  });
});

describe('deleting a device on a PC of a hospital hub', () => {
  it('a device entered by mistake is refused in a sentence saying to retire it, not "something went wrong"', async () => {
    const core = testCore();
    inTransaction(core, (w) => installCapture(w));
    const logged: unknown[] = [];
    const backend = createBackend(core, { logError: (err) => void logged.push(err) });
    const session = newSession(core.clock.now().getTime());
    signedInUser(core, 'supervisor', { name: 'Sue Super', session });
    const b = { core, backend, session } as B;
    const { ward: w } = await ward(b);
    const typo = await call(b, 'equipment.create', { assetTag: 'IP-00042', name: 'Infusion pump', locationId: w.id });
    expect(await backend.invoke(session, 'equipment.delete', { id: typo.id })).toEqual({
      ok: false,
      error: {
        code: 'conflict',
        field: 'id',
        message: `IP-00042 "Infusion pump" cannot be deleted on a PC of the hospital's hub (the other PCs have it): retire it instead (status Retired).`,
      },
    });
    expect(logged).toEqual([]);
    expect((await call(b, 'equipment.get', { id: typo.id })).assetTag).toBe('IP-00042');
  });
});
