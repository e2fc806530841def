import { describe, expect, it } from 'vitest';
import { formatHlc } from '../../../main/core/sync/hlc';
import type { Change } from '../../../main/core/sync/protocol';
import { changeProblem } from '../../../main/hub/validate';

const now = Date.parse('2025-03-01T10:00:00Z');
const change = (tbl: string, data: Record<string, unknown>, op: Change['op'] = 'update', pk = '["k"]'): Change => ({
  seq: 1,
  hlc: formatHlc({ wall: now, counter: 0, node: 'pc' }),
  tbl,
  pk,
  op,
  data,
  base: null,
});

/** A record as a PC sends it (a permanent row: inserted whole). */
const record = {
  equipment_id: 'e',
  task: 'cleaning',
  performed_at: '2025-03-01T10:00:00.000Z',
  performed_on: '2025-03-01',
  outcome: 'pass',
  details: '{}',
  reference_not_current: 0,
  performed_by_name: 'Sam',
  source: 'app',
  created_at: '2025-03-01T10:00:00.000Z',
  pc_id: 'pc',
};
const recordWith = (fields: Record<string, unknown>) => change('completions', { ...record, ...fields }, 'insert');

describe("the hub refuses what a PC's CHECK constraints would (main/core/migrations)", () => {
  it.each([
    [recordWith({ performed_on: '2025-3-1' }), 'performed_on must be a date written YYYY-MM-DD, not "2025-3-1"'],
    [recordWith({ performed_at: '2025-03-01 10:00' }), 'performed_at must be a time written YYYY-MM-DDTHH:MM:SSZ, not "2025-03-01 10:00"'],
    [recordWith({ details: '{not json' }), 'details must be JSON text'],
    [recordWith({ minutes_spent: -5 }), 'minutes_spent must be 0 or more, not -5'],
    [recordWith({ amends_id: 'c' }), 'completions row: amends_id and amend_reason must be set together'],
    [recordWith({ equipment_id: null }), 'completions row: exactly one of equipment_id and stock_location_id must be set'],
    [change('equipment', { warranty_until: 'soon' }), 'warranty_until must be a date written YYYY-MM-DD, not "soon"'],
    [change('equipment', { manual_overrides: '' }), 'manual_overrides must be a JSON list of text values, such as ["…"], not ""'],
    [change('plans', { interval_n: 0 }), 'interval_n must be 1 or more, not 0'],
    [change('settings', { value: 'plain words' }), 'value must be JSON text'],
    [change('work_orders', { cost_cents: -1 }), 'cost_cents must be 0 or more, not -1'],
    [change('plans', { equipment_id: 'e', stock_location_id: 's' }), 'plans row: exactly one of equipment_id and stock_location_id must be set'],
    [change('plans', { equipment_id: 'e' }), 'equipment_id and stock_location_id are set together'],
    [change('stock_levels', { par: 2, minimum: 3 }, 'update', '["a","b"]'), 'stock_levels row: minimum must not be above par'],
    // A key spelt otherwise than the PCs write it would be another row at the hub (its unique index): refused.
    [change('stock_levels', { par: 3, minimum: 3 }, 'update', '["a", "b"]'), 'its key ["a", "b"] is not written as Wardkeep writes keys (["a","b"]), so the hub cannot tell which row it is'],
  ])('%j: %s', (c, reason) => {
    expect(changeProblem(c, now)).toBe(reason);
  });

  it('takes the values the PCs write', () => {
    expect(changeProblem(recordWith({}), now)).toBeNull();
    expect(changeProblem(recordWith({ amends_id: 'c', amend_reason: 'Typo' }), now)).toBeNull();
    expect(changeProblem(change('equipment', { acquired_on: null, created_at: '2025-03-01T10:00:00.000Z', manual_overrides: '[]' }), now)).toBeNull();
    expect(changeProblem(change('stock_levels', { par: 3, minimum: 3 }, 'update', '["a","b"]'), now)).toBeNull();
    expect(changeProblem(change('plans', { equipment_id: null, stock_location_id: 's' }), now)).toBeNull();
  });
});
