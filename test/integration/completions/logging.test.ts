import { describe, expect, it } from 'vitest';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { recomputeAllDerived } from '../../../main/core/sync/derived';
import { loggingWorld, threePoints } from './fixture';

describe('logging a calibration', () => {
  it('computes tolerance and the outcome in main, signs, moves the due date, all in one go', async () => {
    const w = await loggingWorld();
    const before = await w.call('plans.list', { equipmentId: w.pump.id });
    expect(before.plans[0]).toMatchObject({ status: 'overdue', doNotUse: true });
    const record = await w.as(w.tom)('completions.log', {
      planId: w.pumpPlan.id,
      performedAt: '2026-11-25T09:30:00Z',
      minutesSpent: 25,
      result: threePoints([[10.2, null], [107, 100.4], [480, null]], w.analyser.id, w.calibration.id),
      secret: '1357',
    });
    expect(record).toMatchObject({
      outcome: 'pass_adjusted',
      performedOn: '2026-11-25',
      performedByName: 'Tom Tech',
      minutesSpent: 25,
      procedure: { id: w.calibration.id, version: 1 },
      reference: { assetTag: 'REF-1', notCurrent: false },
      signatures: [{ name: 'Tom Tech', role: 'technician', meaning: 'performed_by', signedAt: '2026-11-25T10:00:00.000Z' }],
    });
    expect(record.readings.map((r) => [r.label, r.low, r.high, r.asFound, r.foundIn, r.asLeft, r.leftIn])).toEqual([
      ['Flow 10 ml/h', 9.5, 10.5, 10.2, true, null, null],
      ['Flow 100 ml/h', 95, 105, 107, false, 100.4, true],
      ['Occlusion pressure', 450, 550, 480, true, null, null],
    ]);
    const after = await w.call('plans.list', { equipmentId: w.pump.id });
    expect(after.plans[0]).toMatchObject({ status: 'scheduled', nextDue: '2027-11-25', lastDoneOn: '2026-11-25', doNotUse: false });
  });

  it('ignores an outcome typed by the client: as-left out of tolerance is a fail, and tags the device out', async () => {
    const w = await loggingWorld();
    const record = await w.as(w.tom)('completions.log', {
      planId: w.pumpPlan.id,
      result: threePoints([[10, null], [120, 110], [500, null]], w.analyser.id, w.calibration.id),
      secret: '1357',
    });
    expect(record.outcome).toBe('fail');
    const device = await w.call('equipment.get', { id: w.pump.id });
    expect(device).toMatchObject({ status: 'out_of_service', statusReason: expect.stringMatching(/failed calibration/i) });
    // A fail does not advance the plan (rule 4).
    expect((await w.call('plans.list', { equipmentId: w.pump.id })).plans[0]).toMatchObject({ nextDue: '2026-11-01', status: 'suspended' });
  });

  it('refuses a typed pass where the plan has points: a calibration\'s outcome is computed from its readings', async () => {
    const w = await loggingWorld();
    const counts = () => ['completions', 'completion_readings', 'signatures'].map(w.count);
    const before = counts();
    const res = await w.backend.invoke(w.tom, 'completions.log', { planId: w.pumpPlan.id, result: { kind: 'outcome', outcome: 'pass' }, secret: '1357' });
    expect(res).toMatchObject({
      ok: false,
      error: {
        code: 'invalid_input',
        field: 'result',
        message: 'This calibration is now recorded with its measurement points, not as a plain pass or fail: that changed after the form was opened. Reload the form and enter the work again.',
      },
    });
    expect(counts()).toEqual(before);
    // Nor by correcting a computed record with a typed outcome.
    const fail = await w.as(w.tom)('completions.log', {
      planId: w.pumpPlan.id,
      result: threePoints([[10, null], [120, 110], [500, null]], w.analyser.id, w.calibration.id),
      secret: '1357',
    });
    const amend = await w.backend.invoke(w.tom, 'completions.amend', { amendsId: fail.id, reason: 'It passed', result: { kind: 'outcome', outcome: 'pass' }, secret: '1357' });
    expect(amend).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', field: 'result', message: 'This record was made with its measurement points, and a correction is made the same way: reload the form.' },
    });
    expect((await w.call('equipment.get', { id: w.pump.id })).status).toBe('out_of_service');
  });

  it('is saved only with the signer\'s own PIN; a wrong one writes nothing', async () => {
    const w = await loggingWorld();
    const counts = () => ['completions', 'completion_readings', 'signatures'].map(w.count);
    const before = counts();
    const res = await w.backend.invoke(w.tom, 'completions.log', {
      planId: w.pumpPlan.id,
      result: threePoints([[10, null], [100, null], [500, null]], w.analyser.id, w.calibration.id),
      secret: '2468', // Ada's PIN, not Tom's
    });
    expect(res).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'secret' } });
    expect(counts()).toEqual(before);
  });

  it('flags a reference standard whose own calibration is not current on the day, and keeps the flag', async () => {
    const w = await loggingWorld();
    // The analyser was calibrated in January for a year: on 2027-02-01 it is overdue.
    w.clock.set('2027-02-01T10:00:00Z');
    w.tom.lastActivityMs = w.clock.now().getTime();
    const record = await w.as(w.tom)('completions.log', {
      planId: w.pumpPlan.id,
      result: threePoints([[10, null], [100, null], [500, null]], w.analyser.id, w.calibration.id),
      secret: '1357',
    });
    expect(record.reference).toMatchObject({ assetTag: 'REF-1', notCurrent: true });
    expect(w.core.db.prepare('SELECT reference_not_current FROM completions WHERE id = ?').get(record.id)).toEqual({ reference_not_current: 1 });
  });

  it('refuses readings that do not match the points, a reference that is not one, and a time in the future', async () => {
    const w = await loggingWorld();
    const tom = (input: object) => w.backend.invoke(w.tom, 'completions.log', { planId: w.pumpPlan.id, secret: '1357', ...input });
    expect(await tom({ result: threePoints([[10, null]], w.analyser.id, w.calibration.id) })).toMatchObject({
      ok: false,
      error: { field: 'result.readings', message: 'Enter an as-found reading for each of the 3 points.' },
    });
    expect(await tom({ result: threePoints([[10, null], [100, null], [500, null]], w.pump.id, w.calibration.id) })).toMatchObject({
      ok: false,
      error: { field: 'result.referenceEquipmentId' },
    });
    expect(await tom({ performedAt: '2026-11-25T11:00:00Z', result: threePoints([[10, null], [100, null], [500, null]], w.analyser.id, w.calibration.id) })).toMatchObject({
      ok: false,
      error: { field: 'performedAt', message: expect.stringMatching(/future/) },
    });
    expect(w.count('completions')).toBe(1); // the analyser's own, from the fixture
  });

  it('keeps the procedure version a record was done against', async () => {
    const w = await loggingWorld();
    const record = await w.as(w.tom)('completions.log', {
      planId: w.pumpPlan.id,
      result: threePoints([[10, null], [100, null], [500, null]], w.analyser.id, w.calibration.id),
      secret: '1357',
    });
    await w.call('procedures.save', {
      owner: { kind: 'category', categoryId: w.pumps.id },
      task: 'calibration',
      definition: { kind: 'measurements', points: [{ label: 'Flow 25 ml/h', unit: 'ml/h', nominal: 25, toleranceKind: 'percent', tolerance: 2 }] },
    });
    const again = await w.call('completions.get', { id: record.id });
    expect(again.procedure).toEqual({ id: w.calibration.id, version: 1 });
    expect(again.readings.map((r) => r.label)).toEqual(['Flow 10 ml/h', 'Flow 100 ml/h', 'Occlusion pressure']);
  });
});

