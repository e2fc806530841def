import { describe, expect, it } from 'vitest';
import { recordCompletion } from '../../../main/core/completions/record';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { checkPermanentRows } from '../../../main/core/permanent/check';
import { loggingWorld, threePoints } from './fixture';

/**
 * Corrections of records (docs/records.md, "Records are permanent" and "When a record was
 * entered"): a correction is a new record that keeps when the work was first entered, may correct
 * imported paper history, and may correct unplanned work of a task type since taken out of use.
 */

const importer = { userId: null, name: 'wardkeep import history', role: null, via: 'cli' as const };

/** Paper history brought in by `wardkeep import history` (the same write the CLI makes), dated before IP-1 came to Wardkeep. */
function importedCalibration(w: Awaited<ReturnType<typeof loggingWorld>>, performedAt = '2026-06-01T09:00:00Z') {
  return inTransaction(w.core, (core) =>
    recordCompletion(core, importer, {
      planId: w.pumpPlan.id,
      performedAt,
      outcome: 'pass',
      performedByName: 'J. Okafor',
      notes: 'Calibrated at 100 ml/h',
      source: 'import',
    }),
  );
}

describe('correcting imported paper history, dated before the device came to Wardkeep', () => {
  it('is accepted when the correction keeps the paper date', async () => {
    const w = await loggingWorld();
    const imported = importedCalibration(w);
    const res = await w.backend.invoke(w.admin, 'completions.amend', {
      amendsId: imported.id,
      reason: 'Paper form says it failed at 100 ml/h: typed wrong at import',
      result: { kind: 'not_done', reason: 'other', explanation: 'Failed at 100 ml/h; sent for repair' },
      secret: '2468',
    });
    expect(res).toMatchObject({ ok: true, value: { amendsId: imported.id, performedOn: '2026-06-01', performedByName: 'J. Okafor', outcome: 'not_done_other' } });
    const history = await w.call('completions.history', { equipmentId: w.pump.id });
    expect(history.find((r) => r.id === imported.id)).toMatchObject({ amendedById: res.ok ? res.value.id : '' });
  });

  it('is accepted when the correction fixes the paper date itself (imported history is all from before)', async () => {
    const w = await loggingWorld();
    const imported = importedCalibration(w);
    const res = await w.backend.invoke(w.admin, 'completions.amend', {
      amendsId: imported.id,
      reason: 'Paper form is dated 10 June, and says it failed',
      result: { kind: 'not_done', reason: 'other', explanation: 'Failed at 100 ml/h; sent for repair' },
      performedAt: '2026-06-10T09:00:00Z',
      confirmDates: true,
      secret: '2468',
    });
    expect(res).toMatchObject({ ok: true, value: { performedOn: '2026-06-10' } });
  });

  it('still refuses a correction of work logged in Wardkeep that moves it to a day before the device was added', async () => {
    const w = await loggingWorld();
    const logged = await w.as(w.tom)('completions.log', { planId: w.pumpPlan.id, result: { kind: 'not_done', reason: 'in_use', explanation: null }, secret: '1357' });
    const res = await w.backend.invoke(w.tom, 'completions.amend', {
      amendsId: logged.id,
      reason: 'Wrong day',
      result: { kind: 'not_done', reason: 'in_use', explanation: null },
      performedAt: '2026-06-01T09:00:00Z',
      confirmDates: true,
      secret: '1357',
    });
    expect(res).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'performedAt' } });
    if (!res.ok) expect(res.error.message).toMatch(/before IP-1 was added to the inventory/);
  });
});

