import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import type { Locator, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/core';
import { launchApp, shutdown } from './harness';
import { createFirstAdmin, expectNoPageProblems, pageInvoke, nav } from './steps';

afterAll(shutdown);

const FIXTURE = path.resolve('test/fixtures/ewh-hospital-inventory.csv');
const SHOTS = path.resolve('test-results/screenshots');

interface FileRow {
  Location: string;
  Code: string;
  'Serial Number': string;
  'Equipment Type': string;
  Model: string;
  Status: string;
  Manufacturer: string;
}

/** The hospital file's rows, each with the tag it gets: its code, or the next EWH-nnnnn for a blank one. */
function hospitalDevices(): (FileRow & { tag: string })[] {
  const rows = Papa.parse<FileRow>(readFileSync(FIXTURE, 'utf8'), { header: true, skipEmptyLines: true }).data;
  let n = 0;
  return rows.map((r) => ({ ...r, tag: r.Code.trim() || `EWH-${String(++n).padStart(5, '0')}` }));
}

/** The longest word of a text: specific enough to find its device among 23. */
const longestWord = (s: string) => s.split(/[^\p{L}\p{N}]+/u).sort((a, b) => b.length - a.length)[0] ?? '';

async function shot(page: Page, name: string) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

/** Searches the list and waits until the list shows that search's result. */
async function search(page: Page, text: string) {
  const box = page.getByLabel('Search', { exact: true });
  const count = page.getByRole('status').filter({ hasText: /devices?( match)?$/ });
  if ((await box.inputValue()) !== '') {
    await box.fill('');
    await count.filter({ hasText: /^23 devices$/ }).waitFor();
  }
  await box.fill(text);
  await count.filter({ hasText: /^\d+ of 23 devices match$/ }).waitFor();
}

/** The list's row of a device, by its tag. */
const rowOf = (page: Page, tag: string) => page.getByRole('row', { name: new RegExp(`(^|\\s)${tag}(\\s|$)`) });

/** The text of each body cell of a table, row by row. */
async function cellTexts(table: ReturnType<Page['getByRole']>): Promise<string[][]> {
  return table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...(tr as HTMLTableRowElement).cells].map((c) => c.innerText.trim())));
}

async function blurToBody(page: Page) {
  await page.evaluate(() => (document.activeElement instanceof HTMLElement ? document.activeElement.blur() : undefined));
}

/**
 * A scan, as a USB scanner sends it: the tag's keys a few milliseconds apart, then Enter, with the
 * focus on the page (no field). The keys are dispatched from inside the page in one burst,
 * because Playwright's per-key round trips to Chromium can lag past the scanner's 50 ms on a
 * loaded machine, which a real scanner's keys never do. Slow typing is tested with real keys.
 */
async function scan(page: Page, tag: string, expected: Locator) {
  await blurToBody(page);
  await page.evaluate((keys) => {
    const target = document.activeElement ?? document.body;
    for (const key of [...keys, 'Enter']) {
      target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
      target.dispatchEvent(new KeyboardEvent('keyup', { key, bubbles: true, cancelable: true }));
    }
  }, [...tag]);
  await expected.waitFor({ timeout: 30_000 });
}

