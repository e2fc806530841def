import { describe, expect, it } from 'vitest';
import { inInventorySince, seedRecord } from '../../helpers/records';
import { loggingWorld, threePoints } from './fixture';

/**
 * The reference standard used in a calibration (docs/records.md): its own calibration must be
 * current on the day the work was done. The record form's picker judges it on the day typed in
 * "Performed on" (`log.referenceStandards`), the same way main flags the record when it is signed.
 */

describe('a reference standard never calibrated', () => {
  it('is not in calibration and the record is flagged: a calibration plan alone is not a calibration', async () => {
    const w = await loggingWorld();
    // A new analyser, bought today, on a yearly calibration plan starting today: no calibration on record.
    const fresh = await w.call('equipment.create', { assetTag: 'REF-2', name: 'New flow analyser', locationId: w.site.id, referenceStandard: true });
    await w.call('plans.create', { equipmentId: fresh.id, task: 'calibration', every: '1y', startDate: '2026-11-25' });
    const form = await w.as(w.tom)('log.form', { planId: w.pumpPlan.id });
    expect(form.referenceStandards.find((r) => r.assetTag === 'REF-2')).toMatchObject({ current: false, notCurrentBecause: 'never_calibrated' });
    const record = await w.as(w.tom)('completions.log', {
      planId: w.pumpPlan.id,
      result: threePoints([[10, null], [100, null], [500, null]], fresh.id, w.calibration.id),
      secret: '1357',
    });
    expect(record.reference).toMatchObject({ assetTag: 'REF-2', notCurrent: true });
  });

  it('counts as calibrated from the "last done" given when it arrived, on and after that day only', async () => {
    const w = await loggingWorld();
    const kit = await w.call('categories.create', { name: 'Test equipment' });
    await w.call('categoryPlans.add', { categoryId: kit.id, task: 'calibration', every: '1y' });
    const meter = await w.call('equipment.create', {
      assetTag: 'REF-3',
      name: 'Pressure meter',
      locationId: w.site.id,
      categoryId: kit.id,
      referenceStandard: true,
      lastDone: { calibration: '2026-03-15' },
    });
    const on = async (asOf: string) => (await w.as(w.tom)('log.referenceStandards', { asOf })).find((r) => r.id === meter.id);
    expect(await on('2026-11-25')).toMatchObject({ current: true, notCurrentBecause: null, calibrationNextDue: '2027-03-15' });
    expect(await on('2026-03-01')).toMatchObject({ current: false, notCurrentBecause: 'never_calibrated' });
  });
});

describe('the reference standards for the record form, on the day the work was done', () => {
  /** REF-9: calibrated yearly; its calibration ran out on 2026-10-20 and it was calibrated again on 2026-11-24. */
  async function lapsedThenRecalibrated() {
    const w = await loggingWorld();
    const ref = await w.call('equipment.create', { assetTag: 'REF-9', name: 'Pressure meter', locationId: w.site.id, referenceStandard: true });
    const plan = await w.call('plans.create', { equipmentId: ref.id, task: 'calibration', every: '1y', startDate: '2025-10-20' });
    seedRecord(w.core, plan.id, '2025-10-20T09:00:00Z');
    seedRecord(w.core, plan.id, '2026-11-24T09:00:00Z');
    inInventorySince(w.core, w.pump.id, '2026-01-01');
    return { ...w, ref };
  }

  it('judges each on the day asked: out of calibration on a day it was overdue, current today', async () => {
    const w = await lapsedThenRecalibrated();
    const on = async (asOf: string) => (await w.as(w.tom)('log.referenceStandards', { asOf })).find((r) => r.id === w.ref.id);
    expect(await on('2026-11-23')).toMatchObject({ current: false, notCurrentBecause: 'overdue', calibrationNextDue: '2026-10-20' });
    expect(await on('2026-11-25')).toMatchObject({ current: true, notCurrentBecause: null, calibrationNextDue: '2027-11-24' });
    // The form opens on today.
    const form = await w.as(w.tom)('log.form', { planId: w.pumpPlan.id });
    expect({ on: form.referenceStandardsOn, ref: form.referenceStandards.find((r) => r.id === w.ref.id)?.current }).toEqual({ on: '2026-11-25', ref: true });
  });

  it('agrees with the flag the record gets when the work was done on such a day', async () => {
    const w = await lapsedThenRecalibrated();
    const shown = (await w.as(w.tom)('log.referenceStandards', { asOf: '2026-11-23' })).find((r) => r.id === w.ref.id);
    const record = await w.as(w.tom)('completions.log', {
      planId: w.pumpPlan.id,
      performedAt: '2026-11-23T09:00:00Z',
      result: threePoints([[10, null], [100, null], [500, null]], w.ref.id, w.calibration.id),
      secret: '1357',
    });
    expect({ shownCurrent: shown?.current, flagged: record.reference?.notCurrent }).toEqual({ shownCurrent: false, flagged: true });
  });

  it('opens a correction judged on the original\'s day', async () => {
    const w = await lapsedThenRecalibrated();
    const original = await w.as(w.tom)('completions.log', {
      planId: w.pumpPlan.id,
      performedAt: '2026-11-23T09:00:00Z',
      result: threePoints([[10, null], [100, null], [500, null]], w.ref.id, w.calibration.id),
      secret: '1357',
    });
    const form = await w.as(w.tom)('log.form', { planId: w.pumpPlan.id, amendsId: original.id });
    expect({ on: form.referenceStandardsOn, ref: form.referenceStandards.find((r) => r.id === w.ref.id)?.current }).toEqual({ on: '2026-11-23', ref: false });
  });

  it('refuses a day that is not a date, naming the field', async () => {
    const w = await loggingWorld();
    const res = await w.backend.invoke(w.tom, 'log.referenceStandards', { asOf: '23/11/2026' });
    expect(res).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'asOf' } });
  });
});