describe('a correction keeps when the work was first entered', () => {
  async function onTimeThenCorrected() {
    const w = await loggingWorld();
    const plan = await w.call('plans.create', { equipmentId: w.pump.id, task: 'electrical_safety', every: '1y', startDate: '2026-11-25' });
    // Done and signed on the due day, on time.
    const onTime = await w.as(w.tom)('completions.log', { planId: plan.id, result: { kind: 'outcome', outcome: 'pass' }, notes: 'Analyser SN 1234', secret: '1357' });
    // A week later the supervisor corrects a typo in the notes.
    w.clock.set('2026-12-02T10:00:00Z');
    await w.as(w.admin)('auth.signIn', { name: 'Ada Admin', secret: '2468' });
    return { w, plan, onTime };
  }

  it('a note corrected a week later does not make on-time work "entered late" (history, compliance report, high-risk exceptions)', async () => {
    const { w, onTime } = await onTimeThenCorrected();
    expect(onTime.enteredLateOn).toBeNull();
    const fixed = await w.as(w.admin)('completions.amend', {
      amendsId: onTime.id,
      reason: 'Analyser serial number mistyped',
      result: { kind: 'outcome', outcome: 'pass' },
      notes: 'Analyser SN 1243',
      secret: '2468',
    });
    expect(fixed).toMatchObject({ performedOn: '2026-11-25', enteredLateOn: null, enteredAt: onTime.enteredAt, notes: 'Analyser SN 1243' });
    // When the correction itself was made is kept beside it.
    expect(fixed.createdAt).toBe('2026-12-02T10:00:00.000Z');
    const shown = (await w.call('completions.history', { equipmentId: w.pump.id })).find((r) => r.id === fixed.id);
    expect(shown).toMatchObject({ enteredLateOn: null });
    const doc = await w.call('reports.compliance', { from: '2026-11-01', to: '2026-12-31' });
    expect(doc.report.total.enteredLate).toBe(0);
    expect(doc.report.highRisk.exceptions.filter((x) => x.task === 'electrical_safety')).toEqual([]);
    // The stored value is the one the audit trail holds (`wardkeep verify` checks every record against its entry).
    expect(checkPermanentRows(w.core.db).findings).toEqual([]);
  });

  it('a correction moving the work back days shows how late it was really entered', async () => {
    const w = await loggingWorld();
    const plan = await w.call('plans.create', { equipmentId: w.pump.id, task: 'electrical_safety', every: '1y', startDate: '2026-11-30' });
    // Logged on 30 November as done that day; the test was in fact done on the 26th.
    w.clock.set('2026-11-30T10:00:00Z');
    await w.as(w.tom)('auth.signIn', { name: 'Tom Tech', secret: '1357' });
    const logged = await w.as(w.tom)('completions.log', { planId: plan.id, result: { kind: 'outcome', outcome: 'pass' }, secret: '1357' });
    expect(logged.enteredLateOn).toBeNull();
    w.clock.set('2026-12-09T10:00:00Z');
    await w.as(w.tom)('auth.signIn', { name: 'Tom Tech', secret: '1357' });
    const moved = await w.as(w.tom)('completions.amend', {
      amendsId: logged.id,
      reason: 'The test was done on the 26th; logged on the wrong day',
      result: { kind: 'outcome', outcome: 'pass' },
      performedAt: '2026-11-26T10:00:00Z',
      secret: '1357',
    });
    expect(moved).toMatchObject({ performedOn: '2026-11-26', enteredLateOn: '2026-11-30', enteredAt: logged.enteredAt });
    expect(checkPermanentRows(w.core.db).findings).toEqual([]);
  });

  it('a correction of a correction still keeps the first entry', async () => {
    const { w, onTime } = await onTimeThenCorrected();
    const first = await w.as(w.admin)('completions.amend', { amendsId: onTime.id, reason: 'Typo', result: { kind: 'outcome', outcome: 'pass' }, notes: 'SN 1243', secret: '2468' });
    w.clock.set('2026-12-09T10:00:00Z');
    await w.as(w.admin)('auth.signIn', { name: 'Ada Admin', secret: '2468' });
    const second = await w.as(w.admin)('completions.amend', { amendsId: first.id, reason: 'Typo again', result: { kind: 'outcome', outcome: 'pass' }, notes: 'SN 1234', secret: '2468' });
    expect(second).toMatchObject({ enteredAt: onTime.enteredAt, enteredLateOn: null });
  });
});

