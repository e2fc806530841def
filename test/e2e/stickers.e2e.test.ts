import { inTransaction } from '../../main/core/dispatcher/transaction';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { format, startOfDay, subDays } from 'date-fns';
import { afterAll, describe, expect, it } from 'vitest';
import { currentHead, shortHead } from '../../main/core/anchors/chain';
import { recordCompletion } from '../../main/core/completions/record';
import type { LabelStockId, StickerParamsInput } from '../../shared/domain/report-stickers';
import { LABEL_STOCKS } from '../../shared/domain/report-stickers';
import { printRoute } from '../../renderer/src/lib/print-route';
import { testActor, tempDir } from '../helpers/core';
import { decodeBarcode, mmToPx, pdfInfo, pdfPagesText, renderPageGray, renderPagePng } from '../helpers/pdf';
import { device, plan } from '../integration/plans/fixtures';
import type { LaunchedApp } from './harness';
import { launchApp, launchPrinting, shutdown } from './harness';
import { createFirstAdmin, expectNoPageProblems, pageValue, nav } from './steps';

afterAll(shutdown);

const OUT = path.resolve('test-results/print');
mkdirSync(OUT, { recursive: true });
const DPI = 300;
const TECHS = ['Grace Hopper', 'Alan Turing', 'Ada Lovelace'];

const value = pageValue;

/**
 * 27 devices calibrated today by three technicians (more than one A4 sheet of 24), one of which
 * failed and is tagged out; tags with the punctuation wards use; and devices not calibrated today.
 */
function seed(app: LaunchedApp): { tags: string[]; failed: string } {
  const core = app.backend.core;
  const now = new Date();
  // A minute apart, or closer just after midnight: every one of them today, whenever the test runs
  // (27 minutes back from 00:10 was yesterday for 17 of them).
  const step = Math.min(60_000, (now.getTime() - startOfDay(now).getTime()) / 28);
  const tags: string[] = [];
  for (let i = 0; i < 27; i++) {
    const tag = i === 5 ? 'ecg/07-b.2' : i === 9 ? 'WK 0010+A' : `CAL-${String(i + 1).padStart(4, '0')}`;
    const id = device(core, tag, {
      name: i % 4 === 0 ? 'Syringe driver, ambulatory, with a name too long for one line of a sticker' : `Infusion pump ${i + 1}`,
      location: `General Hospital > Ward ${1 + (i % 3)} > Bay 1`,
      risk: 'high',
    });
    const cal = plan(core, id, 'calibration', '1y', format(subDays(now, 20), 'yyyy-MM-dd'));
    inTransaction(core, (core) => recordCompletion(core, testActor, {
      planId: cal.id,
      performedAt: new Date(now.getTime() - (i + 1) * step).toISOString(),
      outcome: i === 13 ? 'fail' : i % 5 === 0 ? 'pass_adjusted' : 'pass',
      performedByName: TECHS[i % TECHS.length]!,
      source: 'app',
    }));
    tags.push(tag);
  }
  const other = device(core, 'OLD-0001', { location: 'General Hospital > Ward 1 > Bay 1' });
  plan(core, other, 'calibration', '1y', format(subDays(now, 3), 'yyyy-MM-dd'));
  return { tags, failed: 'CAL-0014' };
}

/** Every label cell of every sheet decoded back from a 300 dpi grey rendering. */
function decodeSheets(file: string, stockId: LabelStockId): string[] {
  const stock = LABEL_STOCKS[stockId];
  const { pages } = pdfInfo(file);
  const found: string[] = [];
  for (let p = 1; p <= pages; p++) {
    const image = renderPageGray(file, p, DPI);
    for (let r = 0; r < stock.rows; r++) {
      for (let c = 0; c < stock.columns; c++) {
        const text = decodeBarcode(image, {
          left: mmToPx(stock.margin.left + c * (stock.size.width + stock.gap.x), DPI),
          top: mmToPx(stock.margin.top + r * (stock.size.height + stock.gap.y), DPI),
          width: mmToPx(stock.size.width, DPI),
          height: mmToPx(stock.size.height, DPI),
        });
        if (text !== null) found.push(text);
      }
    }
  }
  return found;
}

async function printToFile(app: LaunchedApp, params: StickerParamsInput, name: string): Promise<string> {
  const page = await app.context.newPage();
  await page.goto(`${new URL(app.page.url()).origin}/#${printRoute('stickers', params)}`);
  await page.waitForSelector('html[data-print-state="ready"]', { state: 'attached' });
  const file = path.join(OUT, `${name}.pdf`);
  await page.pdf({ path: file, preferCSSPageSize: true, printBackground: true });
  await page.close();
  return file;
}

