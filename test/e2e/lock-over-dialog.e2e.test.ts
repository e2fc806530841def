import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { screenshot } from './axe';
import { shutdown } from './harness';
import { launchWard } from './ward';
import { expectNoPageProblems, focused, signIn } from './steps';

afterAll(shutdown);

const go = (page: Page, route: string) => page.evaluate((r) => (window.location.hash = r), route);

/** A person at the keyboard types a PIN (not at a barcode scanner's speed), then Enter. */
async function typePin(page: Page, pin: string) {
  await page.keyboard.type(pin, { delay: 120 });
  await page.keyboard.press('Enter');
}

/** Clicks the lock screen's PIN box with the mouse; true when it then has the focus. */
async function clickPinBox(page: Page): Promise<boolean> {
  const r = await page.getByLabel('PIN or password', { exact: true }).boundingBox();
  if (!r) return false;
  await page.mouse.click(r.x + r.width / 2, r.y + r.height / 2);
  return (await focused(page)).name === 'secret';
}

/** Is the page's one open dialog modal again (in the top layer, the rest inert)? */
const dialogIsModal = (page: Page) => page.evaluate(() => [...document.querySelectorAll('dialog')].map((d) => d.matches(':modal')));

/** Ada, on a 5-second idle time, types `model` into the analyser's Edit dialog and walks away: the screen locks over it. */
async function idleLockedWhileEditing(model: string) {
  const { app, seeded, call } = await launchWard();
  const { page } = app;
  await call('settings.update', { idleTimeoutSeconds: 5 });
  await page.reload();
  await signIn(page, 'Ada Admin', '2468');
  await page.getByTestId('signed-in-user').waitFor();
  await go(page, `/equipment/${seeded.analyserId}`);
  await page.getByRole('button', { name: 'Edit…' }).click();
  const dlg = page.getByRole('dialog', { name: 'Edit REF-7' });
  await dlg.waitFor();
  await dlg.getByLabel('Model').fill(model);
  await page.getByRole('heading', { name: 'Screen locked' }).waitFor({ timeout: 30_000 });
  return { app, page, dlg };
}

describe('the screen locks while a dialog is open', () => {
  it('Ctrl+L with "Report a fault" half-typed: the lock screen takes the PIN, and the same person finds the report as they left it', async () => {
    const { app, seeded } = await launchWard();
    const { page } = app;
    await signIn(page, 'Tom Tech', '1357');
    await page.getByTestId('signed-in-user').waitFor();
    await go(page, `/equipment/${seeded.pumpId}`);
    await page.getByRole('button', { name: 'Report a fault…' }).click();
    const dlg = page.getByRole('dialog', { name: /Report a fault/ });
    await dlg.waitFor();
    await page.keyboard.type('Alarm sounds for no reason');
    await page.keyboard.press('Control+l');

    // The lock screen is usable: the PIN box has the focus, and a click puts it there again.
    await page.getByRole('heading', { name: 'Screen locked' }).waitFor();
    expect((await focused(page)).name).toBe('secret');
    expect(await page.getByRole('dialog').count()).toBe(0);
    await screenshot(page, 'lock-over-dialog');
    // Escape here is nothing to the hidden report: it is not thrown away.
    await page.keyboard.press('Escape');
    // Clicks work: a name, then Tom's own again.
    await page.getByRole('radio', { name: /Ada Admin/ }).click();
    expect(await page.getByRole('radio', { name: /Ada Admin/ }).isChecked()).toBe(true);
    await page.getByRole('radio', { name: /Tom Tech/ }).click();
    expect(await clickPinBox(page)).toBe(true);
    await typePin(page, '1357');

    // Tom carries on: the report is open again, modal, what he typed in it, the focus where he left it.
    await page.getByRole('heading', { name: 'Screen locked' }).waitFor({ state: 'detached', timeout: 5000 });
    await dlg.waitFor();
    expect(await dlg.getByLabel('What is wrong?').inputValue()).toBe('Alarm sounds for no reason');
    expect(await dialogIsModal(page)).toEqual([true]);
    expect((await focused(page)).name).toBe('problem');
    await page.keyboard.type(' twice an hour');
    expect(await dlg.getByLabel('What is wrong?').inputValue()).toBe('Alarm sounds for no reason twice an hour');
    // Closing it puts the focus back on the button that opened it.
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    expect((await focused(page)).text).toBe('Report a fault…');
    // Nothing was reported and no PIN counted against Tom.
    const tom = app.backend.core.db.prepare("SELECT failed_attempts AS n FROM users WHERE name = 'Tom Tech'").get() as { n: number };
    expect(tom.n).toBe(0);
    expectNoPageProblems(app);
    await app.close();
  });

  it('the idle lock with the device edit dialog open: the same person signs in and finds the edit as they left it', async () => {
    const { app, page, dlg } = await idleLockedWhileEditing('Half-typed model');
    // Ada walked away; the screen locked by itself, her name chosen and the focus in the PIN box.
    expect(await page.getByRole('radio', { name: /Ada Admin/ }).isChecked()).toBe(true);
    expect((await focused(page)).name).toBe('secret');
    await typePin(page, '2468');
    await dlg.waitFor({ timeout: 5000 });
    expect(await dlg.getByLabel('Model').inputValue()).toBe('Half-typed model');
    expect(await dlg.getByLabel('Model').evaluate((el) => el === document.activeElement)).toBe(true);
    await app.close();
  });

  it('the idle lock with the device edit dialog open: someone else signs in with the mouse, on their own Today, and sees none of it', async () => {
    const { app, page } = await idleLockedWhileEditing('Ada was changing this');
    // Tom walks up: clicks his name, then the PIN box, types his PIN.
    const tom = page.getByRole('radio', { name: /Tom Tech/ });
    const box = await tom.boundingBox();
    await page.mouse.click(box!.x + box!.width / 2, box!.y + box!.height / 2);
    expect(await tom.isChecked()).toBe(true);
    expect(await clickPinBox(page)).toBe(true);
    await typePin(page, '1357');
    await page.getByTestId('signed-in-user').filter({ hasText: 'Tom Tech' }).waitFor({ timeout: 5000 });
    await page.getByRole('heading', { level: 1, name: 'Today' }).waitFor();
    expect(await page.getByRole('dialog').count()).toBe(0);
    expect(await page.getByText('Ada was changing this').count()).toBe(0);
    expectNoPageProblems(app);
    await app.close();
  });
});