describe('a correction of imported history', () => {
  it('is the first signed entry of the work: the rest of the import still counts for the due date', async () => {
    const w = await loggingWorld();
    // One import of two paper records; the plan has no record signed in the app yet.
    const older = importedCalibration(w, '2025-11-01T09:00:00Z');
    importedCalibration(w, '2026-06-01T09:00:00Z');
    expect((await w.call('plans.list', { equipmentId: w.pump.id })).plans[0]).toMatchObject({ nextDue: '2027-06-01' });
    w.clock.set('2026-11-26T10:00:00Z');
    await w.as(w.admin)('auth.signIn', { name: 'Ada Admin', secret: '2468' });
    const fixed = await w.as(w.admin)('completions.amend', {
      amendsId: older.id,
      reason: 'Paper form says it was not done: in use',
      result: { kind: 'not_done', reason: 'in_use', explanation: null },
      secret: '2468',
    });
    expect(fixed).toMatchObject({ source: 'app', enteredAt: '2026-11-26T10:00:00.000Z', enteredLateOn: '2026-11-26' });
    // Imported history counts when imported before the plan's first signed record: the correction is that record, made after the import.
    expect((await w.call('plans.list', { equipmentId: w.pump.id })).plans[0]).toMatchObject({ nextDue: '2027-06-01' });
    expect(checkPermanentRows(w.core.db).findings).toEqual([]);
  });
});

describe('correcting unplanned work of a task type since taken out of use', () => {
  async function loanCheckLoggedThenRetired() {
    const w = await loggingWorld();
    const loan = await w.call('taskTypes.create', {
      label: 'Loan return check',
      formKind: 'plain',
      failTakesOutOfService: false,
      overdueMeansDoNotUse: false,
      failOpensWorkOrder: false,
    });
    // Tom logs a loan return check as passed on the wrong pump.
    const wrong = await w.as(w.tom)('completions.log', { equipmentId: w.pump.id, task: loan.code, result: { kind: 'outcome', outcome: 'pass' }, secret: '1357' });
    // The hospital stops using its own loan return task (kept for history).
    await w.call('taskTypes.update', {
      code: loan.code,
      label: loan.label,
      formKind: loan.formKind,
      failTakesOutOfService: false,
      overdueMeansDoNotUse: false,
      failOpensWorkOrder: false,
      active: false,
    });
    return { w, loan, wrong };
  }

  it('is still possible, as for a record of a plan since switched off', async () => {
    const { w, wrong } = await loanCheckLoggedThenRetired();
    const res = await w.backend.invoke(w.tom, 'completions.amend', {
      amendsId: wrong.id,
      reason: 'Logged against the wrong pump',
      result: { kind: 'not_done', reason: 'other', explanation: 'Wrong device' },
      secret: '1357',
    });
    expect(res).toMatchObject({ ok: true, value: { amendsId: wrong.id, outcome: 'not_done_other', planId: null } });
  });

  it('opens the record form for the correction, while new work of that task is still refused', async () => {
    const { w, loan, wrong } = await loanCheckLoggedThenRetired();
    const form = await w.backend.invoke(w.tom, 'log.form', { equipmentId: w.pump.id, task: loan.code, amendsId: wrong.id });
    expect(form).toMatchObject({ ok: true, value: { plan: null, task: { code: loan.code, active: false }, target: { id: w.pump.id } } });
    expect(await w.backend.invoke(w.tom, 'log.form', { equipmentId: w.pump.id, task: loan.code })).toMatchObject({ ok: false, error: { field: 'task' } });
    expect(
      await w.backend.invoke(w.tom, 'completions.log', { equipmentId: w.pump.id, task: loan.code, result: { kind: 'outcome', outcome: 'pass' }, secret: '1357' }),
    ).toMatchObject({ ok: false, error: { field: 'task' } });
  });
});

