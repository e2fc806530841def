import { copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { backupFileName } from '../../main/core/backup/names';
import { tempDir } from '../helpers/core';
import { expectAccessible, screenshot } from './axe';
import { launchApp, shutdown } from './harness';
import { createFirstAdmin, expectNoPageProblems, nav, pageInvoke, pageValue } from './steps';

afterAll(shutdown);

describe('the Backups screen after a restart, in Chromium', () => {
  it('shows every backup at once, those not checked yet marked "Not checked yet", then each result as the worker finishes, without a reload', async () => {
    const dataDir = tempDir();
    const app = await launchApp({ dataDir });
    const { page } = app;
    await createFirstAdmin(page, 'Ada Admin', 'correct horse battery', '2468');
    const locationId = (await pageValue(page, 'locations.create', { name: 'Ward 4B' })).id;
    expect(await pageInvoke(page, 'equipment.create', { assetTag: 'P-1', name: 'Infusion pump', locationId })).toMatchObject({ ok: true });
    // A backup this app made (checked as it was made), copies of it put in the folder by hand and a newer file
    // that is not a database: no check kept of those, as after a restart.
    const made = await pageValue(page, 'backups.run', {});
    const folder = path.join(dataDir, 'backups');
    for (let i = 1; i <= 3; i++) copyFileSync(path.join(folder, made.fileName), path.join(folder, backupFileName(new Date(Date.now() - i * 3_600_000), 'cli')));
    writeFileSync(path.join(folder, backupFileName(new Date(Date.now() + 60_000), 'auto')), Buffer.alloc(8192, 7));

    await nav(page).getByRole('link', { name: 'Backups', exact: true }).click();
    await page.getByRole('heading', { name: 'Backups', level: 1 }).waitFor();
    // At once: every backup listed, those not checked yet said so, and "Last backup" not counting them.
    // Before, the screen showed nothing until the worker had checked every one of them.
    await page.getByRole('cell', { name: 'Not checked yet' }).first().waitFor();
    expect(await page.locator('table.data tbody tr').count()).toBe(5);
    await page.getByRole('status').filter({ hasText: /^\d backups are not checked yet\. Wardkeep checks each in turn/ }).waitFor();
    expect(await page.getByText(/^Last backup: .+ \(a newer backup is not checked yet\)$/).count()).toBe(1);
    expect(await page.getByRole('cell', { name: 'Verifies' }).count()).toBe(1);
    await screenshot(page, 'backups-not-checked-yet');
    await expectAccessible(page, 'backups not checked yet');

    // Then each result, with no reload: the copies verify, the file that is not a database says why.
    await expect.poll(() => page.getByRole('cell', { name: 'Verifies' }).count(), { timeout: 20_000 }).toBe(4);
    await page.getByText(/^Does not verify: The file is damaged or not a database/).waitFor();
    expect(await page.getByRole('cell', { name: 'Not checked yet' }).count()).toBe(0);
    expect(await page.getByRole('cell', { name: 'Checking…' }).count()).toBe(0);
    expect(await page.getByText(/not checked yet/).count()).toBe(0);
    await page.getByText(/^Last backup: .+ \(a newer backup file, of .+, does not verify and cannot be restored: .+\)$/).waitFor();
    await screenshot(page, 'backups-checked');
    await expectAccessible(page, 'backups checked');
    expectNoPageProblems(app);
    await app.close();
  });
});
