import { describe, expect, it } from 'vitest';
import { CHANNEL_NAMES, contract } from '../../../shared/contract';
import { isAffected, READS, topicsWritten, WRITES } from '../../../renderer/src/lib/invalidation';

describe("the renderer's invalidation map", () => {
  it('lists every write channel among the writes and every read channel among the reads, and nothing else', () => {
    const writes = CHANNEL_NAMES.filter((c) => contract[c].writes);
    const reads = CHANNEL_NAMES.filter((c) => !contract[c].writes);
    expect(Object.keys(WRITES).sort()).toEqual([...writes].sort());
    expect(Object.keys(READS).sort()).toEqual([...reads].sort());
  });

  it('re-reads what a write changes and nothing it does not', () => {
    const review = topicsWritten('completions.review');
    expect(isAffected('completions.history', review)).toBe(true);
    expect(isAffected('equipment.get', review)).toBe(false);
    expect(isAffected('settings.get', review)).toBe(false);
    const logged = topicsWritten('completions.log');
    // A failed calibration takes the device out of service, and its supplies come off the shelf.
    for (const read of ['equipment.get', 'plans.list', 'due.today', 'stock.locations.get', 'equipment.search'] as const) expect(isAffected(read, logged)).toBe(true);
    expect(isAffected('procedures.forCategory', logged)).toBe(false);
    expect(isAffected('users.list', logged)).toBe(false);
    expect(isAffected('settings.get', topicsWritten('settings.update'))).toBe(true);
    expect(isAffected('reports.dueList', topicsWritten('settings.update'))).toBe(true);
    // A device's plans come with main's sentences ("… overdue (due 12/03/2026)"): a new date format re-reads them.
    expect(isAffected('plans.list', topicsWritten('settings.update'))).toBe(true);
  });

  it('makes every query stale on a change it does not know (the day changing, the PC waking)', () => {
    expect(topicsWritten('day.changed')).toBeNull();
    expect(isAffected('taskTypes.list', topicsWritten('system.resume'))).toBe(true);
    expect(isAffected('app.health', topicsWritten('app.health'))).toBe(true);
    expect(isAffected('equipment.get', topicsWritten('app.health'))).toBe(false);
  });

  it('re-reads everything when rows arrive from the hub, and what a resolved conflict changed', () => {
    // The background sync says 'sync' when it applied rows from other PCs: any screen may show them.
    expect(topicsWritten('sync')).toBeNull();
    expect(isAffected('due.today', topicsWritten('sync'))).toBe(true);
    const resolved = topicsWritten('sync.resolveConflict');
    for (const read of ['equipment.get', 'due.today', 'sync.conflicts', 'sync.status'] as const) expect(isAffected(read, resolved)).toBe(true);
    // An ordinary write does not re-read the sync status (it is read on a timer on a PC in a hub).
    expect(isAffected('sync.status', topicsWritten('plans.update'))).toBe(false);
  });
});
