import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { formatHlc } from '../../../main/core/sync/hlc';
import type { Change, PushResponse } from '../../../main/core/sync/protocol';
import { holdingPlanIds } from '../../../main/core/sync/service-status';
import { signRequest } from '../../../main/core/sync/signing';
import { getState } from '../../../main/core/sync/state';
import { dispatch } from '../../../main/hub/server';
import { getSettings } from '../../../main/core/settings/service';
import { testCore } from '../../helpers/core';
import { device, done, plan } from '../plans/fixtures';
import { directTransport, testHub, testPc } from './harness';

/**
 * Rows that pass the PCs' CHECK constraints but that no PC could take as they are: a row made by
 * a change of some of its fields, a decision whose overrides are not a list, a hospital-wide
 * setting the Settings screen refuses, a key spelled otherwise than Wardkeep writes it. Each is
 * quarantined at the hub with a sentence naming what is wrong, and every other PC keeps syncing
 * (docs/sync.md: "the hub never takes a row a PC would refuse on arrival").
 */

type Hub = Awaited<ReturnType<typeof testHub>>;
type TestPc = Awaited<ReturnType<typeof testPc>>;

const stamp = (node: string, ms = Date.now()) => formatHlc({ wall: ms, counter: 0, node });

/** A push under a new history of the PC's (its changes numbered from 1). */
async function pushed(hub: Hub, pc: TestPc, replica: string, changes: Omit<Change, 'seq'>[]): Promise<PushResponse> {
  const t = directTransport(hub, pc.core);
  return (await t.post('/v1/push', { replica, changes: changes.map((c, i) => ({ ...c, seq: i + 1 })) })) as PushResponse;
}

const outcome = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: unknown) => String(e).split('\n')[0]!,
  );

