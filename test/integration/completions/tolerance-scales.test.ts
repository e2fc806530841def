import { describe, expect, it } from 'vitest';
import { loggingWorld } from '../completions/fixture';
import { pointLimits, withinLimits } from '../../../shared/tolerance';

describe('tolerances at every scale, and procedures refused with a sentence', () => {
  it('a 47 nF ± 5 % point: a reading of 50 nF (6.4 % high) is out of tolerance', async () => {
    const w = await loggingWorld();
    const v2 = await w.call('procedures.save', {
      owner: { kind: 'category', categoryId: w.pumps.id },
      task: 'calibration',
      definition: { kind: 'measurements', points: [{ label: 'Capacitance', unit: 'F', nominal: 0.000000047, toleranceKind: 'percent', tolerance: 5 }] },
    });
    const record = await w.as(w.tom)('completions.log', {
      planId: w.pumpPlan.id,
      result: { kind: 'measurements', procedureId: v2.id, referenceEquipmentId: w.analyser.id, readings: [{ asFound: 0.00000005, asLeft: null }] },
      secret: '1357',
    });
    expect(record.readings[0]).toMatchObject({ foundIn: false });
    expect(record.outcome).toBe('fail');
  });

  it('a safety check at most 0.0001 A: 0.0001009 A (0.9 % over) is out', () => {
    expect(withinLimits(0.0001009, { low: null, high: 0.0001 })).toBe(false);
    // the boundary itself and 0.1 + 0.2 stay inclusive
    expect(withinLimits(0.0001, { low: null, high: 0.0001 })).toBe(true);
    expect(withinLimits(0.1 + 0.2, { low: null, high: 0.3 })).toBe(true);
    expect(withinLimits(0.3, pointLimits({ nominal: 0.2, toleranceKind: 'absolute', tolerance: 0.1 }))).toBe(true);
  });

  it('a percentage tolerance of a nominal of 0 is refused, naming the field (a zero-width band, like a tolerance of 0)', async () => {
    const w = await loggingWorld();
    const res = await w.backend.invoke(w.admin, 'procedures.save', {
      owner: { kind: 'category', categoryId: w.pumps.id },
      task: 'calibration',
      definition: { kind: 'measurements', points: [{ label: 'Zero offset', unit: 'mmHg', nominal: 0, toleranceKind: 'percent', tolerance: 5 }] },
    });
    expect(res).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'definition.points.0.tolerance' } });
    expect(!res.ok && res.error.message).toMatch(/cannot be a percentage of a nominal of 0/);
  });

  it('negative nominal with percent, min > max, only upper, blank step, zero steps, wrong form', async () => {
    const w = await loggingWorld();
    expect(pointLimits({ nominal: -100, toleranceKind: 'percent', tolerance: 5 })).toEqual({ low: -105, high: -95 });
    const save = (task: string, definition: unknown) =>
      w.backend.invoke(w.admin, 'procedures.save', { owner: { kind: 'category', categoryId: w.pumps.id }, task, definition } as never);
    const minMax = await save('electrical_safety', { kind: 'safety', checks: [{ label: 'Leak', unit: 'mA', min: 5, max: 1 }] });
    expect(minMax).toMatchObject({ ok: false });
    const neither = await save('electrical_safety', { kind: 'safety', checks: [{ label: 'Leak', unit: 'mA', min: null, max: null }] });
    expect(neither).toMatchObject({ ok: false });
    const upper = await save('electrical_safety', { kind: 'safety', checks: [{ label: 'Earth', unit: 'Ω', min: null, max: 0.2 }] });
    expect(upper).toMatchObject({ ok: true });
    const blank = await save('inspection', { kind: 'checklist', steps: [{ text: 'Casing' }, { text: '   ' }] });
    expect(blank).toMatchObject({ ok: false });
    const zero = await save('inspection', { kind: 'checklist', steps: [] });
    expect(zero).toMatchObject({ ok: false });
    const wrong = await save('cleaning', { kind: 'checklist', steps: [{ text: 'Wipe' }] });
    expect(wrong).toMatchObject({ ok: false });
    const noTol = await save('calibration', { kind: 'measurements', points: [{ label: 'P', unit: 'ml/h', nominal: 10, toleranceKind: 'absolute' }] });
    expect(noTol).toMatchObject({ ok: false });
  });

  it('editing a procedure after a record keeps the old record on its version', async () => {
    const w = await loggingWorld();
    const record = await w.as(w.tom)('completions.log', {
      planId: w.pumpPlan.id,
      result: { kind: 'measurements', procedureId: w.calibration.id, referenceEquipmentId: w.analyser.id, readings: [{ asFound: 10, asLeft: null }, { asFound: 100, asLeft: null }, { asFound: 500, asLeft: null }] },
      secret: '1357',
    });
    await w.call('procedures.save', {
      owner: { kind: 'category', categoryId: w.pumps.id },
      task: 'calibration',
      definition: { kind: 'measurements', points: [{ label: 'Flow 10 ml/h', unit: 'ml/h', nominal: 20, toleranceKind: 'percent', tolerance: 1 }] },
    });
    const again = await w.call('completions.get', { id: record.id } as never);
    expect(again).toMatchObject({ procedure: { version: 1 }, outcome: 'pass' });
    expect((again as typeof record).readings.length).toBe(3);
  });
});
