import { describe, expect, it } from 'vitest';
import { loggingWorld } from './fixture';

/** The definition rules of points and checks (docs/records.md), and a limit that is negative, met exactly. */
describe('procedure definitions', () => {
  it('refuse two points with the same name, whatever its case', async () => {
    const w = await loggingWorld();
    const res = await w.backend.invoke(w.admin, 'procedures.save', {
      owner: { kind: 'category', categoryId: w.pumps.id },
      task: 'calibration',
      definition: {
        kind: 'measurements',
        points: [
          { label: 'Flow', unit: 'ml/h', nominal: 10, toleranceKind: 'percent', tolerance: 5 },
          { label: 'flow', unit: 'ml/h', nominal: 100, toleranceKind: 'percent', tolerance: 5 },
        ],
      },
    });
    expect(res).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('refuse a check whose minimum is above its maximum; a negative range met exactly on its limit is a pass', async () => {
    const w = await loggingWorld();
    const bad = await w.backend.invoke(w.admin, 'procedures.save', {
      owner: { kind: 'category', categoryId: w.pumps.id },
      task: 'electrical_safety',
      definition: { kind: 'safety', checks: [{ label: 'Leakage', unit: 'µA', min: 5, max: 1 }] },
    });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const checks = await w.call('procedures.save', {
      owner: { kind: 'category', categoryId: w.pumps.id },
      task: 'electrical_safety',
      definition: { kind: 'safety', checks: [{ label: 'Offset', unit: 'mV', min: -4.5, max: -0.5 }] },
    });
    const plan = await w.call('plans.create', { equipmentId: w.pump.id, task: 'electrical_safety', every: '1y', startDate: '2026-11-20' });
    const atLimit = await w.as(w.tom)('completions.log', {
      planId: plan.id,
      result: { kind: 'safety', procedureId: checks.id, referenceEquipmentId: null, readings: [{ value: -4.5 }] },
      secret: '1357',
    });
    expect(atLimit.outcome).toBe('pass');
  });
});