describe('an update for a row the hub has never held', () => {
  it('is quarantined naming the table, key and a field it lacks; the other PCs keep syncing', async () => {
    const hub = await testHub();
    const a = await testPc(hub, 'Ward 4B');
    const b = await testPc(hub, 'Emergency');
    device(b.core, 'DF-0001');
    await a.sync();
    await b.sync();
    const replica = `${a.core.pcId}-x`;
    const ghost = JSON.stringify([randomUUID()]);
    const answer = await pushed(hub, a, replica, [
      { hlc: stamp(replica), tbl: 'settings', pk: '["kept"]', op: 'insert', data: { value: '"yes"' }, base: null },
      { hlc: stamp(replica), tbl: 'equipment', pk: ghost, op: 'update', data: { notes: 'hello' }, base: null },
    ]);
    expect(answer.acceptedThrough).toBe(2);
    expect(answer.quarantined.map((q) => q.reason)).toEqual([
      `equipment ${ghost} would have no asset_tag, which every PC requires: the hub holds no such row, and a change of some of its fields cannot make one`,
    ]);
    expect(await outcome(b.sync())).toBe('ok');
    expect(b.core.db.prepare("SELECT value FROM settings WHERE key = 'kept'").pluck().get()).toBe('"yes"');
  });

  it('does not stop a PC joining later from downloading the hospital (a user with only a name)', async () => {
    const hub = await testHub();
    const a = await testPc(hub, 'Ward 4B');
    await a.sync();
    const replica = `${a.core.pcId}-x`;
    const answer = await pushed(hub, a, replica, [
      { hlc: stamp(replica), tbl: 'users', pk: JSON.stringify([randomUUID()]), op: 'update', data: { name: 'Ghost' }, base: null },
    ]);
    expect(answer.quarantined.map((q) => q.reason)).toEqual([expect.stringMatching(/^users \["[^"]+"\] would have no role, which every PC requires/)]);
    const c = await testPc(hub, 'Theatre');
    expect(await outcome(c.sync())).toBe('ok');
    expect(c.core.db.prepare("SELECT count(*) FROM users WHERE name = 'Ghost'").pluck().get()).toBe(0);
  });
});

describe("a person's status decision whose overrides are JSON but not a list", () => {
  it('is quarantined naming the field, and the other PCs keep syncing', async () => {
    const hub = await testHub();
    const a = await testPc(hub, 'Ward 4B');
    const b = await testPc(hub, 'Emergency');
    const id = device(b.core, 'DF-0003');
    await b.sync();
    await a.sync();
    const replica = `${a.core.pcId}-x`;
    const decision = (overrides: string): Omit<Change, 'seq'> => ({
      hlc: stamp(replica),
      tbl: 'equipment',
      pk: JSON.stringify([id]),
      op: 'update',
      data: { manual_status: 'in_service', manual_status_reason: 'Checked', manual_overrides: overrides },
      base: null,
    });
    const answer = await pushed(hub, a, replica, [decision('5'), decision('{}'), decision('[1]')]);
    expect(answer.quarantined.map((q) => q.reason)).toEqual([
      'manual_overrides must be a JSON list of text values, such as ["…"], not "5"',
      'manual_overrides must be a JSON list of text values, such as ["…"], not "{}"',
      'manual_overrides must be a JSON list of text values, such as ["…"], not "[1]"',
    ]);
    expect(await outcome(b.sync())).toBe('ok');
  });

  it('already on a PC (written outside Wardkeep, or taken by an older hub) overrides nothing: the failed test holds the device', () => {
    const core = testCore();
    const id = device(core, 'DF-0004');
    const p = plan(core, id, 'electrical_safety', '1y', '2025-01-01');
    const fail = done(core, p.id, '2025-03-01T10:00:00Z', 'fail');
    const overrides = (value: string) => core.db.prepare("UPDATE equipment SET manual_status = 'in_service', manual_overrides = ? WHERE id = ?").run(value, id);
    // A person put it back in service over that fail: nothing holds it.
    overrides(JSON.stringify([fail.id]));
    expect(holdingPlanIds(core, id)).toEqual([]);
    overrides('{}');
    expect(holdingPlanIds(core, id)).toEqual([p.id]);
    overrides('5');
    expect(holdingPlanIds(core, id)).toEqual([p.id]);
  });
});

describe('hospital-wide settings outside what the Settings screen allows', () => {
  it('are quarantined in the screen’s words: the PIN lockout, idle lock and date format stay as they were on every PC', async () => {
    const hub = await testHub();
    const a = await testPc(hub, 'Ward 4B');
    const b = await testPc(hub, 'Emergency');
    await a.sync();
    await b.sync();
    const replica = `${a.core.pcId}-x`;
    const setting = (key: string, value: string): Omit<Change, 'seq'> => ({
      hlc: stamp(replica),
      tbl: 'settings',
      pk: JSON.stringify([key]),
      op: 'insert',
      data: { value },
      base: null,
    });
    const answer = await pushed(hub, a, replica, [
      setting('lockoutAttempts', '1000000000'),
      setting('idleTimeoutSeconds', '1000000000'),
      setting('dateFormat', '{"x":1}'),
      setting('lockoutMinutes', '10'),
      // A setting this hub does not know (a newer PC's) is taken as it is.
      setting('someNewerSetting', '{"x":1}'),
    ]);
    expect(answer.quarantined.map((q) => q.reason)).toEqual([
      'the setting lockoutAttempts must be at most 20, not 1000000000',
      'the setting idleTimeoutSeconds must be at most one day, not 1000000000',
      expect.stringMatching(/^the setting dateFormat must be one of .*, not \{"x":1\}$/),
    ]);
    expect(await outcome(b.sync())).toBe('ok');
    const s = getSettings(b.core);
    expect({ lockoutAttempts: s.lockoutAttempts, idleTimeoutSeconds: s.idleTimeoutSeconds, dateFormat: s.dateFormat, lockoutMinutes: s.lockoutMinutes }).toEqual({
      lockoutAttempts: 5,
      idleTimeoutSeconds: 300,
      dateFormat: 'locale',
      lockoutMinutes: 10,
    });
  });
});

describe('a key written with a space (the same row on every PC, another key text at the hub)', () => {
  it('is quarantined naming the key, and the rest of the push is taken', async () => {
    const hub = await testHub();
    const a = await testPc(hub, 'Ward 4B');
    const b = await testPc(hub, 'Emergency');
    const id = device(b.core, 'DF-0002');
    await b.sync();
    await a.sync();
    const replica = `${a.core.pcId}-x`;
    const changes: Change[] = [
      { seq: 1, hlc: stamp(replica), tbl: 'settings', pk: '["probe"]', op: 'insert', data: { value: '"kept"' }, base: null },
      { seq: 2, hlc: stamp(replica), tbl: 'equipment', pk: `[ ${JSON.stringify(id)}]`, op: 'update', data: { notes: 'x' }, base: null },
    ];
    const bytes = Buffer.from(JSON.stringify({ replica, changes }));
    const r = await dispatch(hub, 'POST', '/v1/push', signRequest(getState(a.core, 'pc_key')!, 'POST', '/v1/push', a.core.pcId, bytes), bytes, () => undefined);
    const value = r.value as { quarantined?: { seq: number; reason: string }[]; error?: { message: string } };
    expect({ status: r.status, quarantined: value.quarantined, error: value.error?.message }).toEqual({
      status: 200,
      quarantined: [
        {
          seq: 2,
          tbl: 'equipment',
          pk: `[ "${id}"]`,
          reason: `its key [ "${id}"] is not written as Wardkeep writes keys (["${id}"]), so the hub cannot tell which row it is`,
        },
      ],
      error: undefined,
    });
    expect((await hub.pool.query('SELECT value FROM settings WHERE key = $1', ['probe'])).rows).toEqual([{ value: '"kept"' }]);
    expect(await outcome(a.sync())).toBe('ok');
  });
});
