import { describe, expect, it } from 'vitest';
import type { SyncStatusView } from '../../../shared/contract/sync';
import { formatDate, formatDateTime, formatDaysIn, dateHint } from '../../../shared/date-format';
import type { DateWriter } from '../../../renderer/src/lib/settings';
import { clockOff, joinLine, statusLine } from '../../../renderer/src/lib/sync-words';

const dates: DateWriter = {
  setting: 'dd/MM/yyyy',
  date: (iso) => formatDate(iso, 'dd/MM/yyyy'),
  dateTime: (iso) => formatDateTime(iso, 'dd/MM/yyyy'),
  text: (kept) => formatDaysIn(kept, 'dd/MM/yyyy'),
  hint: dateHint('dd/MM/yyyy'),
};

const base: SyncStatusView = {
  hub: 'https://hub.hospital.local:8443',
  hubFingerprint: 'AA',
  pcName: 'Ward 4B',
  state: 'synced',
  lastSyncAt: null,
  lastAttemptAt: null,
  offlineSince: null,
  lastError: null,
  pendingOut: 0,
  conflicts: 0,
  clashes: 0,
  quarantined: 0,
  clockOffsetMs: 0,
  clockWarning: null,
  join: null,
  captureProblems: [],
  joined: true,
  quarantine: [],
};

// Local times, as the header shows them: the test runs in any time zone.
const at = (h: number, m: number, day = 30) => new Date(2026, 10, day, h, m).toISOString();
const now = new Date(at(10, 0));

describe("the header's sync line", () => {
  it('says nothing on a PC in no hub', () => {
    expect(statusLine({ ...base, state: 'not_enrolled', hub: null }, now, dates)).toBeNull();
  });

  it('says how long ago the last sync was, and what waits to be sent', () => {
    expect(statusLine({ ...base, lastSyncAt: at(9, 59), lastAttemptAt: at(9, 59) }, now, dates)).toEqual({
      text: 'Synced a moment ago',
      tone: 'ok',
    });
    expect(statusLine({ ...base, lastSyncAt: at(9, 45), lastAttemptAt: at(9, 44), pendingOut: 1 }, now, dates)?.text).toBe(
      'Synced 15 minutes ago with 1 change waiting to send',
    );
    expect(statusLine({ ...base, lastSyncAt: at(7, 5) }, now, dates)?.text).toBe('Synced at 07:05');
    expect(statusLine({ ...base, lastSyncAt: at(7, 5, 28) }, now, dates)?.text).toBe('Synced at 28/11/2026 07:05');
  });

  it('says syncing while a sync has started and not finished', () => {
    expect(statusLine({ ...base, lastSyncAt: at(9, 50), lastAttemptAt: at(9, 59) }, now, dates)).toEqual({
      text: 'Syncing…',
      tone: 'busy',
    });
    // An attempt that started long ago and never finished is not "syncing" for ever.
    expect(statusLine({ ...base, lastSyncAt: at(8, 0), lastAttemptAt: at(9, 0) }, now, dates)?.text).toBe('Synced at 08:00');
  });

  it('says since when the hub could not be reached, with the changes waiting', () => {
    expect(statusLine({ ...base, state: 'offline', offlineSince: at(9, 12), lastSyncAt: at(9, 0), pendingOut: 3 }, now, dates)).toEqual({
      text: 'Offline since 09:12 with 3 changes waiting to send',
      tone: 'warn',
    });
    expect(statusLine({ ...base, state: 'offline', offlineSince: at(9, 12, 27) }, now, dates)?.text).toBe('Offline since 27/11/2026 09:12');
  });

  it('warns of a clock off by more than a minute, and keeps the rest of the line', () => {
    const line = statusLine(
      { ...base, lastSyncAt: at(9, 59), clockOffsetMs: 3 * 86_400_000, clockWarning: 'This PC’s clock is 72 hours behind the hub’s.' },
      now,
      dates,
    );
    expect(line).toEqual({ text: 'Synced a moment ago · clock 3 days slow', tone: 'warn' });
    expect(clockOff(-12 * 60_000)).toBe('12 minutes fast');
    expect(clockOff(5 * 3_600_000)).toBe('5 hours slow');
  });

  it('says how many changes made here the hub refused (or were not sent), in the warning tone, keeping the rest of the line', () => {
    expect(statusLine({ ...base, lastSyncAt: at(9, 59), quarantined: 1 }, now, dates)).toEqual({
      text: 'Synced a moment ago · 1 change refused or not sent',
      tone: 'warn',
    });
    const offline = { ...base, state: 'offline' as const, offlineSince: at(9, 12), pendingOut: 3, quarantined: 2 };
    expect(statusLine({ ...offline, clockOffsetMs: 3 * 3_600_000, clockWarning: 'Off.' }, now, dates)).toEqual({
      text: 'Offline since 09:12 with 3 changes waiting to send · 2 changes refused or not sent · clock 3 hours slow',
      tone: 'warn',
    });
    // A failed sync stays an error.
    expect(statusLine({ ...base, state: 'error', lastAttemptAt: at(9, 59), quarantined: 2 }, now, dates)).toEqual({
      text: 'Sync failed at 09:59 · 2 changes refused or not sent',
      tone: 'error',
    });
  });

  it('says when the hub removed this PC, and how joining goes', () => {
    expect(statusLine({ ...base, state: 'revoked' }, now, dates)).toEqual({ text: 'Removed from the hub: not syncing', tone: 'error' });
    const join = { phase: 'download' as const, done: 12_000, total: 48_000 };
    expect(statusLine({ ...base, state: 'joining', join }, now, dates)?.text).toBe('Joining the hub: 25%');
    expect(joinLine(join)).toBe('Downloading the hospital: 12,000 of 48,000 rows (25%)');
    expect(joinLine({ ...join, phase: 'recompute' })).toBe('Downloaded the hospital; working out due dates and service status…');
  });
});
