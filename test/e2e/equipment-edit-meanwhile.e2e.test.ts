import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { screenshot } from './axe';
import { shutdown } from './harness';
import { launchWard } from './ward';
import { expectNoPageProblems, signIn } from './steps';

afterAll(shutdown);

const go = (page: Page, route: string) => page.evaluate((r) => (window.location.hash = r), route);

describe('editing a device while someone else edits it', () => {
  it('the save is refused in words, the other change shows in the form, and the next save keeps both', async () => {
    const { app, seeded, call } = await launchWard();
    const { page } = app;
    const core = app.backend.core;
    const site = core.db.prepare("SELECT id FROM locations WHERE name = 'General Hospital'").get() as { id: string };
    const workshop = await call('locations.create', { name: 'Workshop', parentId: site.id });
    await signIn(page, 'Ada Admin', '2468');
    await page.getByTestId('signed-in-user').waitFor();
    await go(page, `/equipment/${seeded.pumpId}`);
    await page.getByRole('heading', { level: 1, name: /Infusion pump/ }).waitFor();
    // Ada opens the edit dialog to add a note…
    await page.getByRole('button', { name: 'Edit…' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit IP-0042' });
    await edit.getByLabel('Notes').fill('Battery replaced');
    // …while another supervisor (another PC, synced here; or another window) moves the pump to the
    // workshop and records its serial number.
    const now = await call('equipment.get', { id: seeded.pumpId });
    await call('equipment.update', {
      id: now.id,
      assetTag: now.assetTag,
      name: now.name,
      locationId: workshop.id,
      categoryId: now.categoryId,
      risk: now.risk,
      serial: 'SN-998877',
    });
    await edit.getByRole('button', { name: 'Save changes' }).click();
    const sentence = 'IP-0042 was changed by someone else since you opened this (now at General Hospital > Workshop, serial SN-998877): check and save again.';
    await expect.poll(() => edit.getByTestId('error-summary').innerText()).toContain(sentence);
    // Beside the first field changed, and the form now holds the other person's values with Ada's note.
    await expect.poll(() => edit.getByLabel('Location').evaluate((el) => (el as HTMLSelectElement).selectedOptions[0]?.text)).toBe('General Hospital > Workshop');
    expect(await edit.getByLabel('Serial number').inputValue()).toBe('SN-998877');
    expect(await edit.getByLabel('Notes').inputValue()).toBe('Battery replaced');
    const row = () =>
      core.db.prepare('SELECT location_id, serial, notes FROM equipment WHERE id = ?').get(seeded.pumpId) as { location_id: string; serial: string | null; notes: string | null };
    expect(row()).toEqual({ location_id: workshop.id, serial: 'SN-998877', notes: now.notes });
    await screenshot(page, 'equipment-edit-changed-meanwhile');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Saved the changes to IP-0042.').waitFor();
    expect(row()).toEqual({ location_id: workshop.id, serial: 'SN-998877', notes: 'Battery replaced' });
    expectNoPageProblems(app);
    await app.close();
  });
});

describe("changing a device's status while someone else changes it", () => {
  it('a status dialog opened before another supervisor retired the device is refused in words, and the device stays retired', async () => {
    const { app, seeded, call } = await launchWard();
    const { page } = app;
    const core = app.backend.core;
    await signIn(page, 'Ada Admin', '2468');
    await page.getByTestId('signed-in-user').waitFor();
    await go(page, `/equipment/${seeded.analyserId}`);
    await page.getByRole('heading', { level: 1, name: /Flow analyser/ }).waitFor();
    // Ada opens the status dialog to take the analyser out of service…
    await page.getByRole('button', { name: 'Change status…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Change the status of REF-7' });
    await dialog.getByLabel('Reason').fill('Sent away for calibration');
    // …while another supervisor (another PC, synced here; or another window) retires it.
    await call('equipment.setStatus', { id: seeded.analyserId, status: 'retired', reason: 'Replaced by a new analyser' });
    await dialog.getByRole('button', { name: 'Change status' }).click();
    const sentence =
      'REF-7 is now retired (“Replaced by a new analyser”): someone else changed its status since you opened this. Check it, and change it again if you still mean to.';
    await expect.poll(() => dialog.getByTestId('error-summary').innerText()).toContain(sentence);
    const status = () => (core.db.prepare('SELECT status FROM equipment WHERE id = ?').get(seeded.analyserId) as { status: string }).status;
    expect(status()).toBe('retired');
    // Told, Ada may still mean it: the next change goes through, recorded as hers.
    await dialog.getByRole('button', { name: 'Change status' }).click();
    await page.getByText('REF-7 is now out of service.').waitFor();
    expect(status()).toBe('out_of_service');
    expectNoPageProblems(app);
    await app.close();
  });
});
