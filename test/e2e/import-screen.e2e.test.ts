import { afterAll, describe, expect, it } from 'vitest';
import { expectAccessible, screenshot } from './axe';
import { shutdown } from './harness';
import { focused, signIn } from './steps';
import { launchWard } from './ward';

afterAll(shutdown);

type Ward = Awaited<ReturnType<typeof launchWard>>;

/** The import screen at 1366×768, signed in as Ada Admin. */
async function openImport(): Promise<Ward> {
  const w = await launchWard();
  const { page } = w.app;
  await signIn(page, 'Ada Admin', '2468');
  await page.getByTestId('signed-in-user').waitFor();
  await page.evaluate(() => (window.location.hash = '#/import'));
  await page.getByRole('heading', { level: 1, name: 'Import equipment' }).waitFor();
  return w;
}

const count = (w: Ward) => (w.app.backend.core.db.prepare('SELECT count(*) AS n FROM equipment').get() as { n: number }).n;

async function choose(w: Ward, name: string, content: string | Buffer) {
  const buffer = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  await w.app.page.getByLabel('CSV file', { exact: true }).setInputFiles({ name, mimeType: 'text/csv', buffer });
}

const HEADER = 'Asset tag,Name,Location,Risk,Manufacturer';
const goodRow = (i: number) => `T-${i},Pump ${i},Ward 4B,low,Acme`;