describe('records are permanent', () => {
  it('are refused UPDATE and DELETE by the database itself, with their readings and signatures', async () => {
    const w = await loggingWorld();
    const record = await w.as(w.tom)('completions.log', {
      planId: w.pumpPlan.id,
      result: threePoints([[10, null], [100, null], [500, null]], w.analyser.id, w.calibration.id),
      secret: '1357',
    });
    for (const [table, key] of [
      ['completions', 'id'],
      ['completion_readings', 'completion_id'],
      ['signatures', 'completion_id'],
    ] as const) {
      const column = table === 'completions' ? 'notes' : table === 'signatures' ? 'signer_name' : 'label';
      expect(() => w.core.db.prepare(`UPDATE ${table} SET ${column} = 'x' WHERE ${key} = ?`).run(record.id), table).toThrow(/permanent/);
      expect(() => w.core.db.prepare(`DELETE FROM ${table} WHERE ${key} = ?`).run(record.id), table).toThrow(/permanent/);
    }
    expect((await w.call('completions.get', { id: record.id })).readings).toHaveLength(3);
  });

  it('are corrected by an amending record: both stay, the plan and the device follow the correction', async () => {
    const w = await loggingWorld();
    // 120 was a typo for 102: the device was tagged out by mistake.
    const wrong = await w.as(w.tom)('completions.log', {
      planId: w.pumpPlan.id,
      performedAt: '2026-11-25T09:00:00Z',
      result: threePoints([[10, null], [120, 110], [500, null]], w.analyser.id, w.calibration.id),
      secret: '1357',
    });
    expect((await w.call('equipment.get', { id: w.pump.id })).status).toBe('out_of_service');
    const fixed = await w.as(w.tom)('completions.amend', {
      amendsId: wrong.id,
      reason: 'Typed 120 for 102 at the second point',
      result: threePoints([[10, null], [102, null], [500, null]], w.analyser.id, w.calibration.id),
      secret: '1357',
    });
    expect(fixed).toMatchObject({
      outcome: 'pass',
      amendsId: wrong.id,
      amendReason: 'Typed 120 for 102 at the second point',
      performedAt: '2026-11-25T09:00:00.000Z', // the work's time, not the correction's
      performedByName: 'Tom Tech',
      signatures: [{ meaning: 'amended_by', name: 'Tom Tech' }],
    });
    const history = await w.call('completions.history', { equipmentId: w.pump.id });
    expect(history.map((h) => [h.id, h.outcome, h.amendedById])).toEqual(
      expect.arrayContaining([
        [wrong.id, 'fail', fixed.id],
        [fixed.id, 'pass', null],
      ]),
    );
    expect((await w.call('equipment.get', { id: w.pump.id })).status).toBe('in_service');
    expect((await w.call('plans.list', { equipmentId: w.pump.id })).plans[0]).toMatchObject({ nextDue: '2027-11-25' });
    // The corrected record cannot be corrected again: the newest version is.
    expect(
      await w.backend.invoke(w.tom, 'completions.amend', {
        amendsId: wrong.id,
        reason: 'again',
        result: threePoints([[10, null], [100, null], [500, null]], w.analyser.id, w.calibration.id),
        secret: '1357',
      }),
    ).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('follow a fail corrected to "not done": the device is released, with its status history, as every PC derives it', async () => {
    const w = await loggingWorld();
    // Tom calibrated the pump beside this one and logged it here: the fail tags this pump out.
    const wrong = await w.as(w.tom)('completions.log', {
      planId: w.pumpPlan.id,
      performedAt: '2026-11-25T09:00:00Z',
      result: threePoints([[10, null], [120, 110], [500, null]], w.analyser.id, w.calibration.id),
      secret: '1357',
    });
    expect((await w.call('equipment.get', { id: w.pump.id })).status).toBe('out_of_service');
    const fixed = await w.as(w.tom)('completions.amend', {
      amendsId: wrong.id,
      reason: 'Logged against the wrong pump: this one was not calibrated',
      result: { kind: 'not_done', reason: 'other', explanation: 'Wrong device' },
      secret: '1357',
    });
    expect(fixed).toMatchObject({ outcome: 'not_done_other', amendsId: wrong.id });
    const device = await w.call('equipment.get', { id: w.pump.id });
    expect(device).toMatchObject({ status: 'in_service', statusReason: null });
    const history = await w.call('equipment.statusHistory', { equipmentId: w.pump.id });
    expect(history.map((h) => [h.fromStatus, h.toStatus, h.completionId])).toEqual(
      expect.arrayContaining([
        ['in_service', 'out_of_service', wrong.id],
        ['out_of_service', 'in_service', fixed.id],
      ]),
    );
    // What a PC derives from the same records (sync/service-status.ts) is what is written.
    const row = () => w.core.db.prepare('SELECT status, status_reason, tagged_out_by_plan_id FROM equipment WHERE id = ?').get(w.pump.id);
    const written = row();
    inTransaction(w.core, (core) => recomputeAllDerived(core));
    expect(row()).toEqual(written);
    // The plan is still due: the work was not done.
    expect((await w.call('plans.list', { equipmentId: w.pump.id })).plans[0]).toMatchObject({ nextDue: '2026-11-01' });
  });

  it('follow a pass corrected away: the fail before it holds the device again', async () => {
    const w = await loggingWorld();
    await w.as(w.tom)('completions.log', {
      planId: w.pumpPlan.id,
      performedAt: '2026-11-25T08:00:00Z',
      result: threePoints([[10, null], [120, 110], [500, null]], w.analyser.id, w.calibration.id),
      secret: '1357',
    });
    const pass = await w.as(w.tom)('completions.log', {
      planId: w.pumpPlan.id,
      performedAt: '2026-11-25T09:00:00Z',
      result: threePoints([[10, null], [100, null], [500, null]], w.analyser.id, w.calibration.id),
      secret: '1357',
    });
    expect((await w.call('equipment.get', { id: w.pump.id })).status).toBe('in_service');
    await w.as(w.tom)('completions.amend', {
      amendsId: pass.id,
      reason: 'Not calibrated again: the analyser was not connected',
      result: { kind: 'not_done', reason: 'other', explanation: 'Analyser not connected' },
      secret: '1357',
    });
    expect(await w.call('equipment.get', { id: w.pump.id })).toMatchObject({
      status: 'out_of_service',
      statusReason: 'Tagged out: failed calibration on 2026-11-25. Do not use.',
    });
  });

  it('of a plan since switched off are still corrected, on the form too; no new work is logged on it', async () => {
    const w = await loggingWorld();
    const done = await w.as(w.tom)('completions.log', {
      planId: w.pumpPlan.id,
      result: threePoints([[10, null], [100, null], [500, null]], w.analyser.id, w.calibration.id),
      notes: 'Analyser REF-2',
      secret: '1357',
    });
    await w.call('plans.deactivate', { id: w.pumpPlan.id });
    expect(await w.backend.invoke(w.tom, 'log.form', { planId: w.pumpPlan.id })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const form = await w.backend.invoke(w.tom, 'log.form', { planId: w.pumpPlan.id, amendsId: done.id });
    expect(form).toMatchObject({ ok: true, value: { resultKind: 'measurements' } });
    const fixed = await w.as(w.tom)('completions.amend', {
      amendsId: done.id,
      reason: 'Wrong analyser named in the notes',
      result: threePoints([[10, null], [100, null], [500, null]], w.analyser.id, w.calibration.id),
      notes: 'Analyser REF-1',
      secret: '1357',
    });
    expect(fixed).toMatchObject({ amendsId: done.id, notes: 'Analyser REF-1' });
    const fresh = await w.backend.invoke(w.tom, 'completions.log', {
      planId: w.pumpPlan.id,
      result: threePoints([[10, null], [100, null], [500, null]], w.analyser.id, w.calibration.id),
      secret: '1357',
    });
    expect(fresh).toMatchObject({ ok: false, error: { code: 'conflict', message: 'This plan is no longer active; work cannot be logged against it.' } });
  });

  it('may be corrected by the performer or a supervisor, not by another technician', async () => {
    const w = await loggingWorld();
    const record = await w.as(w.admin)('completions.log', {
      planId: w.pumpPlan.id,
      result: threePoints([[10, null], [100, null], [500, null]], w.analyser.id, w.calibration.id),
      secret: '2468',
    });
    const res = await w.backend.invoke(w.tom, 'completions.amend', {
      amendsId: record.id,
      reason: 'not mine',
      result: threePoints([[10, null], [100, null], [500, null]], w.analyser.id, w.calibration.id),
      secret: '1357',
    });
    expect(res).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});

describe('a second signature', () => {
  it('is added by a supervisor other than the performer, once', async () => {
    const w = await loggingWorld();
    const record = await w.as(w.tom)('completions.log', {
      planId: w.pumpPlan.id,
      result: threePoints([[10, null], [100, null], [500, null]], w.analyser.id, w.calibration.id),
      secret: '1357',
    });
    expect(await w.backend.invoke(w.tom, 'completions.review', { completionId: record.id, secret: '1357' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const reviewed = await w.call('completions.review', { completionId: record.id, secret: '2468' });
    expect(reviewed.signatures.map((s) => [s.meaning, s.name])).toEqual([
      ['performed_by', 'Tom Tech'],
      ['reviewed_by', 'Ada Admin'],
    ]);
    expect(await w.backend.invoke(w.admin, 'completions.review', { completionId: record.id, secret: '2468' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });
});

describe('work not done', () => {
  it('is recorded and does not advance the plan; "other" needs a reason', async () => {
    const w = await loggingWorld();
    const inUse = await w.as(w.tom)('completions.log', {
      planId: w.pumpPlan.id,
      result: { kind: 'not_done', reason: 'in_use' },
      secret: '1357',
    });
    expect(inUse).toMatchObject({ outcome: 'not_done_in_use', details: { notDoneReason: 'in_use' } });
    expect((await w.call('plans.list', { equipmentId: w.pump.id })).plans[0]).toMatchObject({ nextDue: '2026-11-01', status: 'overdue' });
    expect(await w.backend.invoke(w.tom, 'completions.log', { planId: w.pumpPlan.id, result: { kind: 'not_done', reason: 'other' }, secret: '1357' })).toMatchObject({
      ok: false,
      error: { field: 'result.explanation' },
    });
  });
});

describe('inspections and safety tests', () => {
  it('an inspection opened as a plain pass or fail before its checklist was defined: the refusal says what changed and to reload the form; nothing is written', async () => {
    const w = await loggingWorld();
    const plan = await w.call('plans.create', { equipmentId: w.pump.id, task: 'inspection', every: '6m', startDate: '2026-11-20' });
    expect((await w.as(w.tom)('log.form', { planId: plan.id })).resultKind).toBe('outcome');
    // A supervisor defines the inspection's checklist while the technician fills in the form.
    await w.call('procedures.save', {
      owner: { kind: 'category', categoryId: w.pumps.id },
      task: 'inspection',
      definition: { kind: 'checklist', steps: [{ text: 'Casing intact' }, { text: 'Alarms sound' }] },
    });
    const before = w.count('completions');
    const res = await w.backend.invoke(w.tom, 'completions.log', { planId: plan.id, result: { kind: 'outcome', outcome: 'pass' }, secret: '1357' });
    expect(res).toMatchObject({
      ok: false,
      error: {
        code: 'invalid_input',
        field: 'result',
        message: 'This inspection is now recorded with its checklist, step by step, not as a plain pass or fail: that changed after the form was opened. Reload the form and enter the work again.',
      },
    });
    expect(w.count('completions')).toBe(before);
  });

  it('derives an inspection\'s outcome from its steps unless overridden with a reason', async () => {
    const w = await loggingWorld();
    const checklist = await w.call('procedures.save', {
      owner: { kind: 'category', categoryId: w.pumps.id },
      task: 'inspection',
      definition: { kind: 'checklist', steps: [{ text: 'Casing intact' }, { text: 'Alarm sounds' }, { text: 'Battery holds charge' }] },
    });
    const plan = await w.call('plans.create', { equipmentId: w.pump.id, task: 'inspection', every: '6m', startDate: '2026-11-01' });
    const steps = (r: ('pass' | 'fail' | 'na')[]) => r.map((result) => ({ result }));
    const failed = await w.as(w.tom)('completions.log', {
      planId: plan.id,
      result: { kind: 'checklist', procedureId: checklist.id, steps: steps(['pass', 'fail', 'na']) },
      secret: '1357',
    });
    expect(failed.outcome).toBe('fail');
    expect(failed.steps.map((s) => [s.text, s.result])).toEqual([
      ['Casing intact', 'pass'],
      ['Alarm sounds', 'fail'],
      ['Battery holds charge', 'na'],
    ]);
    const overridden = await w.as(w.tom)('completions.log', {
      planId: plan.id,
      result: { kind: 'checklist', procedureId: checklist.id, steps: steps(['pass', 'fail', 'pass']), override: { outcome: 'pass', reason: 'Alarm volume was turned down; set back and retested' } },
      secret: '1357',
    });
    expect(overridden).toMatchObject({ outcome: 'pass', outcomeOverrideReason: 'Alarm volume was turned down; set back and retested', details: { derivedOutcome: 'fail' } });
  });

  it('fails an electrical safety test with a value beyond its limit, and tags the device out', async () => {
    const w = await loggingWorld();
    const checks = await w.call('procedures.save', {
      owner: { kind: 'category', categoryId: w.pumps.id },
      task: 'electrical_safety',
      definition: {
        kind: 'safety',
        checks: [
          { label: 'Protective earth resistance', unit: 'Ω', min: null, max: 0.2 },
          { label: 'Earth leakage current', unit: 'µA', min: null, max: 500 },
          { label: 'Insulation resistance', unit: 'MΩ', min: 2, max: null },
        ],
      },
    });
    const plan = await w.call('plans.create', { equipmentId: w.pump.id, task: 'electrical_safety', every: '1y', startDate: '2026-11-20' });
    const pass = await w.as(w.tom)('completions.log', {
      planId: plan.id,
      result: { kind: 'safety', procedureId: checks.id, referenceEquipmentId: null, readings: [{ value: 0.2 }, { value: 120 }, { value: 50 }] },
      secret: '1357',
    });
    expect(pass.outcome).toBe('pass'); // 0.2 Ω exactly on the limit is in
    const fail = await w.as(w.tom)('completions.log', {
      planId: plan.id,
      result: { kind: 'safety', procedureId: checks.id, referenceEquipmentId: null, readings: [{ value: 0.35 }, { value: 120 }, { value: 50 }] },
      secret: '1357',
    });
    expect(fail.outcome).toBe('fail');
    expect(fail.readings.map((r) => r.foundIn)).toEqual([false, true, true]);
    expect((await w.call('equipment.get', { id: w.pump.id })).status).toBe('out_of_service');
  });
});

describe('work on a retired device', () => {
  it('done after it was retired is refused, naming when and why (a page opened before); done before, entered late, is taken; a correction still goes', async () => {
    const w = await loggingWorld();
    const cleaning = await w.call('plans.create', { equipmentId: w.pump.id, task: 'cleaning', every: '1w', startDate: '2026-11-20' });
    const wipe = { kind: 'cleaning' as const, method: 'Wipe', agent: 'Chlorine 1000 ppm', outcome: 'pass' as const };
    const earlier = await w.as(w.tom)('completions.log', { planId: cleaning.id, result: wipe, performedAt: '2026-11-25T08:00:00Z', secret: '1357' });
    w.clock.set('2026-11-25T10:00:00Z');
    await w.call('equipment.setStatus', { id: w.pump.id, status: 'retired', reason: 'Scrapped' });
    const before = w.count('completions');
    const refusal = {
      ok: false,
      error: {
        code: 'conflict',
        field: 'performedAt',
        message: 'IP-1 was retired on 11/25/2026 05:00 (Scrapped): work done after that cannot be recorded on it. If it is back in use, a supervisor changes its status first.',
      },
    };
    // From the plan's log screen opened before, and as unplanned work (a bookmarked screen).
    expect(await w.backend.invoke(w.tom, 'completions.log', { planId: cleaning.id, result: wipe, secret: '1357' })).toEqual(refusal);
    expect(await w.backend.invoke(w.tom, 'completions.log', { equipmentId: w.pump.id, task: 'cleaning', result: wipe, secret: '1357' })).toEqual(refusal);
    expect(w.count('completions')).toBe(before);
    // Done at 09:30, before it was retired, entered now: taken.
    expect(await w.as(w.tom)('completions.log', { equipmentId: w.pump.id, task: 'cleaning', result: wipe, performedAt: '2026-11-25T09:30:00Z', secret: '1357' })).toMatchObject({
      outcome: 'pass',
    });
    // The morning's record corrected after the retirement: a correction of work done before, taken.
    expect(await w.as(w.tom)('completions.amend', { amendsId: earlier.id, reason: 'Wrong agent written', result: { ...wipe, agent: 'Alcohol 70%' }, secret: '1357' })).toMatchObject({
      amendsId: earlier.id,
    });
  });
});
