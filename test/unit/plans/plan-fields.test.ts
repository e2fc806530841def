import { describe, expect, it } from 'vitest';
import { placesOf } from '../../../main/core/due/service';
import type { Location } from '../../../shared/domain/location';
import { CompletionFields, PlanFields, PlanUpdate } from '../../../shared/domain/plan';

const ID = '01900000-0000-7000-8000-000000000001';

describe('plan fields as a person types them', () => {
  it('reads the interval text, defaults the mode to floating and leaves blank window and grace to the defaults', () => {
    expect(PlanFields.parse({ equipmentId: ID, task: ' calibration ', every: ' 6M ', startDate: '2025-01-31' })).toEqual({
      equipmentId: ID,
      task: 'calibration',
      every: { n: 6, unit: 'month' },
      mode: 'floating',
      startDate: '2025-01-31',
      windowDays: null,
      graceDays: null,
    });
    expect(PlanUpdate.parse({ id: ID, every: '2w', mode: 'fixed', startDate: '2024-02-29', windowDays: 3, graceDays: 0 })).toMatchObject({
      every: { n: 2, unit: 'week' },
      mode: 'fixed',
      windowDays: 3,
      graceDays: 0,
    });
  });

  it.each([
    [{ every: 'monthly' }, 'every'],
    [{ every: '0d' }, 'every'],
    [{ startDate: '2025-02-29' }, 'startDate'],
    [{ windowDays: -1 }, 'windowDays'],
    [{ graceDays: 1.5 }, 'graceDays'],
    [{ mode: 'weekly' }, 'mode'],
    [{ task: '' }, 'task'],
  ])('refuses %o, naming %s', (change, field) => {
    const res = PlanFields.safeParse({ equipmentId: ID, task: 'cleaning', every: '1w', startDate: '2025-01-01', ...change });
    expect(res.success).toBe(false);
    expect(res.error?.issues[0]?.path).toEqual([field]);
  });

  it('takes a completion instant with a zone, and nothing vaguer', () => {
    const base = { planId: ID, outcome: 'pass' };
    expect(CompletionFields.safeParse({ ...base, performedAt: '2025-11-25T09:30:00Z' }).success).toBe(true);
    expect(CompletionFields.safeParse({ ...base, performedAt: '2025-11-25T09:30:00.123+01:00' }).success).toBe(true);
    expect(CompletionFields.safeParse({ ...base, performedAt: '2025-11-25T09:30:00' }).success).toBe(false);
    expect(CompletionFields.safeParse({ ...base, performedAt: '2025-11-25' }).success).toBe(false);
    expect(CompletionFields.safeParse({ ...base, performedAt: '2025-11-25T09:30:00Z', outcome: 'passed' }).success).toBe(false);
  });
});

describe('where a location sits for the due list', () => {
  const loc = (id: string, parentId: string | null, name: string, kind: Location['kind'], path: string): Location => ({ id, parentId, name, kind, path });
  it('groups a room under its ward, a ward under itself, and a place on a site under the site', () => {
    const all = [
      loc('s', null, 'General Hospital', 'site', 'General Hospital'),
      loc('w', 's', 'Ward 4B', 'ward', 'General Hospital > Ward 4B'),
      loc('r', 'w', 'Bay 1', 'room', 'General Hospital > Ward 4B > Bay 1'),
    ];
    const places = placesOf(all);
    expect(places.get('r')).toEqual({ path: 'General Hospital > Ward 4B > Bay 1', rank: 2, wardId: 'w', wardPath: 'General Hospital > Ward 4B', ward: 'Ward 4B', room: 'Bay 1' });
    expect(places.get('w')).toMatchObject({ wardId: 'w', ward: 'Ward 4B', room: null });
    expect(places.get('s')).toMatchObject({ wardId: 's', wardPath: 'General Hospital', ward: null, room: null });
  });
});