/** Version 2 of the pump's points: the same three points, the flow tolerances tightened from 5 % to 1 %. */
const tightened = {
  kind: 'measurements' as const,
  points: [
    { label: 'Flow 10 ml/h', unit: 'ml/h', nominal: 10, toleranceKind: 'percent' as const, tolerance: 1 },
    { label: 'Flow 100 ml/h', unit: 'ml/h', nominal: 100, toleranceKind: 'percent' as const, tolerance: 1 },
    { label: 'Occlusion pressure', unit: 'mmHg', nominal: 500, toleranceKind: 'absolute' as const, tolerance: 50 },
  ],
};

/** Tom's calibration of the pump against version 1 (10.3 ml/h at 10 ml/h ± 5 %: a pass), then the supervisor tightens the points (version 2). */
async function passedThenTightened() {
  const w = await loggingWorld();
  const original = await w.as(w.tom)('completions.log', {
    planId: w.pumpPlan.id,
    performedAt: '2026-11-25T09:00:00Z',
    notes: 'Serial checked',
    result: threePoints([[10.3, null], [100, null], [500, null]], w.analyser.id, w.calibration.id),
    secret: '1357',
  });
  expect(original).toMatchObject({ outcome: 'pass', procedure: { version: 1 } });
  const v2 = await w.call('procedures.save', { owner: { kind: 'category', categoryId: w.pumps.id }, task: 'calibration', definition: tightened });
  return { ...w, original, v2 };
}

describe('a correction of a record done against an older procedure version (docs/records.md: every record keeps its version)', () => {
  it('opens the correction form on the version the record was signed against, not the newest; new work gets the newest', async () => {
    const w = await passedThenTightened();
    const form = await w.as(w.tom)('log.form', { planId: w.pumpPlan.id, amendsId: w.original.id });
    expect(form.procedure).toMatchObject({ id: w.calibration.id, version: 1, definition: { points: [{ tolerance: 5 }, { tolerance: 5 }, { tolerance: 50 }] } });
    expect(form.resultKind).toBe('measurements');
    const fresh = await w.as(w.tom)('log.form', { planId: w.pumpPlan.id });
    expect(fresh.procedure).toMatchObject({ id: w.v2.id, version: 2 });
  });

  it('correcting only the note (as the form sends it) keeps the pass, its version and the pump in service', async () => {
    const w = await passedThenTightened();
    const form = await w.as(w.tom)('log.form', { planId: w.pumpPlan.id, amendsId: w.original.id });
    const fixed = await w.as(w.tom)('completions.amend', {
      amendsId: w.original.id,
      reason: 'Typo in the note',
      notes: 'Serial number checked against the label',
      result: threePoints([[10.3, null], [100, null], [500, null]], w.analyser.id, form.procedure!.id),
      secret: '1357',
    });
    expect({ outcome: fixed.outcome, version: fixed.procedure?.version, foundIn: fixed.readings.map((r) => r.foundIn), low: fixed.readings[0]?.low }).toEqual({
      outcome: 'pass',
      version: 1,
      foundIn: [true, true, true],
      low: 9.5,
    });
    const pump = await w.call('equipment.get', { id: w.pump.id });
    expect({ status: pump.status, reason: pump.statusReason }).toEqual({ status: 'in_service', reason: null });
  });

  it('is judged by that version when a reading is corrected too: a reading out of its limits then is a fail', async () => {
    const w = await passedThenTightened();
    const fixed = await w.as(w.tom)('completions.amend', {
      amendsId: w.original.id,
      reason: 'Misread the first flow',
      result: threePoints([[10.6, null], [100, null], [500, null]], w.analyser.id, w.calibration.id),
      secret: '1357',
    });
    expect({ outcome: fixed.outcome, version: fixed.procedure?.version, high: fixed.readings[0]?.high }).toEqual({ outcome: 'fail', version: 1, high: 10.5 });
  });

  it('is not re-judged against a newer version: a correction naming version 2 is refused and writes nothing', async () => {
    const w = await passedThenTightened();
    const records = w.count('completions');
    const res = await w.backend.invoke(w.tom, 'completions.amend', {
      amendsId: w.original.id,
      reason: 'Typo in the note',
      result: threePoints([[10.3, null], [100, null], [500, null]], w.analyser.id, w.v2.id),
      secret: '1357',
    });
    expect(res).toMatchObject({
      ok: false,
      error: {
        code: 'invalid_input',
        field: 'result.procedureId',
        message: 'This record was done against version 1 of its points, and a correction is judged the same way: reload the form.',
      },
    });
    expect(w.count('completions')).toBe(records);
  });
});

