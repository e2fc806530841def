import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { addDays, format } from 'date-fns';
import { afterAll, describe, expect, it } from 'vitest';
import { currentHead, shortHead } from '../../main/core/anchors/chain';
import { newSession } from '../../main/core/session';
import { tempDir } from '../helpers/core';
import { inInventorySince, seedRecord } from '../helpers/records';
import { pdfInfo, pdfPagesText, renderPagePng } from '../helpers/pdf';
import { launchPrinting, shutdown } from './harness';
import { createFirstAdmin, expectNoPageProblems, pageValue } from './steps';

afterAll(shutdown);

const OUT = path.resolve('test-results/print');
mkdirSync(OUT, { recursive: true });

const value = pageValue;

describe("a device's history, printed for an auditor", () => {
  it('every record with its readings and signatures; an amended record struck through but readable; from the device page', async () => {
    const { app } = await launchPrinting(OUT, { dataDir: tempDir() });
    const { page } = app;
    await createFirstAdmin(page);
    await value(page, 'settings.update', { dateFormat: 'yyyy-MM-dd', hospitalName: 'General Hospital' });
    const ago = (days: number) => format(addDays(new Date(), -days), 'yyyy-MM-dd');
    const site = await value(page, 'locations.create', { name: 'General Hospital' });
    const ward = await value(page, 'locations.create', { name: 'Ward 4B', parentId: site.id });
    const pumps = await value(page, 'categories.create', { name: 'Infusion pump', defaultRisk: 'high' });
    const procedure = await value(page, 'procedures.save', {
      owner: { kind: 'category', categoryId: pumps.id },
      task: 'calibration',
      definition: {
        kind: 'measurements',
        points: [
          { label: 'Flow 10 ml/h', unit: 'ml/h', nominal: 10, toleranceKind: 'percent', tolerance: 5 },
          { label: 'Flow 100 ml/h', unit: 'ml/h', nominal: 100, toleranceKind: 'percent', tolerance: 5 },
          { label: 'Occlusion pressure', unit: 'mmHg', nominal: 500, toleranceKind: 'absolute', tolerance: 50 },
        ],
      },
    });
    const analyser = await value(page, 'equipment.create', {
      assetTag: 'REF-1',
      name: 'Flow analyser',
      locationId: site.id,
      referenceStandard: true,
    });
    const analyserPlan = await value(page, 'plans.create', {
      equipmentId: analyser.id,
      task: 'calibration',
      every: '1y',
      startDate: ago(60),
    });
    seedRecord(app.backend.core, analyserPlan.id, `${ago(60)}T09:00:00Z`);
    const pump = await value(page, 'equipment.create', {
      assetTag: 'IP-0001',
      name: 'Infusion pump',
      locationId: ward.id,
      categoryId: pumps.id,
      risk: 'high',
      serial: 'SN-778812',
    });
    inInventorySince(app.backend.core, pump.id, ago(90));
    const calPlan = await value(page, 'plans.create', {
      equipmentId: pump.id,
      task: 'calibration',
      every: '1y',
      startDate: ago(30),
    });
    const cleanPlan = await value(page, 'plans.create', {
      equipmentId: pump.id,
      task: 'cleaning',
      every: '1w',
      startDate: ago(10),
    });

    const calibration = await value(page, 'completions.log', {
      planId: calPlan.id,
      performedAt: `${ago(3)}T09:30:00Z`,
      minutesSpent: 25,
      result: {
        kind: 'measurements',
        procedureId: procedure.id,
        referenceEquipmentId: analyser.id,
        readings: [
          { asFound: 10.2, asLeft: null },
          { asFound: 107, asLeft: 100.4 },
          { asFound: 480, asLeft: null },
        ],
      },
      notes: 'Flow at 100 ml/h adjusted.',
      secret: '2468',
    });
    // The time was wrong: an amending record with a reason; both stay.
    await value(page, 'completions.amend', {
      amendsId: calibration.id,
      reason: 'Performed the day before; typed the wrong date.',
      performedAt: `${ago(4)}T09:30:00Z`,
      minutesSpent: 25,
      result: {
        kind: 'measurements',
        procedureId: procedure.id,
        referenceEquipmentId: analyser.id,
        readings: [
          { asFound: 10.2, asLeft: null },
          { asFound: 107, asLeft: 100.4 },
          { asFound: 480, asLeft: null },
        ],
      },
      secret: '2468',
    });
    await value(page, 'completions.log', {
      planId: cleanPlan.id,
      performedAt: `${ago(2)}T08:00:00Z`,
      result: { kind: 'not_done', reason: 'in_use', explanation: 'On a patient in bed 4.' },
      secret: '2468',
    });
    const cleaned = await value(page, 'completions.log', {
      planId: cleanPlan.id,
      performedAt: `${ago(1)}T08:00:00Z`,
      result: { kind: 'cleaning', method: 'Wipe-down', agent: 'Chlorine 1000 ppm', outcome: 'pass' },
      secret: '2468',
    });
    // A supervisor reviews it: a second signature, another person.
    await value(page, 'users.create', { name: 'Sam Supervisor', role: 'supervisor', temporaryPin: '2580' });
    const sam = newSession();
    const asSam = async (channel: string, input: unknown) =>
      expect(await app.backend.invoke(sam, channel, input)).toMatchObject({ ok: true });
    await asSam('auth.signIn', { name: 'Sam Supervisor', secret: '2580' });
    await asSam('auth.setOwnPin', { currentSecret: '2580', newPin: '8642' });
    await asSam('completions.review', { completionId: cleaned.id, secret: '8642' });

    // From the device page: "Save history as PDF…".
    await page.goto(`${new URL(page.url()).origin}/#/equipment/${pump.id}`);
    await page.getByRole('heading', { name: /Infusion pump/ }).waitFor();
    await page.getByRole('button', { name: 'Save history as PDF…' }).click();
    const saved = page.getByRole('status').filter({ hasText: /^Saved the history of IP-0001 to / });
    await saved.waitFor();
    const file = (await saved.textContent())!.replace(/^Saved the history of IP-0001 to /, '').replace(/\.$/, '');
    expect(path.basename(file)).toBe('history-IP-0001.pdf');

    const info = pdfInfo(file);
    expect(info.title).toBe('Equipment history: IP-0001 Infusion pump - General Hospital');
    const pages = pdfPagesText(file);
    pages.forEach((p, i) => expect(p).toContain(`Page ${i + 1} of ${info.pages}`));
    const text = pages.join('\n').replace(/\s+/g, ' ');
    expect(text).toContain('Equipment history: IP-0001 Infusion pump');
    expect(text).toContain('SN-778812');
    expect(text).toContain('4 records, newest first');
    expect(text).toContain('Records: 4 (1 corrected by a later amending record, shown struck through)');
    for (const point of ['Flow 10 ml/h', 'Flow 100 ml/h', 'Occlusion pressure']) expect(text.split(point).length - 1).toBe(2); // original and amendment
    expect(text).toContain('107 ml/h OUT');
    expect(text).toContain('100.4 ml/h in');
    expect(text).toContain('REF-1 Flow analyser');
    expect(text).toContain('CORRECTED: replaced by the amending record of');
    expect(text).toContain('Reason: Performed the day before; typed the wrong date.');
    expect(text).toContain('Performed by: Ada Admin (Administrator)');
    expect(text).toContain('Reviewed by: Sam Supervisor (Supervisor)');
    expect(text).toContain('Not done because the device was in use: On a patient in bed 4.');
    expect(text).toContain('Chlorine 1000 ppm');
    expect(text).toContain('Flow at 100 ml/h adjusted.');
    // The audit head the database ended on when it was printed, to check the trail against later (issue 13, item 3).
    // (pdftotext reads the header's label and value columns in its own order: each is looked for.)
    expect(text).toContain('Audit head');
    expect(text).toContain(shortHead(currentHead(app.backend.core.db)!));
    for (let p = 1; p <= info.pages; p++) renderPagePng(file, p, path.join(OUT, `history-page-${p}`), 70);

    // "Every calibration of this pump": the records of one task, with the amendment that corrects one.
    await page.getByLabel('Records of').selectOption({ label: 'Calibration' });
    await page.getByRole('button', { name: 'Save history as PDF…' }).click();
    const savedCal = page.getByRole('status').filter({ hasText: /^Saved the calibration history of IP-0001 to / });
    await savedCal.waitFor();
    const calFile = (await savedCal.textContent())!.replace(/^Saved the calibration history of IP-0001 to /, '').replace(/\.$/, '');
    expect(path.basename(calFile)).not.toBe('history-IP-0001.pdf');
    const calText = pdfPagesText(calFile).join('\n').replace(/\s+/g, ' ');
    expect(calText).toMatch(/Tasks: Calibration \(\d+ records? of other tasks left out\)/);
    for (const point of ['Flow 10 ml/h', 'Flow 100 ml/h', 'Occlusion pressure']) expect(calText.split(point).length - 1).toBe(2);
    expect(calText).toContain('CORRECTED: replaced by the amending record of');
    expect(calText).not.toContain('Chlorine 1000 ppm');
    renderPagePng(calFile, 1, path.join(OUT, 'history-calibration-page-1'), 70);

    expectNoPageProblems(app);
    await app.close();
  });
});