describe('the inventory, in Chromium', () => {
  it('imports the hospital file, finds every device, scans tags, edits, changes status and exports', async () => {
    const app = await launchApp({ dataDir: tempDir() });
    const { page } = app;
    await createFirstAdmin(page);
    const devices = hospitalDevices();
    expect(devices).toHaveLength(23);

    // An empty list says so.
    await nav(page).getByRole('link', { name: 'Equipment', exact: true }).click();
    await page.getByText('No equipment yet.').waitFor();

    // Import: the file picker, then the mapping guessed from the headers.
    await page.getByRole('link', { name: 'Import CSV' }).click();
    await page.getByLabel('CSV file', { exact: true }).setInputFiles(FIXTURE);
    await page.getByRole('heading', { name: 'Match the columns' }).waitFor();
    const guessed = {
      Location: 'location',
      Code: 'asset_tag',
      'Serial Number': 'serial',
      'Equipment Type': 'name',
      Model: 'model',
      Status: 'status',
      Manufacturer: 'manufacturer',
    };
    for (const [header, field] of Object.entries(guessed)) {
      expect(await page.getByLabel(header, { exact: true }).inputValue()).toBe(field);
    }
    await page.getByText('8 rows have no asset tag').waitFor();
    await shot(page, 'import-mapping');

    // Without generated tags, the preview lists each blank code by row and column, and refuses to import.
    await page.getByRole('button', { name: 'Preview the import' }).click();
    await page.getByRole('heading', { name: 'Check the preview' }).waitFor();
    const problems = page.getByRole('region', { name: /8 problems/ });
    await problems.waitFor();
    const blankRows = devices.map((d, i) => (d.Code.trim() ? null : i + 2)).filter((r) => r !== null);
    for (const row of blankRows) {
      await problems.getByRole('row', { name: new RegExp(`Row ${row}, column "Code": the asset tag is blank`) }).waitFor();
    }
    expect(await page.getByRole('button', { name: 'Import' }).isDisabled()).toBe(true);
    await shot(page, 'import-preview-problems');

    // Back to the columns: generate tags EWH-00001, … for the blank codes.
    await page.getByRole('button', { name: 'Back to the columns' }).click();
    await page.getByLabel('Generate asset tags for rows whose tag is blank').check();
    await page.getByLabel('Tag prefix').fill('EWH');
    await page.getByText('EWH-00001, EWH-00002, …').waitFor();
    await page.getByRole('button', { name: 'Preview the import' }).click();
    await page.getByRole('heading', { name: 'Check the preview' }).waitFor();
    await page.getByText('No problems: all 23 rows can be imported.').waitFor();

    // The status-word table: each foreign word, the status it becomes, and how many rows use it.
    const words = page.getByRole('table', { name: 'Status words' });
    expect(await cellTexts(words)).toEqual([
      ['Operational', 'In service', '20'],
      ['UnderMaintenance', 'Out of service', '2'],
      ['PartiallyOperational', 'Out of service', '1'],
    ]);
    // The new locations (every ward of the file) and the rows as they will be stored.
    for (const location of new Set(devices.map((d) => d.Location))) {
      await page.getByRole('region', { name: 'To be created' }).getByText(location, { exact: true }).waitFor();
    }
    const previewRows = page.getByRole('table', { name: /The first 20 of 23 rows/ }).getByRole('row');
    expect(await previewRows.count()).toBe(21);
    for (const [i, d] of devices.slice(0, 20).entries()) {
      const text = await previewRows.nth(i + 1).innerText();
      expect(text).toContain(d.tag);
      expect(text).toContain(d.Location);
    }
    await shot(page, 'import-preview');
    await page.getByRole('button', { name: 'Import 23 devices' }).click();
    await page.getByRole('heading', { name: 'Imported 23 devices' }).waitFor();
    await page.getByText('EWH-00001, EWH-00002').waitFor();
    expect(app.backend.core.db.prepare('SELECT count(*) AS n FROM equipment').get()).toEqual({ n: 23 });

    // Every device is found by its code, its serial and a word of its type.
    await page.getByRole('link', { name: 'Open the list' }).click();
    await page.getByRole('status').filter({ hasText: /^23 devices$/ }).waitFor();
    await shot(page, 'equipment-list');
    for (const d of devices) {
      const terms = [d.Code, d['Serial Number'], longestWord(d['Equipment Type'] || d.Model)].map((t) => t.trim()).filter(Boolean);
      for (const term of terms) {
        await search(page, term);
        await rowOf(page, d.tag).waitFor();
      }
    }
    // Partial words narrow too.
    await search(page, 'aspir');
    expect(await page.getByRole('status').filter({ hasText: /devices match$/ }).innerText()).toBe('5 of 23 devices match');

    // Enter on a whole tag in the search box opens that device.
    await page.getByLabel('Search', { exact: true }).fill('ewh-00003');
    await page.getByLabel('Search', { exact: true }).press('Enter');
    await page.getByRole('heading', { name: /Auto Refractometer/ }).waitFor();

    // The location tree filters; sort by a column header.
    await nav(page).getByRole('link', { name: 'Equipment', exact: true }).click();
    await page.getByLabel('Search', { exact: true }).fill('');
    await page.getByRole('treeitem', { name: /^Surgery/ }).click();
    await page.getByRole('status').filter({ hasText: '4 of 23 devices match' }).waitFor();
    await page.getByRole('columnheader', { name: 'Name' }).getByRole('button').click();
    expect(await page.getByRole('columnheader', { name: 'Name' }).getAttribute('aria-sort')).toBe('ascending');
    await page.getByRole('treeitem', { name: /^All locations/ }).click();
    await page.getByRole('status').filter({ hasText: /^23 devices$/ }).waitFor();

    // The keyboard: into the rows, down one, Enter opens it.
    await page.getByRole('columnheader', { name: 'Name' }).getByRole('button').click(); // now Z→A
    expect(await page.getByRole('columnheader', { name: 'Name' }).getAttribute('aria-sort')).toBe('descending');
    // The rows are read again in the new order: wait for them, not only for the header.
    await expect.poll(() => page.getByRole('row').nth(2).getByRole('gridcell').nth(1).innerText()).toBe('Wheelchairs, Mechanical');
    await page.getByRole('row').nth(1).focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: /Wheelchairs, Mechanical/ }).waitFor();

    // A scan with the focus on the page: the tag typed fast, then Enter, opens the device.
    await scan(page, '4852', page.getByRole('heading', { level: 1, name: /Mycobacteria/ }));
    await scan(page, 'ewh-00008', page.getByRole('heading', { level: 1, name: /DryView 5850 Laser Imager/ }));
    await scan(page, '1817', page.getByRole('heading', { level: 1, name: /Blood Gas/ }));

    // Slow typing is not a scan.
    await blurToBody(page);
    await page.keyboard.type('3461', { delay: 120 });
    await page.keyboard.press('Enter');
    await page.waitForTimeout(1000);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toMatch(/Blood Gas/);
    expect(await page.getByRole('dialog').count()).toBe(0);

    // An unknown tag: the dialog says so; Escape closes it; "Add it" opens the form with the tag.
    const unknown = page.getByRole('dialog', { name: 'No device has the tag NEW-0001' });
    await scan(page, 'NEW-0001', unknown);
    await page.keyboard.press('Escape');
    await unknown.waitFor({ state: 'detached' });
    await scan(page, 'NEW-0001', unknown);
    await unknown.getByRole('button', { name: 'Add it' }).click();
    await page.getByRole('heading', { name: 'Add a device' }).waitFor();
    expect(await page.getByLabel('Asset tag').inputValue()).toBe('NEW-0001');

    // Edit a device: change its model.
    await nav(page).getByRole('link', { name: 'Equipment', exact: true }).click();
    await search(page, 'Focimeter');
    await rowOf(page, 'EWH-00001').getByRole('link').click();
    await page.getByRole('heading', { level: 1, name: /A\/B Scan, Focimeter/ }).waitFor();
    await page.getByText('Imported with status "Operational".').first().waitFor();
    await shot(page, 'device-page');
    await page.getByRole('button', { name: 'Edit…' }).click();
    const editDialog = page.getByRole('dialog', { name: 'Edit EWH-00001' });
    expect(await editDialog.getByLabel('Model').inputValue()).toBe('CAS-2000BER');
    await editDialog.getByLabel('Model').fill('CAS-2000BER Mk II');
    await shot(page, 'device-edit');
    await editDialog.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Saved the changes to EWH-00001.').waitFor();
    await page.getByText('CAS-2000BER Mk II').waitFor();
    expect(app.backend.core.db.prepare("SELECT model FROM equipment WHERE asset_tag = 'EWH-00001'").get()).toEqual({ model: 'CAS-2000BER Mk II' });

    // Change its status: the reason is required, then shown.
    await page.getByRole('button', { name: 'Change status…' }).click();
    const statusDialog = page.getByRole('dialog', { name: 'Change the status of EWH-00001' });
    await statusDialog.getByLabel('New status').selectOption({ label: 'Out of service' });
    await statusDialog.getByRole('button', { name: 'Change status' }).click();
    await statusDialog.getByTestId('error-summary').getByRole('link', { name: 'Reason is required.' }).waitFor();
    await statusDialog.getByLabel('Reason').fill('Cracked probe housing');
    await statusDialog.getByLabel('Reason').press('Enter');
    await page.getByText('EWH-00001 is now out of service.').waitFor();
    await page.locator('.status-line').getByText('Cracked probe housing').waitFor();
    expect(app.backend.core.db.prepare("SELECT status, status_reason FROM equipment WHERE asset_tag = 'EWH-00001'").get()).toEqual({
      status: 'out_of_service',
      status_reason: 'Cracked probe housing',
    });

    // Delete: refused once the device has a status history (issue 16: every change of status is
    // kept), with the way out offered; a device with no history at all goes.
    await page.getByRole('button', { name: 'Delete…' }).click();
    const refused = page.getByRole('dialog', { name: 'Delete EWH-00001?' });
    await refused.getByRole('button', { name: 'Delete device' }).click();
    await refused.getByText(/has plans or history, so it cannot be deleted; retire it instead/).first().waitFor();
    await refused.getByRole('button', { name: 'Retire it instead…' }).waitFor();
    await page.keyboard.press('Escape');
    await refused.waitFor({ state: 'detached' });
    const spare = app.backend.core.db
      .prepare("SELECT asset_tag AS tag FROM equipment WHERE asset_tag LIKE 'EWH-%' AND asset_tag <> 'EWH-00008' AND id NOT IN (SELECT equipment_id FROM status_changes) ORDER BY asset_tag LIMIT 1")
      .get() as { tag: string };
    await scan(page, spare.tag, page.getByRole('heading', { level: 1 }).filter({ hasText: spare.tag }));
    await page.getByRole('button', { name: 'Delete…' }).click();
    await page.getByRole('dialog', { name: `Delete ${spare.tag}?` }).getByRole('button', { name: 'Delete device' }).click();
    await page.getByRole('heading', { name: 'Equipment', level: 1 }).waitFor();
    await page.getByLabel('Search', { exact: true }).fill('');
    await page.getByRole('status').filter({ hasText: /^22 devices$/ }).waitFor();

    // Export the whole inventory as CSV: the download holds every device.
    await page.getByRole('button', { name: 'Export…' }).click();
    const exportDialog = page.getByRole('dialog', { name: 'Export equipment' });
    await exportDialog.getByLabel(/^CSV/).check();
    const [download] = await Promise.all([page.waitForEvent('download'), exportDialog.getByRole('button', { name: 'Export', exact: true }).click()]);
    expect(download.suggestedFilename()).toMatch(/^wardkeep-equipment-.*\.csv$/);
    const csv = readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '');
    const exported = Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true }).data;
    expect(exported).toHaveLength(22);
    expect(Object.keys(exported[0]!)).toEqual(expect.arrayContaining(['asset_tag', 'name', 'location', 'status']));
    expect(exported.find((r) => r.asset_tag === '1817')).toMatchObject({ name: 'Analyzers, Laboratory, Blood Gas', location: 'Surgery', status: 'out_of_service' });
    expect(exported.map((r) => r.asset_tag)).toContain('EWH-00008');
    await exportDialog.getByText(/Saved wardkeep-equipment-.*: 22 devices\./).waitFor();
    await page.keyboard.press('Escape');
    await exportDialog.waitFor({ state: 'detached' });

    expectNoPageProblems(app);
    await app.close();
  });
  it('manages locations and categories, shows long values, and gives a technician a read-only inventory', async () => {
    const app = await launchApp({ dataDir: tempDir() });
    const { page } = app;
    await createFirstAdmin(page);

    // Locations: a site, a ward inside it, a room inside the ward, a second site.
    await nav(page).getByRole('link', { name: 'Locations', exact: true }).click();
    await page.getByText('No locations yet.').waitFor();
    const addLocation = async (name: string, inside?: string) => {
      if (inside) await page.getByLabel('Inside').selectOption({ label: inside });
      await page.getByLabel('Name', { exact: true }).fill(name);
      await page.getByRole('button', { name: 'Add location' }).click();
      await page.getByText(`Added ${inside ? `${inside} > ` : ''}${name}.`).waitFor();
    };
    await addLocation('General Hospital');
    await addLocation('Ward 4B', 'General Hospital');
    await addLocation('Room 12', 'General Hospital > Ward 4B');
    await page.getByLabel('Inside').selectOption({ label: '(a new site)' });
    await addLocation('Clinic North');

    // The tree by keyboard: first item, down twice, Enter chooses it.
    const tree = page.getByRole('tree', { name: 'Locations' });
    await tree.getByRole('treeitem').first().focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Ward 4B', level: 2 }).waitFor();
    expect(await tree.getByRole('treeitem', { name: /^Ward 4B/ }).getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('ArrowLeft'); // up to its site
    await page.keyboard.press('ArrowLeft'); // closes the site
    expect(await tree.getByRole('treeitem', { name: /^General Hospital/ }).getAttribute('aria-expanded')).toBe('false');
    expect(await tree.getByRole('treeitem', { name: /^Ward 4B/ }).count()).toBe(0);
    await page.keyboard.press('ArrowRight');
    await tree.getByRole('treeitem', { name: /^Ward 4B/ }).waitFor();

    // Rename (nothing moves), then move the room to the other site.
    await tree.getByRole('treeitem', { name: /^Ward 4B/ }).click();
    await page.getByRole('button', { name: 'Rename…' }).click();
    const rename = page.getByRole('dialog', { name: 'Rename Ward 4B' });
    await rename.getByLabel('New name').fill('Ward 4C');
    await rename.getByLabel('New name').press('Enter');
    await page.getByText('Renamed to General Hospital > Ward 4C. Its devices stay where they are.').waitFor();
    await tree.getByRole('treeitem', { name: /^Ward 4C/ }).press('ArrowRight'); // opens the ward: its room shows
    await tree.getByRole('treeitem', { name: /^Room 12/ }).click();
    await page.getByRole('button', { name: 'Move…' }).click();
    const move = page.getByRole('dialog', { name: 'Move Room 12' });
    await move.getByLabel('Move into').selectOption({ label: 'Clinic North' });
    await move.getByRole('button', { name: 'Move' }).click();
    await page.getByText('Moved: it is now Clinic North > Room 12.').waitFor();

    // A device with long values in the renamed ward; deactivating the ward is refused with main's sentence.
    const ward = (app.backend.core.db.prepare("SELECT id FROM locations WHERE name = 'Ward 4C'").get() as { id: string }).id;
    const longName = 'Infusion pump, large-volume, dual-channel, with drug library and wireless pump-server link (paediatric intensive care)';
    const created = await pageInvoke(page, 'equipment.create', {
      assetTag: 'PICU-INF-000123456789',
      name: longName,
      locationId: ward,
      manufacturer: 'Baxter Healthcare Corporation International Medical Products Division',
      model: 'Sigma Spectrum Infusion System 35700BAX2 with Master Drug Library',
      serial: 'SN-0001-2345-6789-ABCD-EFGH',
      notes: 'Loaned from the PICU while theirs is being repaired.\nReturn by the end of the month.',
    });
    expect(created).toMatchObject({ ok: true });
    await tree.getByRole('treeitem', { name: /^Ward 4C/ }).click();
    await page.getByRole('button', { name: 'Deactivate…' }).click();
    const deactivate = page.getByRole('dialog', { name: 'Deactivate Ward 4C?' });
    await deactivate.getByRole('button', { name: 'Deactivate' }).click();
    await deactivate.getByText('"Ward 4C" still holds 1 device (retired ones included); move them elsewhere first.').waitFor();
    await shot(page, 'locations-deactivate-refused');
    await page.keyboard.press('Escape');
    await deactivate.waitFor({ state: 'detached' });
    await tree.getByRole('treeitem', { name: /^Clinic North/ }).click();
    await shot(page, 'locations');

    // Categories: add, edit, a used one cannot be deleted, an unused one can.
    await nav(page).getByRole('link', { name: 'Categories', exact: true }).click();
    await page.getByLabel('Category name').fill('Defibrillator');
    await page.getByLabel('Default risk').selectOption({ label: 'High (incl. life support)' });
    await page.getByRole('button', { name: 'Add category' }).click();
    await page.getByText('Added Defibrillator.').waitFor();
    await page.getByLabel('Category name').fill('Scale');
    await page.getByRole('button', { name: 'Add category' }).click();
    await page.getByText('Added Scale.').waitFor();
    await page.getByRole('button', { name: 'Edit… Defibrillator' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit Defibrillator' });
    await edit.getByLabel('Category notes').fill('Monthly check, yearly calibration.');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Saved Defibrillator.').waitFor();
    await page.getByRole('row', { name: /Defibrillator High 0 Monthly check/ }).waitFor();
    const defib = (app.backend.core.db.prepare("SELECT id FROM categories WHERE name = 'Defibrillator'").get() as { id: string }).id;
    expect(await pageInvoke(page, 'equipment.create', { assetTag: 'DF-1', name: 'Defibrillator', locationId: ward, categoryId: defib })).toMatchObject({ ok: true });
    await page.getByRole('button', { name: 'Delete… Defibrillator' }).click();
    const del = page.getByRole('dialog', { name: 'Delete Defibrillator?' });
    await del.getByRole('button', { name: 'Delete category' }).click();
    await del.getByText('"Defibrillator" is the category of 1 device; give them another category first.').waitFor();
    await del.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: 'Delete… Scale' }).click();
    await page.getByRole('dialog', { name: 'Delete Scale?' }).getByRole('button', { name: 'Delete category' }).click();
    await page.getByText('Deleted Scale.').waitFor();
    await shot(page, 'categories');

    // The add form offers the category, and its default risk fills Risk.
    await nav(page).getByRole('link', { name: 'Equipment', exact: true }).click();
    await page.getByRole('link', { name: 'Add device' }).click();
    await page.getByLabel('Category').selectOption({ label: 'Defibrillator' });
    expect(await page.getByLabel('Risk').inputValue()).toBe('high');

    // Long values: cut short with the full text on hover in the list, wrapped on the device page.
    await nav(page).getByRole('link', { name: 'Equipment', exact: true }).click();
    await rowOf(page, 'PICU-INF-000123456789').waitFor();
    expect(await rowOf(page, 'PICU-INF-000123456789').getByRole('gridcell').nth(1).getAttribute('title')).toBe(longName);
    await shot(page, 'equipment-list-long');
    await rowOf(page, 'PICU-INF-000123456789').getByRole('link').click();
    await page.getByRole('heading', { level: 1, name: /Infusion pump, large-volume/ }).waitFor();
    await shot(page, 'device-page-long');

    // A technician: sees everything, edits nothing; an unknown scan is not offered for adding.
    expect(await pageInvoke(page, 'users.create', { name: 'Tom Tech', role: 'technician', temporaryPin: '7391' })).toMatchObject({ ok: true });
    await page.keyboard.press('Control+l');
    await page.getByRole('heading', { name: 'Screen locked' }).waitFor();
    await page.getByLabel('Or type your name').fill('Tom Tech');
    await page.getByLabel('PIN or password').fill('7391');
    await page.keyboard.press('Enter');
    await page.getByLabel('Temporary PIN or password').fill('7391');
    await page.getByLabel('New PIN', { exact: true }).fill('1357');
    await page.getByLabel('New PIN again').fill('1357');
    await page.getByRole('button', { name: 'Save PIN' }).click();
    await page.getByTestId('signed-in-user').filter({ hasText: 'Tom Tech' }).waitFor();
    await nav(page).getByRole('link', { name: 'Equipment', exact: true }).click();
    await rowOf(page, 'DF-1').waitFor();
    expect(await page.getByRole('link', { name: 'Add device' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Import CSV' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Export…' }).waitFor();
    await scan(page, 'DF-1', page.getByRole('heading', { level: 1, name: /Defibrillator/ }));
    expect(await page.getByRole('button', { name: 'Edit…' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Change status…' }).count()).toBe(0);
    const unknown = page.getByRole('dialog', { name: 'No device has the tag XX-404' });
    await scan(page, 'XX-404', unknown);
    await unknown.getByText('Ask a supervisor to add the device.').waitFor();
    expect(await unknown.getByRole('button', { name: 'Add it' }).count()).toBe(0);
    await shot(page, 'scan-unknown-technician');
    await unknown.getByRole('button', { name: 'Close' }).click();
    await nav(page).getByRole('link', { name: 'Categories', exact: true }).click();
    await page.getByRole('row', { name: /Defibrillator/ }).waitFor();
    expect(await page.getByRole('button', { name: 'Add category' }).count()).toBe(0);
    await nav(page).getByRole('link', { name: 'Locations', exact: true }).click();
    await page.getByRole('heading', { name: 'Choose a location' }).waitFor();
    expect(await page.getByRole('button', { name: 'Add location' }).count()).toBe(0);

    expectNoPageProblems(app);
    await app.close();
  });
});
