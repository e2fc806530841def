import { afterAll, describe, expect, it } from 'vitest';
import { newSession } from '../../main/core/session';
import { caller } from '../helpers/invoke';
import { seedRecord } from '../helpers/records';
import { screenshot } from './axe';
import { shutdown } from './harness';
import { expectNoPageProblems, signIn } from './steps';
import { launchWard } from './ward';

afterAll(shutdown);

type Ward = Awaited<ReturnType<typeof launchWard>>;

const categoryOf = (w: Ward) =>
  (w.app.backend.core.db.prepare("SELECT id FROM categories WHERE name = 'Infusion pump'").get() as { id: string }).id;

/** The pump's calibration points with the flow tolerances at `flowTolerance` %. */
const pumpPoints = (flowTolerance: number) => ({
  kind: 'measurements' as const,
  points: [
    { label: 'Flow 10 ml/h', unit: 'ml/h', nominal: 10, toleranceKind: 'percent' as const, tolerance: flowTolerance },
    { label: 'Flow 100 ml/h', unit: 'ml/h', nominal: 100, toleranceKind: 'percent' as const, tolerance: flowTolerance },
    { label: 'Occlusion pressure', unit: 'mmHg', nominal: 500, toleranceKind: 'absolute' as const, tolerance: 50 },
  ],
});

describe('correcting a calibration after its points were tightened, in Chromium', () => {
  it('shows the limits the record was signed against, and correcting only the note keeps it passed and the pump in use', async () => {
    const w = await launchWard();
    const { page } = w.app;
    const core = w.app.backend.core;
    // Tom calibrates the pump this morning: 10.3 ml/h at 10 ml/h ± 5 % is in tolerance, a pass (version 1).
    const tom = newSession(Date.now());
    await caller(w.app.backend, tom)('auth.signIn', { name: 'Tom Tech', secret: '1357' });
    const procedureV1 = (core.db.prepare("SELECT id FROM procedures WHERE task = 'calibration'").get() as { id: string }).id;
    const record = await caller(w.app.backend, tom)('completions.log', {
      planId: w.seeded.calibrationPlanId,
      notes: 'Pump serial chekced',
      result: {
        kind: 'measurements',
        procedureId: procedureV1,
        referenceEquipmentId: w.seeded.analyserId,
        readings: [{ asFound: 10.3, asLeft: null }, { asFound: 100, asLeft: null }, { asFound: 500, asLeft: null }],
      },
      secret: '1357',
    });
    expect(record.outcome).toBe('pass');
    // The supervisor then tightens the flow points to ± 1 % (version 2).
    await w.call('procedures.save', { owner: { kind: 'category', categoryId: categoryOf(w) }, task: 'calibration', definition: pumpPoints(1) });

    // Tom fixes the typo in his note from the pump's history.
    await signIn(page, 'Tom Tech', '1357');
    await page.getByTestId('signed-in-user').filter({ hasText: 'Tom Tech' }).waitFor();
    await page.evaluate((id) => (window.location.hash = `#/equipment/${id}`), w.seeded.pumpId);
    await page.getByRole('heading', { level: 1, name: /Infusion pump/ }).waitFor();
    const calibrationRecord = page.getByTestId('history-record').filter({ hasText: 'Calibration' }).first();
    await calibrationRecord.locator('summary').click();
    await calibrationRecord.getByRole('link', { name: 'Correct this record' }).click();
    await page.getByRole('heading', { level: 1, name: /Correct a record/ }).waitFor();
    await page.getByText('It is judged against version 1 of the measurement points, the version the original was done against.').waitFor();
    await screenshot(page, 'correction-form-head');
    // The limits of version 1, with the readings as signed, in tolerance.
    expect(await page.locator('.readings-table tbody tr').first().textContent()).toContain('9.5 to 10.5 ml/h');
    expect(await page.getByLabel('As found, Flow 10 ml/h (ml/h)').inputValue()).toBe('10.3');
    expect(await page.locator('.readings-table').textContent()).not.toContain('OUT of tolerance');
    await page.getByLabel('Why is it being corrected?').fill('Typo in the note');
    await page.getByLabel('Notes').fill('Pump serial checked');
    await screenshot(page, 'correction-on-signed-version');
    await page.getByLabel('Your PIN or password').fill('1357');
    await page.getByRole('button', { name: 'Sign and save the correction' }).click();
    await page.getByText(/^Saved: calibration/i).waitFor();
    expect((await page.getByText(/^Saved: calibration/i).textContent()) ?? '', 'a note corrected does not turn the pass into a fail').not.toMatch(/fail/i);
    expect(await page.getByTestId('do-not-use').count(), 'the pump is not DO NOT USE because a note was corrected').toBe(0);
    expectNoPageProblems(w.app);
    await w.app.close();
  });
});

