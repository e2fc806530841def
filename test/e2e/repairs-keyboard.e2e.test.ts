import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/core';
import type { LaunchedApp } from './harness';
import { launchApp, shutdown } from './harness';
import { newSession } from '../../main/core/session';
import { caller } from './seed';
import { createFirstAdmin, expectProblem, focused, pageValue, personWithPin, switchTo } from './steps';

afterAll(shutdown);

/**
 * The work order page by keyboard (issue 16): where the focus goes after a signed step whose button
 * goes away, and the sentences a refused step shows, each naming its field as it is labelled.
 */

/** A pump reported faulty (by the admin), technician Tom signed in on its work order's page. */
async function onWorkOrder(): Promise<{ app: LaunchedApp; page: Page; state: ReturnType<Page['getByTestId']> }> {
  const app = await launchApp({ dataDir: tempDir() });
  const { page } = app;
  await createFirstAdmin(page);
  const site = await pageValue(page, 'locations.create', { name: 'General Hospital' });
  const ward = await pageValue(page, 'locations.create', { name: 'Ward 4B', parentId: site.id });
  const pump = await pageValue(page, 'equipment.create', { assetTag: 'IP-0042', name: 'Infusion pump', locationId: ward.id, risk: 'high' });
  const store = await pageValue(page, 'stock.locations.create', { name: 'Ward 4B store', kind: 'store', locationId: ward.id });
  const sensor = await pageValue(page, 'stock.items.create', { name: 'Occlusion sensor', code: 'OCC-S', unit: 'piece' });
  await pageValue(page, 'stock.levels.set', { stockLocationId: store.id, itemId: sensor.id, par: 2, minimum: 1 });
  await pageValue(page, 'stock.restock', { stockLocationId: store.id, itemId: sensor.id, quantity: 1, lot: 'L1', expiresOn: '2030-01-31' });
  const { workOrder } = await pageValue(page, 'workOrders.report', { equipmentId: pump.id, problem: 'Occlusion alarm', takeOutOfUse: true, secret: '2468' });
  await personWithPin(app, 'Tom Tech', 'technician', '1357', null);
  await switchTo(page, 'Tom Tech', '1357');
  await page.evaluate((id) => {
    window.location.hash = `#/work-orders/${id}`;
  }, workOrder.id);
  const state = page.getByTestId('work-order-state');
  await expect.poll(() => state.textContent()).toBe('Reported');
  return { app, page, state };
}

async function takeByKeyboard(page: Page, state: ReturnType<Page['getByTestId']>) {
  await page.getByRole('button', { name: 'Take it…' }).focus();
  await page.keyboard.press('Enter');
  await page.getByRole('dialog', { name: /^Take: WO-0001/ }).waitFor();
  await page.keyboard.press('Tab');
  await page.keyboard.type('1357');
  await page.keyboard.press('Enter');
  await expect.poll(() => state.textContent()).toBe('In progress');
}