describe('calibration stickers, in Chromium', () => {
  it('prints every device calibrated today on A4 label sheets; every barcode decodes back to its tag; a failed device says DO NOT USE', async () => {
    const { app, port } = await launchPrinting(OUT, { dataDir: tempDir() });
    const { page } = app;
    await createFirstAdmin(page);
    await value(page, 'settings.update', { dateFormat: 'dd/MM/yyyy', hospitalName: 'General Hospital' });
    const { tags, failed } = seed(app);

    await nav(page).getByRole('link', { name: 'Stickers', exact: true }).click();
    await page.getByRole('heading', { name: 'Calibration stickers' }).waitFor();
    await page.getByLabel('Labels', { exact: true }).selectOption('a4-3x8');
    await page.getByLabel('Code', { exact: true }).selectOption('code128');
    await page.getByLabel('Labels already used on the first sheet').fill('2');
    await expect.poll(() => page.getByTestId('sticker-preview-row').count()).toBe(27);
    const failedRow = page.getByTestId('sticker-preview-row').filter({ hasText: failed });
    expect(await failedRow.textContent()).toContain('DO NOT USE');
    expect(await page.getByTestId('sticker-preview-row').filter({ hasText: 'CAL-0002' }).textContent()).toContain('AT'); // Alan Turing
    await page.screenshot({ path: path.join(OUT, 'stickers-screen.png') });

    await page.getByRole('button', { name: 'Save as PDF…' }).click();
    const saved = page.getByRole('status').filter({ hasText: /^Saved the stickers to / });
    await saved.waitFor();
    const file = (await saved.textContent())!.replace(/^Saved the stickers to /, '').replace(/\.$/, '');
    expect(port.jobs.at(-1)).toMatchObject({ action: 'pdf', pageSize: { widthMm: 210, heightMm: 297 } });

    const info = pdfInfo(file);
    expect(info.pages).toBe(2); // 2 skipped + 27 = 29 cells: two sheets of 24
    expect(info.widthPt).toBeCloseTo(595.3, 0);
    const decoded = decodeSheets(file, 'a4-3x8');
    expect([...decoded].sort()).toEqual([...tags].sort());
    const text = pdfPagesText(file).join('\n');
    expect((text.match(/DO NOT USE/g) ?? []).length).toBe(1);
    expect(text).toContain('Next due');
    expect(text).toMatch(/Calibrated \d{2}\/\d{2}\/\d{4} by GH/);
    // Each sheet's footer carries the audit head the database ended on when it was printed (issue 13, item 3).
    const head = shortHead(currentHead(app.backend.core.db)!);
    pdfPagesText(file).forEach((sheet, i) => expect(sheet.replace(/\s+/g, ' '), `sheet ${i + 1}`).toMatch(new RegExp(`Audit head ${head} \\(chain [0-9a-f]{8}\\)`)));
    renderPagePng(file, 1, path.join(OUT, 'stickers-a4-sheet'), 100);

    expectNoPageProblems(app);
    await app.close();
  });

  it('prints chosen devices on a Letter sheet (Code 128) and on a label printer roll (QR codes), each decoded back', async () => {
    const app = await launchApp({ dataDir: tempDir() });
    const { page } = app;
    await createFirstAdmin(page);
    await value(page, 'settings.update', { dateFormat: 'yyyy-MM-dd' });
    const { tags, failed } = seed(app);
    const ids = await Promise.all(
      tags.slice(0, 12).map(async (tag) => (await value(page, 'equipment.findByTag', { tag })).id),
    );

    // The screen: devices typed or scanned into the tag field.
    await nav(page).getByRole('link', { name: 'Stickers', exact: true }).click();
    await page.getByRole('radio', { name: 'Devices I choose' }).check();
    for (const tag of tags.slice(0, 3)) {
      await page.getByLabel('Asset tag (type or scan)').fill(tag);
      await page.getByLabel('Asset tag (type or scan)').press('Enter');
    }
    await expect.poll(() => page.getByTestId('sticker-preview-row').count()).toBe(3);
    await page.getByRole('button', { name: `Remove ${tags[1]}` }).click();
    await expect.poll(() => page.getByTestId('sticker-preview-row').count()).toBe(2);

    const letter = await printToFile(app, { equipmentIds: ids, stock: 'letter-3x10', symbology: 'code128' }, 'stickers-letter');
    expect(pdfInfo(letter)).toMatchObject({ pages: 1, widthPt: 612, heightPt: 792 });
    expect([...decodeSheets(letter, 'letter-3x10')].sort()).toEqual(tags.slice(0, 12).sort());
    renderPagePng(letter, 1, path.join(OUT, 'stickers-letter-sheet'), 100);

    // The roll: QR codes, and the failed device's DO NOT USE sticker last.
    const failedId = (await value(page, 'equipment.findByTag', { tag: failed })).id;
    const roll = await printToFile(app, { equipmentIds: [...ids, failedId], stock: 'roll-62x29', symbology: 'qr' }, 'stickers-roll-62x29');
    const info = pdfInfo(roll);
    expect(info.pages).toBe(13);
    expect(info.widthPt).toBeCloseTo((62 / 25.4) * 72, 0);
    expect(info.heightPt).toBeCloseTo((29 / 25.4) * 72, 0);
    const fromRoll: string[] = [];
    for (let p = 1; p <= info.pages; p++) fromRoll.push(decodeBarcode(renderPageGray(roll, p, DPI)) ?? `page ${p}: nothing`);
    expect(fromRoll).toEqual([...tags.slice(0, 12), failed]);
    expect(pdfPagesText(roll)[12]).toContain('DO NOT USE');
    renderPagePng(roll, 1, path.join(OUT, 'stickers-roll-62x29-1'), 200);
    renderPagePng(roll, 13, path.join(OUT, 'stickers-roll-62x29-dnu'), 200);

    const small = await printToFile(app, { equipmentIds: ids.slice(10), stock: 'roll-50x25', symbology: 'code128' }, 'stickers-roll-50x25');
    expect(pdfInfo(small).pages).toBe(2);
    expect([1, 2].map((p) => decodeBarcode(renderPageGray(small, p, DPI)))).toEqual(tags.slice(10, 12));
    renderPagePng(small, 1, path.join(OUT, 'stickers-roll-50x25-1'), 200);

    expectNoPageProblems(app);
    await app.close();
  });
});
