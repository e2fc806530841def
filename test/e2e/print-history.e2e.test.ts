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
import { caller, seedWard } from './seed';
import { createFirstAdmin, expectNoPageProblems, pageValue, signIn } from './steps';

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

describe('the device history printout with long notes, many records and a correction', () => {
  it('A4 and Letter: every line of a two-page note is printed, in the original and in its correction, and every record is there', async () => {
    const dataDir = tempDir();
    const seeded = await seedWard(dataDir);
    const { app } = await launchPrinting(OUT, { dataDir, viewport: { width: 1366, height: 768 } });
    const { page } = app;
    const call = caller(app.backend, newSession(Date.now()));
    await call('auth.signIn', { name: 'Ada Admin', secret: '2468' });
    const core = app.backend.core;
    const today = new Date();
    // Two years of weekly cleanings.
    for (let w = 100; w >= 8; w--) seedRecord(core, seeded.cleaningPlanId, addDays(today, -w * 7).toISOString());
    core.db.prepare('UPDATE equipment SET created_at = ? WHERE id = ?').run(addDays(today, -800).toISOString(), seeded.pumpId);
    // A cleaning with a long note: 150 lines, one a long unbroken reference.
    const lines = Array.from({ length: 150 }, (_, i) => `L${String(i + 1).padStart(3, '0')} wiped and checked`);
    lines[75] = `L076 ${'X'.repeat(150)}`;
    const notes = lines.join('\n');
    expect(notes.length).toBeLessThanOrEqual(4000);
    const logged = await call('completions.log', {
      planId: seeded.cleaningPlanId,
      performedAt: addDays(today, -2).toISOString(),
      result: { kind: 'cleaning', method: 'Wipe with disinfectant', agent: '70% isopropyl alcohol', outcome: 'pass' },
      notes,
      secret: '2468',
    });
    await call('completions.amend', {
      amendsId: logged.id,
      reason: 'Wrong agent typed.',
      performedAt: addDays(today, -2).toISOString(),
      result: { kind: 'cleaning', method: 'Wipe with disinfectant', agent: 'Chlorine 1000 ppm', outcome: 'pass' },
      notes,
      secret: '2468',
    });
    const total = (await call('completions.history', { equipmentId: seeded.pumpId })).length;

    await signIn(page, 'Ada Admin', '2468');
    await page.getByTestId('signed-in-user').waitFor();
    const problems: Record<string, string[]> = {};
    for (const paper of ['a4', 'letter'] as const) {
      const res = await pageValue(page, 'print.document', { view: 'history', params: { equipmentId: seeded.pumpId }, paper, action: 'pdf' });
      expect(res.status).toBe('saved');
      const file = (res as { path: string }).path;
      const info = pdfInfo(file);
      const pages = pdfPagesText(file);
      const text = pages.join('\n');
      const missing: string[] = [];
      pages.forEach((p, i) => {
        if (!p.includes(`Page ${i + 1} of ${info.pages}`)) missing.push(`page ${i + 1}: no "Page ${i + 1} of ${info.pages}"`);
      });
      if (!text.replace(/\s+/g, ' ').includes(`${total} records, newest first`)) missing.push(`no "${total} records, newest first"`);
      for (const l of lines) {
        const key = l.slice(0, 4);
        const n = text.split(key).length - 1;
        if (n < 2) missing.push(`${key} printed ${n} times`);
      }
      const xs = (text.match(/X/g) ?? []).length;
      if (xs < 300) missing.push(`only ${xs} of the 300 X of line L076`);
      const records = text.match(/Record id/g)?.length ?? 0;
      if (records !== total) missing.push(`${records} "Record id" of ${total}`);
      problems[paper] = missing;
      for (let p = 1; p <= Math.min(info.pages, 4); p++) renderPagePng(file, p, path.join(OUT, `history-long-${paper}-page-${p}`), 50);
    }
    expect(problems).toEqual({ a4: [], letter: [] });
    expectNoPageProblems(app);
    await app.close();
  });

  it('a record longer than a page starts on the first page, under the device details, not after a blank page', async () => {
    const dataDir = tempDir();
    const seeded = await seedWard(dataDir);
    const { app } = await launchPrinting(OUT, { dataDir, viewport: { width: 1366, height: 768 } });
    const { page } = app;
    const call = caller(app.backend, newSession(Date.now()));
    await call('auth.signIn', { name: 'Ada Admin', secret: '2468' });
    const notes = Array.from({ length: 150 }, (_, i) => `L${String(i + 1).padStart(3, '0')} wiped and checked`).join('\n');
    await call('completions.log', {
      planId: seeded.cleaningPlanId,
      performedAt: new Date().toISOString(),
      result: { kind: 'cleaning', method: 'Wipe with disinfectant', agent: '70% isopropyl alcohol', outcome: 'pass' },
      notes,
      secret: '2468',
    });
    await signIn(page, 'Ada Admin', '2468');
    await page.getByTestId('signed-in-user').waitFor();
    const firstPages: Record<string, boolean> = {};
    for (const paper of ['a4', 'letter'] as const) {
      const res = await pageValue(page, 'print.document', { view: 'history', params: { equipmentId: seeded.pumpId }, paper, action: 'pdf' });
      const file = (res as { path: string }).path;
      firstPages[paper] = pdfPagesText(file)[0]!.includes('L001');
      renderPagePng(file, 1, path.join(OUT, `history-long-first-${paper}`), 50);
    }
    expect(firstPages).toEqual({ a4: true, letter: true });
    await app.close();
  });
});