describe('the CSV import screen, in Chromium', () => {
  it('a file chosen by keyboard starts at "Match the columns"; mapping problems name the fields as the screen does; a bad row is named by row and column', async () => {
    const w = await openImport();
    const { page } = w.app;
    const before = count(w);
    // "Code" is a header the asset tag is known by: two columns for it.
    const file = ['Asset tag,Code,Name,Location,Risk', 'A-1,C-1,Pump 1,Ward 4B,low', 'A-2,C-2,Pump 2,Ward 4B,extreme'].join('\n');
    await page.getByLabel('CSV file', { exact: true }).focus();
    await choose(w, 'two-tags.csv', file);
    await page.getByRole('heading', { name: 'Match the columns' }).waitFor();
    await expect.poll(async () => (await focused(page)).text, { timeout: 3000 }).toBe('Match the columns');

    const banner = page.getByRole('alert');
    await banner
      .getByText('Columns "Asset tag" and "Code" are both mapped to Asset tag; map one of them to another field or ignore it.')
      .waitFor();
    expect(await page.getByRole('button', { name: 'Preview the import' }).isDisabled()).toBe(true);
    await expectAccessible(page, 'mapping with a problem');
    await page.screenshot({ path: '/tmp/fix-screens/import-mapping-problem.png' });

    await page.getByLabel('Code', { exact: true }).selectOption('');
    await page.getByLabel('Location', { exact: true }).selectOption('');
    await banner.getByText('No column is mapped to Location, which is required: map one of the columns to it.').waitFor();
    expect(await banner.innerText()).not.toMatch(/asset_tag|mapped to location/);

    await page.getByLabel('Location', { exact: true }).selectOption('location');
    await page.getByRole('button', { name: 'Preview the import' }).click();
    await page.getByRole('heading', { name: 'Check the preview' }).waitFor();
    await expect.poll(async () => (await focused(page)).text, { timeout: 3000 }).toBe('Check the preview');
    const row = page.getByRole('region', { name: /1 problem/ }).getByRole('row', { name: /Row 3, column "Risk"/ });
    await row.waitFor();
    expect(await row.getByRole('cell').allInnerTexts()).toEqual(['3', 'Risk', expect.stringContaining('"extreme" is not a risk level')]);
    expect(await page.getByRole('button', { name: 'Import', exact: true }).isDisabled()).toBe(true);
    await expectAccessible(page, 'import preview with a problem');

    // Another file, Windows-1252 with semicolons: read as such, accents kept.
    await page.getByRole('button', { name: 'Back to the columns' }).click();
    await page.getByRole('button', { name: 'Choose another file' }).click();
    await choose(w, 'cp1252.csv', Buffer.from('Asset tag;Name;Location\r\nW-1;\xC9lectrocardiographe;Ward 4B\r\n', 'latin1'));
    await page.getByRole('heading', { name: 'Match the columns' }).waitFor();
    await expect.poll(async () => (await focused(page)).text, { timeout: 3000 }).toBe('Match the columns');
    expect(await page.locator('.file-line').innerText()).toMatch(/Windows-1252 · semicolon-separated/);
    await page.getByRole('button', { name: 'Preview the import' }).click();
    await page.getByRole('button', { name: 'Import 1 device' }).click();
    await page.getByRole('heading', { name: 'Imported 1 device' }).waitFor();
    expect(w.app.backend.core.db.prepare("SELECT name FROM equipment WHERE asset_tag = 'W-1'").get()).toEqual({
      name: 'Électrocardiographe',
    });
    expect(count(w)).toBe(before + 1);
    await w.app.close();
  });

  it('two new categories that print alike: the later row refused in the preview by row and column, only the first to be created, Import off', async () => {
    const w = await openImport();
    const { page } = w.app;
    const before = count(w);
    // A Cyrillic "а" in the second: another name to the app, the same on a device list.
    const file = ['Asset tag,Name,Location,Category', 'N-1,Scanner 1,Ward 4B,Bladder scanner', 'N-2,Scanner 2,Ward 4B,Bladder sc\u0430nner'].join('\n');
    await choose(w, 'look-alike-categories.csv', file);
    await page.getByRole('heading', { name: 'Match the columns' }).waitFor();
    await page.getByRole('button', { name: 'Preview the import' }).click();
    await page.getByRole('heading', { name: 'Check the preview' }).waitFor();
    const row = page.getByRole('region', { name: /1 problem/ }).getByRole('row', { name: /Row 3, column "Category"/ });
    await row.waitFor();
    expect(await row.getByRole('cell').allInnerTexts()).toEqual([
      '3',
      'Category',
      expect.stringContaining('the new category "Bladder sc\u0430nner" prints like "Bladder scanner", which row 2 makes (its "\u0430" is U+0430)'),
    ]);
    const created = page.getByRole('region', { name: 'To be created' });
    await created.getByRole('heading', { name: '1 new category' }).waitFor();
    expect(await created.getByRole('listitem').allInnerTexts()).toEqual(['Bladder scanner']);
    expect(await page.getByRole('button', { name: 'Import', exact: true }).isDisabled()).toBe(true);
    await expectAccessible(page, 'import preview with a look-alike category');
    await screenshot(page, 'import-look-alike-categories');
    expect(count(w)).toBe(before);
    await w.app.close();
  });

  it('Excel\'s "Unicode Text" (UTF-16 with its BOM, tabs): the file line names the encoding and the tabs, the examples and the devices keep every accent', async () => {
    const w = await openImport();
    const { page } = w.app;
    const before = count(w);
    const text = 'Asset tag\tName\tLocation\r\nU-1\tDéfibrillateur\tWard 4B\r\nU-2\tPerfusor Tür\tStation Süd Ø\r\n';
    await choose(w, 'inventory.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    await page.getByRole('heading', { name: 'Match the columns' }).waitFor();
    expect(await page.locator('.file-line').innerText()).toMatch(/UTF-16 little-endian \(with BOM\) · tab-separated · 3 columns/);
    const examples = (column: string) => page.getByRole('row').filter({ has: page.getByText(column, { exact: true }) }).locator('.example').allInnerTexts();
    expect(await examples('Name')).toEqual(['Défibrillateur', 'Perfusor Tür']);
    expect(await examples('Location')).toEqual(['Ward 4B', 'Station Süd Ø']);
    await page.getByRole('button', { name: 'Preview the import' }).click();
    await page.getByText('No problems: all 2 rows can be imported.').waitFor();
    await page.getByRole('button', { name: 'Import 2 devices' }).click();
    await page.getByRole('heading', { name: 'Imported 2 devices' }).waitFor();
    expect(w.app.backend.core.db.prepare("SELECT asset_tag, name FROM equipment WHERE asset_tag LIKE 'U-%' ORDER BY asset_tag").all()).toEqual([
      { asset_tag: 'U-1', name: 'Défibrillateur' },
      { asset_tag: 'U-2', name: 'Perfusor Tür' },
    ]);
    expect((await w.call('locations.list', {})).map((l) => l.name)).toContain('Station Süd Ø');
    expect(count(w)).toBe(before + 2);
    await w.app.close();
  });

  it('the same file again with generated tags: each device already in the inventory named in the preview by row, serial and tag, Import off', async () => {
    const w = await openImport();
    const { page } = w.app;
    const file = ['Name,Location,Manufacturer,Model,Serial Number', 'Blood gas analyser,Ward 4B,Ohmeda,5250 RGM,FARX O1093', 'Scale,Ward 4B,Seca,,'].join('\n');
    const importOnce = async () => {
      await choose(w, 'inventory.csv', file);
      await page.getByRole('heading', { name: 'Match the columns' }).waitFor();
      await page.getByLabel('Generate asset tags for rows whose tag is blank').check();
      await page.getByRole('button', { name: 'Preview the import' }).click();
      await page.getByRole('heading', { name: 'Check the preview' }).waitFor();
    };
    await importOnce();
    await page.getByRole('button', { name: 'Import 2 devices' }).click();
    await page.getByRole('heading', { name: 'Imported 2 devices' }).waitFor();
    const before = count(w);
    const tag = (w.app.backend.core.db.prepare("SELECT asset_tag FROM equipment WHERE serial = 'FARX O1093'").get() as { asset_tag: string }).asset_tag;

    await page.evaluate(() => (window.location.hash = '#/equipment'));
    await page.evaluate(() => (window.location.hash = '#/import'));
    await page.getByRole('heading', { level: 1, name: 'Import equipment' }).waitFor();
    await importOnce();
    const row = page.getByRole('region', { name: /1 problem/ }).getByRole('row', { name: /Row 2, column "Serial Number"/ });
    await row.waitFor();
    expect(await row.getByRole('cell').allInnerTexts()).toEqual([
      '2',
      'Serial Number',
      expect.stringContaining(`serial "FARX O1093" (Ohmeda 5250 RGM) is already on ${tag} in the inventory.`),
    ]);
    expect(await page.getByRole('button', { name: 'Import', exact: true }).isDisabled()).toBe(true);
    await screenshot(page, 'import-same-file-again');
    expect(count(w)).toBe(before);
    await w.app.close();
  });

  it('a tag taken between the preview and Import: the refusal in view above the action bar, the preview read again (no "No problems", the row counted), Import off, nothing written', async () => {
    const w = await openImport();
    const { page } = w.app;
    const before = count(w);
    await choose(w, 'race.csv', [HEADER, goodRow(1), goodRow(2), goodRow(3)].join('\n'));
    await page.getByRole('button', { name: 'Preview the import' }).click();
    await page.getByText('No problems: all 3 rows can be imported.').waitFor();
    const ward = (await w.call('locations.list', {})).find((l) => l.name === 'Ward 4B')!;
    await w.call('equipment.create', { assetTag: 't-3', name: 'Someone else', locationId: ward.id });
    await page.getByRole('button', { name: 'Import 3 devices' }).click();

    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toMatch(/^Nothing was imported: .*Row 4, column "Asset tag": asset tag "T-3" is already used/);
    await page.getByText('No problems: all 3 rows can be imported.').waitFor({ state: 'detached' });
    const stat = (name: string) =>
      page
        .locator('.stats div')
        .filter({ has: page.getByRole('term').filter({ hasText: name }) })
        .getByRole('definition');
    expect(await stat('With problems').innerText()).toBe('1');
    expect(await stat('Ready').innerText()).toBe('2');
    await page
      .getByRole('region', { name: /1 problem/ })
      .getByRole('row', { name: /Row 4, column "Asset tag"/ })
      .waitFor();
    expect(await page.getByRole('button', { name: 'Import', exact: true }).isDisabled()).toBe(true);

    // What is really on top at the refusal's first line: the refusal, not the sticky action bar.
    await expect
      .poll(() =>
        alert.evaluate((el) => {
          const r = el.getBoundingClientRect();
          const hit = document.elementFromPoint(r.left + r.width / 2, r.top + Math.min(r.height / 2, 12));
          return !!hit && el.contains(hit) && r.bottom <= window.innerHeight;
        }),
      )
      .toBe(true);
    expect(await alert.evaluate((el) => el.parentElement!.contains(document.activeElement))).toBe(true);
    await page.screenshot({ path: '/tmp/fix-screens/import-race-after.png' });
    expect(count(w)).toBe(before + 1);
    await w.app.close();
  });
});