describe('a reference standard whose status changed after the work was done', () => {
  const fine = (w: Awaited<ReturnType<typeof loggingWorld>>) => threePoints([[10, null], [100, null], [500, null]], w.analyser.id, w.calibration.id);
  /** Two days on: the clock at 2026-11-27, everyone still signed in. */
  const twoDaysOn = (w: Awaited<ReturnType<typeof loggingWorld>>) => {
    w.clock.set('2026-11-27T10:00:00Z');
    w.tom.lastActivityMs = w.admin.lastActivityMs = w.clock.now().getTime();
  };

  it('was in service on the days before it was taken out: work of then, entered late, is not flagged; work of today is', async () => {
    const w = await loggingWorld();
    twoDaysOn(w);
    await w.call('equipment.setStatus', { id: w.analyser.id, status: 'out_of_service', reason: 'Dropped on the bench' });
    const on = async (asOf: string) => (await w.as(w.tom)('log.referenceStandards', { asOf })).find((r) => r.id === w.analyser.id);
    expect(await on('2026-11-25')).toMatchObject({ current: true, notCurrentBecause: null });
    expect(await on('2026-11-27')).toMatchObject({ current: false, notCurrentBecause: 'not_in_service' });
    const then = await w.as(w.tom)('completions.log', { planId: w.pumpPlan.id, performedAt: '2026-11-25T09:00:00Z', result: fine(w), secret: '1357' });
    expect(then.reference).toMatchObject({ assetTag: 'REF-1', notCurrent: false });
    const today = await w.as(w.tom)('completions.log', { planId: w.pumpPlan.id, performedAt: '2026-11-27T09:00:00Z', result: fine(w), secret: '1357' });
    expect(today.reference).toMatchObject({ assetTag: 'REF-1', notCurrent: true });
  });

  it('retired since: a correction of the note is offered it and keeps it, not flagged "NOT in calibration"', async () => {
    const w = await loggingWorld();
    const record = await w.as(w.tom)('completions.log', { planId: w.pumpPlan.id, performedAt: '2026-11-25T09:00:00Z', result: fine(w), secret: '1357' });
    expect(record.reference).toMatchObject({ notCurrent: false });
    twoDaysOn(w);
    await w.call('equipment.setStatus', { id: w.analyser.id, status: 'retired', reason: 'Replaced by REF-2' });
    const form = await w.as(w.tom)('log.form', { planId: w.pumpPlan.id, amendsId: record.id });
    expect(form.referenceStandards.find((r) => r.id === w.analyser.id)).toMatchObject({ assetTag: 'REF-1', current: true });
    // New work does not offer it.
    expect((await w.as(w.tom)('log.form', { planId: w.pumpPlan.id })).referenceStandards.map((r) => r.assetTag)).not.toContain('REF-1');
    const corrected = await w.as(w.tom)('completions.amend', { amendsId: record.id, reason: 'Typo in the note', notes: 'Flow checked', result: fine(w), secret: '1357' });
    expect(corrected.reference).toMatchObject({ assetTag: 'REF-1', notCurrent: false });
  });

  it('retired since: a correction whose day is changed is still offered the standard its original was signed with, judged on the new day; new work is not', async () => {
    const w = await loggingWorld();
    const record = await w.as(w.tom)('completions.log', { planId: w.pumpPlan.id, performedAt: '2026-11-25T09:00:00Z', result: fine(w), secret: '1357' });
    twoDaysOn(w);
    await w.call('equipment.setStatus', { id: w.analyser.id, status: 'retired', reason: 'Replaced by REF-2' });
    // The correction form asks again for the day typed in "Performed on" (the work was the day before).
    const onDay = await w.as(w.tom)('log.referenceStandards', { asOf: '2026-11-24', amendsId: record.id });
    expect(onDay.find((r) => r.id === w.analyser.id)).toMatchObject({ assetTag: 'REF-1', current: true });
    expect((await w.as(w.tom)('log.referenceStandards', { asOf: '2026-11-24' })).map((r) => r.assetTag)).not.toContain('REF-1');
    expect((await w.as(w.tom)('log.form', { planId: w.pumpPlan.id, amendsId: record.id })).amendsId).toBe(record.id);
  });

  it('no longer marked as a reference standard: a correction keeps the standard the work was done with; new work may not use it', async () => {
    const w = await loggingWorld();
    const record = await w.as(w.tom)('completions.log', { planId: w.pumpPlan.id, performedAt: '2026-11-25T09:00:00Z', result: fine(w), secret: '1357' });
    await w.call('equipment.update', { id: w.analyser.id, assetTag: 'REF-1', name: 'Flow analyser', locationId: w.site.id, referenceStandard: false });
    const form = await w.as(w.tom)('log.form', { planId: w.pumpPlan.id, amendsId: record.id });
    expect(form.referenceStandards.map((r) => r.assetTag)).toContain('REF-1');
    const corrected = await w.as(w.tom)('completions.amend', { amendsId: record.id, reason: 'Typo in the note', notes: 'Flow checked', result: fine(w), secret: '1357' });
    expect(corrected).toMatchObject({ reference: { assetTag: 'REF-1', notCurrent: false }, amendsId: record.id });
    const fresh = await w.backend.invoke(w.tom, 'completions.log', { planId: w.pumpPlan.id, result: fine(w), secret: '1357' });
    expect(fresh).toMatchObject({ ok: false, error: { field: 'result.referenceEquipmentId', message: 'Choose the reference standard from the list: it must be equipment marked as a reference standard.' } });
  });
});
