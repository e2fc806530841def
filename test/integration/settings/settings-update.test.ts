import { describe, expect, it } from 'vitest';
import type { Settings } from '../../../shared/domain/settings';
import { DEFAULT_SETTINGS } from '../../../shared/domain/settings';
import { dueCounts, todayView } from '../../../main/core/due/service';
import { getSettings } from '../../../main/core/settings/service';
import { fixedClock, testBackend } from '../../helpers/core';
import { count } from '../equipment/fixtures';
import { device, place, plan } from '../plans/fixtures';

const settingEntries = (core: Parameters<typeof count>[0]) =>
  core.db.prepare("SELECT entity_id FROM audit_log WHERE entity = 'setting' ORDER BY seq").all() as { entity_id: string }[];

describe('settings.update: who may change what, and how a refusal reads', () => {
  it('refuses a supervisor and a technician; an admin may', async () => {
    for (const role of ['technician', 'supervisor'] as const) {
      const b = testBackend(role);
      expect(await b.backend.invoke(b.session, 'settings.update', { dateFormat: 'dd/MM/yyyy' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    const a = testBackend('admin');
    expect(await a.backend.invoke(a.session, 'settings.update', { dateFormat: 'dd/MM/yyyy' })).toMatchObject({ ok: true, value: { dateFormat: 'dd/MM/yyyy' } });
  });

  it('names the field and the rule for each bad value, and writes nothing', async () => {
    const a = testBackend('admin');
    const auditBefore = count(a.core, 'audit_log');
    const cases: [Record<string, unknown>, string][] = [
      [{ idleTimeoutSeconds: 2 }, 'idleTimeoutSeconds'],
      [{ lateEntryReasonAfterDays: -1 }, 'lateEntryReasonAfterDays'],
      [{ stockExpiringWithinDays: 0 }, 'stockExpiringWithinDays'],
      [{ stockExpiringWithinDays: 1.5 }, 'stockExpiringWithinDays'],
      [{ dateFormat: 'yyyy/MM/dd' }, 'dateFormat'],
      [{ lockoutAttempts: 0 }, 'lockoutAttempts'],
    ];
    for (const [input, field] of cases) {
      const res = await a.backend.invoke(a.session, 'settings.update', input as never);
      expect(res, JSON.stringify(input)).toMatchObject({ ok: false, error: { code: 'invalid_input', field } });
    }
    expect(count(a.core, 'audit_log')).toBe(auditBefore);
  });

  it('words a value sent around the screen as the rule, naming the field as the screen labels it, not by its internal name nor as zod does', async () => {
    const a = testBackend('admin');
    const cases: [Record<string, unknown>, string][] = [
      [{ lockoutAttempts: 'five' }, 'Wrong PINs before an account locks must be a whole number.'],
      [{ lockoutMinutes: null }, 'Lock the account for (minutes) must be a whole number of minutes.'],
      [{ idleTimeoutSeconds: 2 }, 'Lock the screen after must be at least 5 seconds.'],
      [{ stockExpiringWithinDays: 0 }, 'Flag stock expiring within (days) must be at least 1 day.'],
      [{ lateEntryReasonAfterDays: -1 }, 'Ask why work is entered late after (days) must be 0 or more days.'],
      [{ hospitalName: 'x'.repeat(201) }, 'Hospital or clinic name must be at most 200 characters.'],
    ];
    for (const [input, message] of cases) {
      const res = await a.backend.invoke(a.session, 'settings.update', input as never);
      expect(res, JSON.stringify(input)).toMatchObject({ ok: false, error: { code: 'invalid_input', message } });
    }
  });

  it('writes an audit entry for each setting that changed, and none for one sent unchanged or not sent', async () => {
    const a = testBackend('admin');
    await a.backend.invoke(a.session, 'settings.update', { idleTimeoutSeconds: 90 });
    const before = settingEntries(a.core).length;
    const res = await a.backend.invoke(a.session, 'settings.update', { dateFormat: 'yyyy-MM-dd', idleTimeoutSeconds: 90 });
    expect(res).toMatchObject({ ok: true, value: { dateFormat: 'yyyy-MM-dd', idleTimeoutSeconds: 90 } });
    expect(settingEntries(a.core).slice(before)).toEqual([{ entity_id: 'dateFormat' }]);
  });
});

describe('settings.update: two administrators changing the same setting', () => {
  it('refuses a save made over a change someone else saved since the screen opened, beside the field, naming the value now; nothing is saved', async () => {
    const a = testBackend('admin');
    const opened = (await a.backend.invoke(a.session, 'settings.get', {})) as { ok: true; value: Settings };
    // Another administrator (another window, or another PC through the hub) saves meanwhile.
    expect(await a.backend.invoke(a.session, 'settings.update', { lockoutAttempts: 8, idleTimeoutSeconds: 90, dateFormat: 'dd/MM/yyyy' })).toMatchObject({ ok: true });
    const auditBefore = count(a.core, 'audit_log');
    const res = await a.backend.invoke(a.session, 'settings.update', { lockoutAttempts: 6, idleTimeoutSeconds: 600, hospitalName: 'St Elsewhere', expected: opened.value });
    expect(res).toMatchObject({
      ok: false,
      error: {
        code: 'conflict',
        field: 'idleTimeoutSeconds',
        message: 'Lock the screen after was changed by someone else since you opened this: it is now 1 minute 30 seconds. Check it, and save again if you still mean to change it.',
        details: [
          { field: 'idleTimeoutSeconds', message: expect.stringContaining('it is now 1 minute 30 seconds.') },
          {
            field: 'lockoutAttempts',
            message: 'Wrong PINs before an account locks was changed by someone else since you opened this: it is now 8. Check it, and save again if you still mean to change it.',
          },
        ],
      },
    });
    // Nothing of the save is kept, not even the name nobody else touched: the person decides again.
    expect(count(a.core, 'audit_log')).toBe(auditBefore);
    expect(getSettings(a.core)).toMatchObject({ lockoutAttempts: 8, idleTimeoutSeconds: 90, hospitalName: '' });
    // The next save, made on the settings as they are now, works.
    const now = getSettings(a.core);
    expect(await a.backend.invoke(a.session, 'settings.update', { lockoutAttempts: 6, idleTimeoutSeconds: 600, hospitalName: 'St Elsewhere', expected: now })).toMatchObject({
      ok: true,
      value: { lockoutAttempts: 6, idleTimeoutSeconds: 600, hospitalName: 'St Elsewhere', dateFormat: 'dd/MM/yyyy' },
    });
  });

  it('lets a save through when only other settings changed meanwhile, or the setting already holds the value sent', async () => {
    const a = testBackend('admin');
    const opened = getSettings(a.core);
    expect(await a.backend.invoke(a.session, 'settings.update', { dateFormat: 'dd/MM/yyyy', lockoutMinutes: 15 })).toMatchObject({ ok: true });
    const res = await a.backend.invoke(a.session, 'settings.update', { lockoutAttempts: 6, lockoutMinutes: 15, expected: opened });
    expect(res).toMatchObject({ ok: true, value: { lockoutAttempts: 6, lockoutMinutes: 15, dateFormat: 'dd/MM/yyyy' } });
  });

  it('names the value now as the screen shows it: the name in quotes, a ward by its path, a date format as typed, days', async () => {
    const a = testBackend('admin');
    const ward = place(a.core, 'General Hospital > Ward 4B');
    const opened = getSettings(a.core);
    await a.backend.invoke(a.session, 'settings.update', { hospitalName: "St Mary's", defaultLocationId: ward, dateFormat: 'dd.MM.yyyy', stockExpiringWithinDays: 14 });
    const res = await a.backend.invoke(a.session, 'settings.update', {
      hospitalName: 'St Elsewhere',
      defaultLocationId: null,
      dateFormat: 'yyyy-MM-dd',
      stockExpiringWithinDays: 60,
      expected: opened,
    });
    expect(res.ok ? [] : res.error.details?.map((d) => d.message)).toEqual([
      'Hospital or clinic name was changed by someone else since you opened this: it is now "St Mary\'s". Check it, and save again if you still mean to change it.',
      "This PC's ward was changed by someone else since you opened this: it is now General Hospital > Ward 4B. Check it, and save again if you still mean to change it.",
      'Date format was changed by someone else since you opened this: it is now dd.mm.yyyy. Check it, and save again if you still mean to change it.',
      'Flag stock expiring within (days) was changed by someone else since you opened this: it is now 14 days. Check it, and save again if you still mean to change it.',
    ]);
  });
});

describe('settings stored outside the rules (a hub change from a compromised PC, the file edited with sqlite3)', () => {
  it('are not taken: the PIN lockout, idle lock and date format keep their defaults, and every other setting is read', () => {
    const { core } = testBackend('admin');
    const write = core.db.prepare("INSERT INTO settings (key, value, updated_at, pc_id) VALUES (?, ?, '2026-01-01T00:00:00.000Z', 'other-pc') ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    write.run('lockoutAttempts', '1000000000');
    write.run('idleTimeoutSeconds', '1000000000');
    write.run('dateFormat', '{"x":1}');
    write.run('stockExpiringWithinDays', '"soon"');
    write.run('lateEntryReasonAfterDays', '7');
    expect(getSettings(core)).toMatchObject({
      lockoutAttempts: DEFAULT_SETTINGS.lockoutAttempts,
      idleTimeoutSeconds: DEFAULT_SETTINGS.idleTimeoutSeconds,
      dateFormat: DEFAULT_SETTINGS.dateFormat,
      stockExpiringWithinDays: DEFAULT_SETTINGS.stockExpiringWithinDays,
      lateEntryReasonAfterDays: 7,
    });
  });
});

/**
 * This PC's ward cannot be taken off the lists here, but another PC does not know it, so the change
 * arrives through the hub (set here as a sync apply writes it: `active = 0` on the location).
 */
describe("this PC's ward taken off the lists by another PC (through the hub)", () => {
  async function wardTakenOff() {
    const a = testBackend('admin', { clock: fixedClock('2026-12-04T10:00:00Z') });
    const ward9 = place(a.core, 'General Hospital > Ward 9');
    const ward4a = place(a.core, 'General Hospital > Ward 4A');
    plan(a.core, device(a.core, 'X-1', { location: 'General Hospital > Ward 4A' }), 'inspection', '1m', '2026-01-01');
    expect(await a.backend.invoke(a.session, 'settings.update', { defaultLocationId: ward9 })).toMatchObject({ ok: true });
    const opened = getSettings(a.core);
    a.core.db.prepare('UPDATE locations SET active = 0 WHERE id = ?').run(ward9);
    return { ...a, ward9, ward4a, opened };
  }

  it('counts as no ward: the settings in force, the overdue badge and notices and Today cover the whole hospital', async () => {
    const a = await wardTakenOff();
    expect(getSettings(a.core).defaultLocationId).toBeNull();
    // As main/app/notifications.ts counts the badge: this PC's ward, else all.
    const ward = getSettings(a.core).defaultLocationId;
    expect(dueCounts(a.core, { asOf: '2026-12-04', locationIds: ward ? [ward] : undefined }).reduce((n, c) => n + c.overdue, 0)).toBe(1);
    expect(todayView(a.core, null, {})).toMatchObject({ locationId: null, defaultLocationId: null, defaultSource: 'all', total: 1 });
  });

  it('settings.get gives the Settings screen the ward taken off, by its path, to say beside the field', async () => {
    const a = await wardTakenOff();
    const res = await a.backend.invoke(a.session, 'settings.get', {});
    expect(res).toMatchObject({ ok: true, value: { defaultLocationId: null, wardTakenOff: 'General Hospital > Ward 9' } });
  });

  it('"(all locations)" saved is stored, so the ward does not come back as this PC\'s ward should it be brought back', async () => {
    const a = await wardTakenOff();
    const now = getSettings(a.core);
    const res = await a.backend.invoke(a.session, 'settings.update', { defaultLocationId: null, expected: now });
    expect(res.ok && res.value).toEqual({ ...now, defaultLocationId: null });
    const entry = a.core.db.prepare("SELECT old_value, new_value FROM audit_log WHERE entity = 'setting' ORDER BY seq DESC LIMIT 1").get() as { old_value: string; new_value: string };
    // The setting's value as the audit entry keeps it: a location's id, or null for the whole hospital.
    const ward = (text: string) => JSON.parse(text) as string | null;
    expect([ward(entry.old_value), ward(entry.new_value)]).toEqual([a.ward9, null]);
    a.core.db.prepare('UPDATE locations SET active = 1 WHERE id = ?').run(a.ward9);
    expect(getSettings(a.core).defaultLocationId).toBeNull();
  });

  it('is no one\'s change of the setting: another ward chosen on a screen opened before or after is saved, not refused as "changed by someone else"', async () => {
    const a = await wardTakenOff();
    const res = await a.backend.invoke(a.session, 'settings.update', { defaultLocationId: a.ward4a, expected: a.opened });
    expect(res).toMatchObject({ ok: true, value: { defaultLocationId: a.ward4a } });
    expect((res.ok && res.value.wardTakenOff) ?? null).toBeNull();
    const b = await wardTakenOff();
    const after = await b.backend.invoke(b.session, 'settings.update', { defaultLocationId: b.ward4a, expected: getSettings(b.core) });
    expect(after).toMatchObject({ ok: true, value: { defaultLocationId: b.ward4a } });
  });
});
