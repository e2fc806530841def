import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../shared/domain/settings';
import { getSettings } from '../../../main/core/settings/service';
import { testBackend } from '../../helpers/core';
import { count } from '../equipment/fixtures';

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

  it('words a value that is not a number as the rule, not as zod does', async () => {
    const a = testBackend('admin');
    const cases: [Record<string, unknown>, string][] = [
      [{ lockoutAttempts: 'five' }, 'Lockout attempts must be a whole number.'],
      [{ lockoutMinutes: null }, 'Lockout minutes must be a whole number of minutes.'],
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
