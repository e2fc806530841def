import { mkdirSync, readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { backupFileName } from '../../main/core/backup/names';
import { tempDir } from '../helpers/core';
import { expectAccessible, screenshot } from './axe';
import { launchApp, shutdown } from './harness';
import type { LaunchedApp } from './harness';
import { createFirstAdmin, expectNoPageProblems, focused, pageInvoke, pageValue, signIn, nav, tabTo } from './steps';

afterAll(shutdown);

/** Holds every `backups.inspect` until `release()`: a hospital's 5 GB backup takes two minutes to check (docs/data.md). */
function slowInspect(app: LaunchedApp): { release: () => void } {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((r) => (release = r));
  const real = app.backend.invoke.bind(app.backend) as (s: unknown, c: unknown, i: unknown) => Promise<unknown>;
  (app.backend as { invoke: unknown }).invoke = async (s: unknown, c: unknown, i: unknown) => {
    if (c === 'backups.inspect') await gate;
    return real(s, c, i);
  };
  return { release: () => release() };
}

/** An administrator on the Backups screen with one backup, and a device recorded after it (a restore would lose it). */
async function adminWithBackup(dataDir: string) {
  const app = await launchApp({ dataDir });
  const { page } = app;
  await createFirstAdmin(page, 'Ada Admin', 'correct horse battery', '2468');
  const locationId = (await pageValue(page, 'locations.create', { name: 'Ward 4B' })).id;
  expect(await pageInvoke(page, 'equipment.create', { assetTag: 'P-1', name: 'Infusion pump', locationId })).toMatchObject({ ok: true });
  await nav(page).getByRole('link', { name: 'Backups', exact: true }).click();
  await page.getByRole('button', { name: 'Back up now' }).click();
  await page.getByText(/^Backed up and checked: /).waitFor();
  expect(await pageInvoke(page, 'equipment.create', { assetTag: 'P-2', name: 'Added after the backup', locationId })).toMatchObject({ ok: true });
  return { app, page };
}

describe('backups and restore, in Chromium', () => {
  it('the admin backs up now (progress reaches the page), sees the backup verified, and restores it after checking what it holds', async () => {
    const app = await launchApp({ dataDir: tempDir() });
    const { page } = app;
    await createFirstAdmin(page, 'Ada Admin', 'correct horse battery', '2468');
    const locationId = (await pageValue(page, 'locations.create', { name: 'Ward 4B' })).id;
    for (const tag of ['P-1', 'P-2']) expect(await pageInvoke(page, 'equipment.create', { assetTag: tag, name: 'Infusion pump', locationId })).toMatchObject({ ok: true });

    await nav(page).getByRole('link', { name: 'Backups', exact: true }).click();
    await page.getByRole('heading', { name: 'Backups', level: 1 }).waitFor();
    await page.getByText('No backups yet.').waitFor();
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { __progress: string[] }).__progress = seen;
      window.api.subscribe('backup.progress', (p) => seen.push(p.phase));
    });
    await page.getByRole('button', { name: 'Back up now' }).click();
    await page.getByText(/^Backed up and checked: wardkeep-.*-manual\.sqlite3/).waitFor();
    await page.getByRole('cell', { name: 'Verifies' }).waitFor();
    await page.getByRole('cell', { name: 'Backed up by hand' }).waitFor();
    const phases = await page.evaluate(() => (window as unknown as { __progress: string[] }).__progress);
    expect(phases).toContain('copying');
    expect(phases.at(-1)).toBe('done');

    // A device added after the backup, then the backup restored.
    expect(await pageInvoke(page, 'equipment.create', { assetTag: 'P-3', name: 'Added later', locationId })).toMatchObject({ ok: true });
    await page.getByRole('button', { name: /^Restore… the backup of / }).click();
    // One way to confirm: the dialog says what the backup holds and what restoring does, the focus on Cancel.
    const panel = page.getByRole('dialog', { name: /^Restore the backup of / });
    await panel.getByText('Integrity and audit trail verify').waitFor();
    const facts = await panel.locator('dl.facts').innerText();
    expect(facts).toMatch(/Equipment\s+2/);
    expect(facts).toMatch(/Users\s+1/);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
    // A PC in no hub: what was recorded since is gone (on a PC of a hub, restore-on-hub-pc says what comes back).
    await panel.getByText(/^Restoring replaces everything in the database with this backup\. Work recorded since .* will be gone from the app/).waitFor();
    await panel.getByRole('button', { name: 'Restore this backup' }).click();

    // Everyone is signed out; after signing in again, the device added later is gone.
    await page.getByLabel('PIN or password').waitFor();
    await signIn(page, 'Ada Admin', '2468');
    await page.getByTestId('signed-in-user').filter({ hasText: 'Ada Admin' }).waitFor();
    const tags = await pageInvoke(page, 'equipment.findByTag', { tag: 'P-3' });
    expect(tags).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await pageInvoke(page, 'equipment.findByTag', { tag: 'P-2' })).toMatchObject({ ok: true });
    expectNoPageProblems(app);
    await app.close();
  });

  it('the admin chooses the backup folder in the app\'s folder dialog, sees where backups go, is told of a folder that cannot be used, and goes back to the default', async () => {
    const dataDir = tempDir();
    const usb = path.join(tempDir(), 'USB stick', 'Wardkeep backups');
    const aFile = path.join(tempDir(), 'a-file');
    writeFileSync(aFile, 'x');
    // The desktop app's folder dialog (main/app/folder-dialog.ts), answering as the person does.
    const answers: (string | null)[] = [usb, null, path.join(aFile, 'below')];
    const app = await launchApp({ dataDir, ports: { folders: { choose: () => Promise.resolve(answers.shift() ?? null) } } });
    const { page } = app;
    await createFirstAdmin(page, 'Ada Admin', 'correct horse battery', '2468');
    await nav(page).getByRole('link', { name: 'Backups', exact: true }).click();
    const section = page.getByRole('region', { name: 'Backup folder' });
    await section.getByText(`Backups go to ${path.join(dataDir, 'backups')} (the default, beside the database).`).waitFor();
    // No path box: the page never names a folder.
    expect(await section.getByRole('textbox').count()).toBe(0);

    await section.getByRole('button', { name: 'Choose a folder…' }).click();
    await section.getByText(`Backups now go to ${usb}.`).waitFor();
    await section.getByText(`Backups go to ${usb}.`).waitFor();
    await page.getByRole('heading', { name: `Backups in ${usb}` }).waitFor();
    await page.getByRole('button', { name: 'Back up now' }).click();
    await page.getByText(/^Backed up and checked: /).waitFor();
    expect(readdirSync(usb).filter((f) => f.endsWith('-manual.sqlite3'))).toHaveLength(1);

    // Cancelled: nothing changes, and the earlier message goes.
    await section.getByRole('button', { name: 'Choose a folder…' }).click();
    await expect.poll(() => section.getByText(`Backups now go to ${usb}.`).count()).toBe(0);
    await section.getByText(`Backups go to ${usb}.`).waitFor();

    // A folder that cannot be made: said beside the folder and in a summary; the folder stays.
    await section.getByRole('button', { name: 'Choose a folder…' }).click();
    const message = `Wardkeep cannot write to ${path.join(aFile, 'below')}`;
    await section.locator('.field .error').filter({ hasText: message }).waitFor();
    await section.getByRole('alert').filter({ hasText: `The backup folder was not changed: ${message}` }).waitFor();
    await section.getByText(`Backups go to ${usb}.`).waitFor();
    await expectAccessible(page, 'the backup folder refused');
    await screenshot(page, 'backups-folder-refused');

    await section.getByRole('button', { name: 'Use the default folder' }).click();
    await section.getByText(`Backups now go to the default folder, ${path.join(dataDir, 'backups')}.`).waitFor();
    expect(await section.getByRole('alert').count()).toBe(0);
    expect(await section.getByRole('button', { name: 'Use the default folder' }).count()).toBe(0);
    expectNoPageProblems(app);
    await app.close();
  });

  it('"Last backup" names the newest backup that verifies, and says beside it that a newer file does not', async () => {
    const dataDir = tempDir();
    const app = await launchApp({ dataDir });
    const { page } = app;
    await createFirstAdmin(page, 'Ada Admin', 'correct horse battery', '2468');
    // A file under a backup's name, dated a minute ahead, that does not open (cut short on a failing USB stick).
    mkdirSync(path.join(dataDir, 'backups'), { recursive: true });
    writeFileSync(path.join(dataDir, 'backups', backupFileName(new Date(Date.now() + 60_000), 'auto')), Buffer.alloc(8192, 7));
    await nav(page).getByRole('link', { name: 'Backups', exact: true }).click();
    await page.getByRole('button', { name: 'Back up now' }).click();
    await page.getByText(/^Backed up and checked: /).waitFor();
    await page.getByRole('cell', { name: 'Verifies' }).waitFor();
    await page.getByText(/^Does not verify: /).waitFor();
    // The backup just made, not the newer file; and the newer file named beside it.
    const made = await page.getByRole('cell', { name: 'Verifies' }).locator('xpath=..').locator('td').first().innerText();
    const said = await page.getByText(/^Last backup: /).innerText();
    expect(said.startsWith(`Last backup: ${made} (`)).toBe(true);
    expect(said).toMatch(/\(a newer backup file, of .+, does not verify and cannot be restored: .+\)$/);
    await expectAccessible(page, 'a newer backup that does not verify');
    expectNoPageProblems(app);
    await app.close();
  });

  it('while the backup is still being read, the restore dialog offers no "Restore this backup" (neither its check nor what would be lost is shown yet); once read, it does', async () => {
    const { app, page } = await adminWithBackup(tempDir());
    const slow = slowInspect(app);
    await page.getByRole('button', { name: /^Restore… the backup of / }).click();
    const panel = page.getByRole('dialog', { name: /^Restore the backup of / });
    await panel.getByText('Reading the backup…').waitFor();
    // Before, the button was there from the start: one press restored a backup no one had seen.
    const offered = await panel.getByRole('button', { name: 'Restore this backup' }).count();
    slow.release();
    expect(offered).toBe(0);
    await panel.getByText('Integrity and audit trail verify').waitFor();
    await panel.getByRole('button', { name: 'Restore this backup' }).waitFor();
    await page.keyboard.press('Escape');
    expectNoPageProblems(app);
    await app.close();
  });

  it('a backup removed since the list was shown (rotation, someone tidying the stick): the dialog says so and offers no restore', async () => {
    const dataDir = tempDir();
    const { app, page } = await adminWithBackup(dataDir);
    const folder = path.join(dataDir, 'backups');
    for (const f of readdirSync(folder)) unlinkSync(path.join(folder, f));
    await page.getByRole('button', { name: /^Restore… the backup of / }).click();
    const panel = page.getByRole('dialog', { name: /^Restore the backup of / });
    await panel.getByRole('alert').filter({ hasText: /^There is no backup called wardkeep-.*-manual\.sqlite3 in the backup folder\.$/ }).waitFor();
    expect(await panel.getByRole('button', { name: 'Restore this backup' }).count()).toBe(0);
    // Not "still reading" beside the answer.
    expect(await panel.getByText('Reading the backup…').count()).toBe(0);
    await expectAccessible(page, 'the restore dialog of a backup that is gone');
    await panel.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => panel.count()).toBe(0);
    await app.close();
  });

  it('keyboard only at 1366x768: Restore… opens the dialog on Cancel, Escape closes it, and the focus is back on the same Restore… button', async () => {
    const { app, page } = await adminWithBackup(tempDir());
    await page.getByRole('cell', { name: 'Verifies' }).waitFor();
    await tabTo(page, (f) => f.text.startsWith('Restore…'));
    const opener = (await focused(page)).text;
    await page.keyboard.press('Enter');
    const panel = page.getByRole('dialog', { name: /^Restore the backup of / });
    await panel.getByText('Integrity and audit trail verify').waitFor();
    expect((await focused(page)).text).toBe('Cancel');
    await expectAccessible(page, 'the restore dialog');
    await page.keyboard.press('Escape');
    await expect.poll(() => panel.count()).toBe(0);
    expect((await focused(page)).text).toBe(opener);
    await expectAccessible(page, 'the Backups screen');
    expectNoPageProblems(app);
    await app.close();
  });
});