describe('a work order by keyboard', () => {
  it('the repair dialog, sent empty, names each field as it is labelled (no "id", no "Secret")', async () => {
    const { app, page, state } = await onWorkOrder();
    await takeByKeyboard(page, state);
    await page.getByRole('button', { name: 'Log the repair…' }).focus();
    await page.keyboard.press('Enter');
    const repair = page.getByRole('dialog', { name: /^Log the repair: WO-0001/ });
    await repair.waitFor();
    await repair.getByRole('button', { name: 'Log the repair' }).click();
    const summary = repair.getByTestId('error-summary');
    await summary.waitFor();
    const problems = (await summary.getByRole('link').allTextContents()).map((t) => t.trim());
    expect(problems).toEqual(['Work done is required.', 'Failure code is required.', 'Cause code is required.', 'Your PIN or password is required.']);
    await page.keyboard.press('Escape');
    // Waiting: "What for" is named as it is labelled, not "Note".
    await page.getByRole('button', { name: 'Waiting for parts or a vendor…' }).click();
    const wait = page.getByRole('dialog', { name: /^Waiting: WO-0001/ });
    await wait.getByRole('button', { name: 'Put it to wait' }).click();
    await wait.getByTestId('error-summary').waitFor();
    expect((await wait.getByTestId('error-summary').getByRole('link').allTextContents()).map((t) => t.trim())).toEqual([
      'What for is required.',
      'Your PIN or password is required.',
    ]);
    await app.close();
  });

  it('after the repair is logged the focus lands on the page, not on the document body', async () => {
    const { app, page, state } = await onWorkOrder();
    await takeByKeyboard(page, state);
    await page.getByRole('button', { name: 'Log the repair…' }).focus();
    await page.keyboard.press('Enter');
    const repair = page.getByRole('dialog', { name: /^Log the repair: WO-0001/ });
    await repair.waitFor();
    await page.keyboard.type('Replaced the occlusion sensor');
    await repair.getByLabel('Failure code').selectOption({ label: 'Mechanical' });
    await repair.getByLabel('Cause code').selectOption({ label: 'Wear' });
    await repair.getByLabel('Your PIN or password').fill('1357');
    await repair.getByLabel('Your PIN or password').press('Enter');
    await expect.poll(() => state.textContent()).toBe('Repaired, to be checked');
    // The "Log the repair…" button that opened the dialog is gone (the state moved on): the focus is
    // on the notice of what the step did, and stays there once the page has read the work order again.
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName)).toBe('step-notice');
    await page.waitForTimeout(300);
    const where = await focused(page);
    expect(where.tag, `focus after the repair: ${JSON.stringify(where)}`).not.toBe('BODY');
    expect(await page.getByTestId('step-notice').textContent()).toContain('WO-0001 is now repaired, to be checked.');
    await app.close();
  });

  it('the notice of a step goes once another window moves the work order on: it never says "is now in progress" beside "Repaired"', async () => {
    const { app, page, state } = await onWorkOrder();
    await takeByKeyboard(page, state);
    const notice = page.getByTestId('step-notice');
    await expect.poll(() => notice.textContent()).toContain('WO-0001 is now in progress.');
    // The repair is logged in another window of this PC.
    const tom = caller(app.backend, app.session);
    const codes = await tom('workOrders.codes', {});
    const code = (kind: 'failure' | 'cause') => codes.find((c) => c.kind === kind && c.active)!.id;
    const { id } = (await tom('workOrders.list', {}))[0]!;
    await tom('workOrders.repair', { id, workDone: 'Replaced the occlusion sensor', failureCodeId: code('failure'), causeCodeId: code('cause'), secret: '1357' });
    await expect.poll(() => state.textContent()).toBe('Repaired, to be checked');
    expect(await notice.count()).toBe(0);
    await app.close();
  });

  it('taken by a colleague (Ada) while the Take dialog was open: the take is refused, naming who took it; the work order stays theirs', async () => {
    const { app, page, state } = await onWorkOrder();
    await page.getByRole('button', { name: 'Take it…' }).click();
    const take = page.getByRole('dialog', { name: /^Take: WO-0001/ });
    await take.getByLabel('Your PIN or password').fill('1357');
    // Ada takes it in another window meanwhile.
    const ada = newSession(app.backend.core.clock.now().getTime());
    await caller(app.backend, ada)('auth.signIn', { name: 'Ada Admin', secret: '2468' });
    const { id } = (await caller(app.backend, ada)('workOrders.list', {}))[0]!;
    await caller(app.backend, ada)('workOrders.take', { id, secret: '2468' });
    // The dialog says whose it is now, as the page does.
    await take.getByText('It is with Ada Admin now.').waitFor();
    await take.getByRole('button', { name: 'Take it' }).click();
    const summary = take.getByTestId('error-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toMatch(/WO-0001 was taken by Ada Admin at .+, since you opened this: check with them, then take it over if you still mean to\./);
    await page.keyboard.press('Escape');
    await expect.poll(() => state.textContent()).toBe('In progress');
    expect(await page.getByRole('main').getByText('Ada Admin', { exact: true }).count()).toBeGreaterThan(0);
    // Knowing it is Sue's, Tom takes it over: the step says from whom.
    await page.getByRole('button', { name: 'Take it over…' }).click();
    const over = page.getByRole('dialog', { name: /^Take: WO-0001/ });
    await over.getByLabel('Your PIN or password').fill('1357');
    await over.getByRole('button', { name: 'Take it' }).click();
    await expect.poll(() => page.getByTestId('work-order-steps').textContent()).toContain('from Ada Admin');
    await app.close();
  });

  it('a part beyond what is on hand: the refusal shows in the summary and beside that part row', async () => {
    const { app, page, state } = await onWorkOrder();
    await takeByKeyboard(page, state);
    await page.getByRole('button', { name: 'Log the repair…' }).click();
    const repair = page.getByRole('dialog', { name: /^Log the repair: WO-0001/ });
    await repair.getByLabel('Work done').fill('Replaced the occlusion sensor');
    await repair.getByLabel('Failure code').selectOption({ label: 'Mechanical' });
    await repair.getByLabel('Cause code').selectOption({ label: 'Wear' });
    await repair.getByRole('button', { name: 'Add a supply used' }).click();
    await repair.getByLabel('Taken from').selectOption({ label: 'Ward 4B store, General Hospital > Ward 4B' });
    await repair.getByLabel('Item').selectOption({ index: 1 });
    await repair.getByLabel(/^Quantity/).fill('3');
    await repair.getByLabel('Your PIN or password').fill('1357');
    await repair.getByRole('button', { name: 'Log the repair' }).click();
    const message = 'Only 1 piece of Occlusion sensor (OCC-S) is on hand at Ward 4B store, so 3 cannot be taken from there.';
    await repair.getByTestId('error-summary').getByText(message).waitFor();
    // Beside the part's quantity (as the record form does for its supplies), and a link to it in the summary.
    await expect.poll(() => repair.locator('span.error', { hasText: message }).count(), { timeout: 5_000 }).toBeGreaterThan(0);
    await expectProblem(repair, message);
    // The summary's link takes the focus to that part's quantity.
    await repair.getByTestId('error-summary').getByRole('link', { name: message }).click();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('partsUsed.0.quantity');
    expect(await state.textContent()).toBe('In progress');
    await app.close();
  });
});
