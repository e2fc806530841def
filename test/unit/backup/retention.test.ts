import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BackupReason } from '../../../main/core/backup/names';
import { BACKUP_REASONS, backupFileName, parseBackupFileName } from '../../../main/core/backup/names';
import { DEFAULT_RETENTION, selectBackupsToKeep } from '../../../main/core/backup/retention';

const at = (iso: string, reason: BackupReason = 'auto') => backupFileName(new Date(iso), reason);
const NOW = new Date('2026-06-30T12:00:00Z');

describe('backup file names', () => {
  it('carry the UTC time to the millisecond and the reason, with no colon (valid on Windows)', () => {
    expect(at('2026-11-25T06:19:08.042Z', 'pre-migration')).toBe('wardkeep-20261125-061908042Z-pre-migration.sqlite3');
    expect(parseBackupFileName('wardkeep-20261125-061908042Z-pre-migration.sqlite3')).toEqual({
      fileName: 'wardkeep-20261125-061908042Z-pre-migration.sqlite3',
      at: new Date('2026-11-25T06:19:08.042Z'),
      reason: 'pre-migration',
    });
  });

  it.each(['wardkeep.sqlite3', 'wardkeep-20260231-000000000Z-auto.sqlite3', 'wardkeep-20260101-000000000Z-hacked.sqlite3', 'x-wardkeep-20260101-000000000Z-auto.sqlite3', 'wardkeep-20260101-000000000Z-auto.sqlite3.partial-1-2'])(
    'are not confused with %s',
    (name) => expect(parseBackupFileName(name)).toBeNull(),
  );

  it('round-trip for any time and reason', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01'), max: new Date('2199-12-31'), noInvalidDate: true }), fc.constantFrom(...BACKUP_REASONS), (d, reason) => {
        expect(parseBackupFileName(backupFileName(d, reason))).toMatchObject({ at: d, reason });
      }),
    );
  });
});

describe('which backups rotation keeps', () => {
  it('every backup of the last 48 hours, then the newest per day, week and month', () => {
    const names = [
      at('2026-06-30T08:00:00Z'),
      at('2026-06-30T04:00:00Z'),
      at('2026-06-29T20:00:00Z'),
      at('2026-06-27T20:00:00Z'), // older than 48 h: only the day's newest stays
      at('2026-06-27T08:00:00Z'),
      at('2026-05-31T08:00:00Z'),
      at('2026-05-02T08:00:00Z'),
      at('2025-01-15T08:00:00Z'),
    ];
    const { keep, remove } = selectBackupsToKeep(names, NOW);
    expect(remove).toEqual([at('2026-06-27T08:00:00Z')]);
    expect(keep).toHaveLength(7);
    // Fewer slots: the recent ones, then one per day, week and month as far as they go.
    const few = selectBackupsToKeep(names, NOW, { ...DEFAULT_RETENTION, daily: 1, weekly: 1, monthly: 2 });
    expect(few.keep).toEqual([at('2026-06-30T08:00:00Z'), at('2026-06-30T04:00:00Z'), at('2026-06-29T20:00:00Z'), at('2026-05-31T08:00:00Z')]);
  });

  it('days without backups use no slot: a PC off for months keeps a week of dailies', () => {
    const names = Array.from({ length: 20 }, (_, i) => at(new Date(Date.UTC(2026, 0, 1 + i, 9)).toISOString()));
    const { keep } = selectBackupsToKeep(names, NOW);
    const days = keep.map((n) => parseBackupFileName(n)!.at.toISOString().slice(0, 10));
    for (let d = 14; d <= 20; d++) expect(days).toContain(`2026-01-${String(d).padStart(2, '0')}`);
  });

  it('keeps backups taken before an upgrade or a restore for 30 days', () => {
    const names = [at('2026-06-30T08:00:00Z'), at('2026-06-10T08:00:00Z', 'pre-restore'), at('2026-06-10T07:00:00Z', 'pre-migration'), at('2026-06-10T06:00:00Z'), at('2026-05-20T08:00:00Z', 'pre-restore'), at('2026-05-20T09:00:00Z')];
    const { remove } = selectBackupsToKeep(names, NOW);
    expect(remove).toEqual([at('2026-06-10T06:00:00Z'), at('2026-05-20T08:00:00Z', 'pre-restore')]);
  });

  it('never deletes a file that is not a backup, and always keeps the newest (even one dated in the future by a wrong clock)', () => {
    const names = ['notes.txt', 'wardkeep.sqlite3', at('2030-01-01T00:00:00Z'), at('2020-01-01T00:00:00Z'), at('2019-01-01T00:00:00Z')];
    const { keep, remove } = selectBackupsToKeep(names, NOW, { ...DEFAULT_RETENTION, daily: 0, weekly: 0, monthly: 0 });
    expect(keep).toEqual([at('2030-01-01T00:00:00Z')]);
    expect(remove).not.toContain('notes.txt');
    expect(remove).not.toContain('wardkeep.sqlite3');
  });

  it('properties: keep and remove split the backups; at most one per day beyond the recent ones; bounded in number', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.date({ min: new Date('2024-01-01'), max: new Date('2026-06-30T12:00:00Z'), noInvalidDate: true }), fc.constantFrom(...BACKUP_REASONS)), { maxLength: 300 }),
        (entries) => {
          const names = [...new Set(entries.map(([d, r]) => backupFileName(d, r)))];
          const { keep, remove } = selectBackupsToKeep(names, NOW);
          expect([...keep, ...remove].sort()).toEqual([...names].sort());
          if (names.length > 0) expect(keep.length).toBeGreaterThan(0);
          const parsed = keep.map((n) => parseBackupFileName(n)!);
          const old = parsed.filter((b) => NOW.getTime() - b.at.getTime() > 48 * 3_600_000 && b.reason !== 'pre-migration' && b.reason !== 'pre-restore');
          expect(old.length).toBeLessThanOrEqual(1 + 7 + 4 + 12);
        },
      ),
    );
  });
});