describe('a correction of a plain pass logged before the plan had a checklist', () => {
  it('is made on the form the record was made with, without inventing step results', async () => {
    const w = await loggingWorld();
    const plan = await w.call('plans.create', { equipmentId: w.pump.id, task: 'inspection', every: '6m', startDate: '2026-11-01' });
    const original = await w.as(w.tom)('completions.log', {
      planId: plan.id,
      performedAt: '2026-11-25T09:00:00Z',
      notes: 'Casing crakced',
      result: { kind: 'outcome', outcome: 'pass' },
      secret: '1357',
    });
    // The supervisor adds the checklist afterwards: new work is recorded with it.
    await w.call('procedures.save', {
      owner: { kind: 'category', categoryId: w.pumps.id },
      task: 'inspection',
      definition: { kind: 'checklist', steps: [{ text: 'Casing intact' }, { text: 'Alarm sounds' }] },
    });
    expect((await w.as(w.tom)('log.form', { planId: plan.id })).resultKind).toBe('checklist');
    const form = await w.as(w.tom)('log.form', { planId: plan.id, amendsId: original.id });
    expect({ resultKind: form.resultKind, procedure: form.procedure }).toEqual({ resultKind: 'outcome', procedure: null });
    const fixed = await w.as(w.tom)('completions.amend', {
      amendsId: original.id,
      reason: 'Spelling in the note',
      notes: 'Casing cracked',
      result: { kind: 'outcome', outcome: 'pass' },
      secret: '1357',
    });
    expect(fixed).toMatchObject({ outcome: 'pass', notes: 'Casing cracked', procedure: null, steps: [] });
  });

  it('of imported paper history (no points) is corrected as a plain pass or fail too', async () => {
    const w = await loggingWorld();
    const paper = importedCalibration(w);
    const form = await w.call('log.form', { planId: w.pumpPlan.id, amendsId: paper.id });
    expect({ resultKind: form.resultKind, procedure: form.procedure }).toEqual({ resultKind: 'outcome', procedure: null });
    const fixed = await w.call('completions.amend', { amendsId: paper.id, reason: 'The paper says fail', result: { kind: 'outcome', outcome: 'fail' }, secret: '2468' });
    expect(fixed).toMatchObject({ outcome: 'fail', procedure: null });
  });

  it('of work not done keeps the plan\'s form of today: a pass is still not typed where the plan has points', async () => {
    const w = await loggingWorld();
    const notDone = await w.as(w.tom)('completions.log', { planId: w.pumpPlan.id, result: { kind: 'not_done', reason: 'in_use', explanation: null }, secret: '1357' });
    const form = await w.as(w.tom)('log.form', { planId: w.pumpPlan.id, amendsId: notDone.id });
    expect(form).toMatchObject({ resultKind: 'measurements', procedure: { id: w.calibration.id } });
    const typed = await w.backend.invoke(w.tom, 'completions.amend', { amendsId: notDone.id, reason: 'It was done', result: { kind: 'outcome', outcome: 'pass' }, secret: '1357' });
    expect(typed).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'result' } });
  });
});