describe('the reference standard picker for work entered days later, in Chromium', () => {
  it('warns before signing that the standard was out of calibration on the day the work was done, as the record is then flagged', async () => {
    const w = await launchWard({ dateFormat: 'dd/MM/yyyy' });
    const { page } = w.app;
    const core = w.app.backend.core;
    const DAY = 86_400_000;
    const iso = (msAgo: number) => new Date(Date.now() - msAgo).toISOString();
    const typed = (d: Date) => `${String(d.getDate()).padStart(2, '0')}/${String(d.getMonth() + 1).padStart(2, '0')}/${d.getFullYear()}`;
    // REF-9: calibrated yearly; its calibration ran out 35 days ago and it was calibrated again yesterday.
    const site = (core.db.prepare("SELECT id FROM locations WHERE name = 'Ward 4B'").get() as { id: string }).id;
    const ref = await w.call('equipment.create', { assetTag: 'REF-9', name: 'Pressure meter', locationId: site, referenceStandard: true });
    const refPlan = await w.call('plans.create', { equipmentId: ref.id, task: 'calibration', every: '1y', startDate: iso(400 * DAY).slice(0, 10) });
    seedRecord(core, refPlan.id, iso(400 * DAY));
    seedRecord(core, refPlan.id, iso(1 * DAY));

    // Tom enters the pump's calibration he did two days ago, with REF-9: current today, not then.
    await signIn(page, 'Tom Tech', '1357');
    await page.getByTestId('signed-in-user').filter({ hasText: 'Tom Tech' }).waitFor();
    await page.evaluate((id) => (window.location.hash = `#/log/${id}`), w.seeded.calibrationPlanId);
    await page.getByRole('heading', { level: 2, name: 'Calibration' }).waitFor();
    const picker = page.getByLabel('Reference standard used');
    await picker.selectOption({ label: 'REF-9 Pressure meter' });
    const warning = page.getByRole('alert').filter({ hasText: /REF-9.*not in calibration/i });
    expect(await warning.count(), 'current today: no warning yet').toBe(0);
    const twoDaysAgo = new Date(Date.now() - 2 * DAY);
    await page.getByLabel('Performed on').fill(typed(twoDaysAgo));
    await page.getByLabel('At (time)').fill('09:00');
    await warning.waitFor();
    const due = new Date(Date.now() - 35 * DAY);
    expect(await warning.textContent()).toBe(
      `REF-9 Pressure meter was not in calibration on ${typed(twoDaysAgo)}, the day the work was done (its calibration was due ${typed(due)}). The record will be flagged.`,
    );
    expect(await picker.locator('option:checked').textContent()).toBe('REF-9 Pressure meter (NOT in calibration)');
    await page.getByLabel('As found, Flow 10 ml/h (ml/h)').fill('10');
    await page.getByLabel('As found, Flow 100 ml/h (ml/h)').fill('100');
    await page.getByLabel('As found, Occlusion pressure (mmHg)').fill('500');
    await screenshot(page, 'reference-not-in-calibration-on-performed-day');

    await page.getByLabel('Your PIN or password').fill('1357');
    await page.getByRole('button', { name: /^Sign and save/ }).click();
    await page.getByText(/^Saved: calibration/i).waitFor();
    const flagged = core.db.prepare("SELECT reference_not_current AS f FROM completions WHERE task = 'calibration' AND plan_id = ?").get(w.seeded.calibrationPlanId) as { f: number };
    expect(flagged.f, 'flagged, as the warning said before signing').toBe(1);
    expectNoPageProblems(w.app);
    await w.app.close();
  });
});
