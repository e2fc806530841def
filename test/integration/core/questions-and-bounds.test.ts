import { describe, expect, it } from 'vitest';
import { formatDate } from '../../../shared/date-format';
import { loggingWorld, threePoints } from '../completions/fixture';
import { inInventorySince } from '../../helpers/records';

/**
 * The back end asks and refuses exactly what the screens ask and refuse (issue 15): implausible
 * dates need a confirmation, label counts outside the sheet are refused with a sentence, a device
 * never calibrated gets no calibration sticker, a procedure's names are unique and its tolerances
 * positive, and a due-date range cannot end before it starts.
 */
describe('questions and bounds the back end enforces', () => {
  it('asks about work logged more than 30 days back, saves it once confirmed, and lets a correction keep an old date', async () => {
    const w = await loggingWorld();
    // The pump has been in the inventory since before the work, and work this old says why it is entered now (issue 13).
    inInventorySince(w.core, w.pump.id, '1999-01-01');
    const result = threePoints([[10, null], [100, null], [500, null]], w.analyser.id, w.calibration.id);
    const input = { planId: w.pumpPlan.id, result, secret: '1357', performedAt: '1999-11-24T09:00:00Z', lateReason: 'From the paper log.' };
    const asked = await w.backend.invoke(w.tom, 'completions.log', input);
    expect(asked).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'performedAt' } });
    expect(!asked.ok && asked.error.message).toMatch(`Performed at is 9,863 days ago (${formatDate('1999-11-24', 'locale')}).`);
    expect(!asked.ok && asked.error.message).toContain('tick “The dates are right: save them as they are” and save again.');
    expect(w.count('completions')).toBe(1);

    const saved = await w.backend.invoke(w.tom, 'completions.log', { ...input, confirmDates: true });
    expect(saved).toMatchObject({ ok: true });
    // Correcting that old record keeps its day without being asked again.
    const id = saved.ok ? (saved.value as { id: string }).id : '';
    const amend = await w.backend.invoke(w.tom, 'completions.amend', { amendsId: id, reason: 'Wrong reading', result, secret: '1357', performedAt: '1999-11-24T09:00:00Z' });
    expect(amend).toMatchObject({ ok: true });
    // Ten days back is ordinary.
    expect(await w.backend.invoke(w.tom, 'completions.log', { ...input, performedAt: '2026-11-15T09:00:00Z' })).toMatchObject({ ok: true });
  });

  it('asks about a device in service in the future or before 1970, and on an edit only about the dates that change', async () => {
    const w = await loggingWorld();
    const fields = { assetTag: 'IP-9', name: 'Pump', locationId: w.site.id, inServiceOn: '2099-01-01', acquiredOn: '1926-05-01' };
    const asked = await w.backend.invoke(w.admin, 'equipment.create', fields);
    expect(asked).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'acquiredOn' } });
    const details = !asked.ok ? (asked.error.details ?? []) : [];
    expect(details.map((d) => d.field)).toEqual(['acquiredOn', 'inServiceOn']);
    expect(details[1]!.message).toMatch(/^In service since is in the future, 26,\d{3} days from today \(/);
    const created = await w.backend.invoke(w.admin, 'equipment.create', { ...fields, confirmDates: true });
    expect(created).toMatchObject({ ok: true, value: { inServiceOn: '2099-01-01' } });
    const id = created.ok ? (created.value as { id: string }).id : '';
    // Renaming it does not ask again about the dates it already has.
    expect(await w.backend.invoke(w.admin, 'equipment.update', { id, ...fields, name: 'Syringe pump' })).toMatchObject({ ok: true, value: { name: 'Syringe pump' } });
    expect(await w.backend.invoke(w.admin, 'equipment.update', { id, ...fields, warrantyUntil: '2090-01-01' })).toMatchObject({
      ok: false,
      error: { field: 'warrantyUntil' },
    });
  });

  it('refuses labels already used outside the sheet with a sentence naming the field, and a roll any', async () => {
    const w = await loggingWorld();
    const base = { equipmentIds: [w.analyser.id], stock: 'a4-3x8', symbology: 'code128' };
    expect(await w.backend.invoke(w.admin, 'reports.stickers', { ...base, skip: 24 })).toEqual({
      ok: false,
      error: { code: 'invalid_input', field: 'skip', message: 'Labels already used must be at most 23: the sheet holds 24 labels.' },
    });
    expect(await w.backend.invoke(w.admin, 'reports.stickers', { ...base, skip: -3 })).toMatchObject({
      ok: false,
      error: { field: 'skip', message: 'Labels already used must be 0 or more.' },
    });
    expect(await w.backend.invoke(w.admin, 'reports.stickers', { ...base, stock: 'roll-62x29', skip: 2 })).toMatchObject({ ok: false, error: { field: 'skip' } });
    expect(await w.backend.invoke(w.admin, 'reports.stickers', { ...base, skip: 23 })).toMatchObject({ ok: true, value: { skip: 23 } });
  });

  it('names a chosen device that was never calibrated instead of printing "Calibrated —"', async () => {
    const w = await loggingWorld();
    const pump = await w.call('equipment.create', { assetTag: 'IP-2', name: 'Infusion pump', locationId: w.site.id });
    await w.call('plans.create', { equipmentId: pump.id, task: 'calibration', every: '1y', startDate: '2026-12-20' });
    const res = await w.backend.invoke(w.admin, 'reports.stickers', { equipmentIds: [w.analyser.id, pump.id], stock: 'a4-3x8', symbology: 'qr' });
    // The new pump's calibration is not due yet and was never done: no sticker can say when it was calibrated.
    expect(res).toEqual({
      ok: false,
      error: {
        code: 'invalid_input',
        field: 'equipmentIds',
        message: 'IP-2 Infusion pump has no calibration on record, so there is no calibration sticker to print: remove it from the list.',
      },
    });
  });

  it('refuses a zero tolerance and two points of one name, all problems at once', async () => {
    const w = await loggingWorld();
    const res = await w.backend.invoke(w.admin, 'procedures.save', {
      owner: { kind: 'category', categoryId: w.pumps.id },
      task: 'calibration',
      definition: {
        kind: 'measurements',
        points: [
          { label: 'Flow', unit: 'ml/h', nominal: 10, toleranceKind: 'percent', tolerance: 0 },
          { label: ' flow ', unit: 'ml/h', nominal: 100, toleranceKind: 'percent', tolerance: 5 },
          { label: '', unit: 'ml/h', nominal: 100, toleranceKind: 'percent', tolerance: -1 },
        ],
      },
    });
    expect(res.ok).toBe(false);
    const details = !res.ok ? (res.error.details ?? []) : [];
    expect(details).toEqual(
      expect.arrayContaining([
        { field: 'definition.points.0.tolerance', message: 'Point 1 tolerance must be more than 0.' },
        { field: 'definition.points.1.label', message: "Point 2 name is the same as point 1's: give each a name of its own." },
        { field: 'definition.points.2.label', message: 'Point 3 name is required.' },
        { field: 'definition.points.2.tolerance', message: 'Point 3 tolerance must be more than 0.' },
      ]),
    );
  });

  it('refuses a due-date range that ends before it starts', async () => {
    const w = await loggingWorld();
    expect(await w.backend.invoke(w.tom, 'reports.dueList', { dueOnOrAfter: '2026-12-10', dueOnOrBefore: '2026-12-01' })).toMatchObject({
      ok: false,
      error: { field: 'dueOnOrBefore', message: 'Due to must be on or after the first day of the range.' },
    });
  });
});
