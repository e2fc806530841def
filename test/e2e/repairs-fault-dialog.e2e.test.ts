import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { expectAccessible, screenshot } from './axe';
import { shutdown } from './harness';
import { launchWard } from './ward';
import { signIn } from './steps';

afterAll(shutdown);

const go = (page: Page, route: string) => page.evaluate((r) => (window.location.hash = r), route);

describe('the fault dialog on a device that is not in service', () => {
  it('a pump tagged out by a failed safety test: the dialog says it is already out and offers "keep it out of use", ticked; what is sent follows the tick', async () => {
    const { app, seeded, call } = await launchWard();
    const { page } = app;
    const today = new Date().toISOString().slice(0, 10);
    const safety = await call('plans.create', { equipmentId: seeded.pumpId, task: 'electrical_safety', every: '1y', startDate: today });
    await call('completions.log', { planId: safety.id, result: { kind: 'outcome', outcome: 'fail' }, notes: 'Earth leakage high', secret: '2468' });
    expect((await call('equipment.get', { id: seeded.pumpId })).status).toBe('out_of_service');

    await signIn(page, 'Tom Tech', '1357');
    await page.getByTestId('signed-in-user').waitFor();
    await go(page, `/equipment/${seeded.pumpId}`);
    await page.getByRole('button', { name: 'Report a fault…' }).click();
    const dialog = page.getByRole('dialog', { name: /^Report a fault on IP-0042/ });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('IP-0042 is already out of use.');
    const keep = dialog.getByRole('checkbox', { name: 'Keep it out of use until its work order returns it to service' });
    expect(await keep.isChecked()).toBe(true);
    await dialog.getByLabel('What is wrong?').fill('Door hinge cracked');
    await expectAccessible(page, 'the fault dialog on a device already out of service');
    await screenshot(page, 'repairs-fault-dialog-out-of-service');

    // Unticked: the report is sent as not keeping it out (it joins the work order the failed test opened), and the answer says it was already out.
    await keep.uncheck();
    await dialog.getByLabel('Your PIN or password').fill('1357');
    await dialog.getByRole('button', { name: 'Report the fault' }).click();
    const done = page.getByTestId('fault-reported');
    await done.waitFor();
    expect(await done.textContent()).toMatch(/^IP-0042 already has an open work order, WO-0001 .*: your report was added to it\. IP-0042 was already out of service\.$/);

    // Ticked (the default): the person's decision, and the answer says the pump stays out until the work order returns it.
    await page.getByRole('button', { name: 'Report a fault…' }).click();
    await dialog.waitFor();
    expect(await keep.isChecked()).toBe(true);
    await dialog.getByLabel('What is wrong?').fill('Label on the side is faded');
    await dialog.getByLabel('Your PIN or password').fill('1357');
    await dialog.getByRole('button', { name: 'Report the fault' }).click();
    await expect.poll(() => done.textContent()).toContain('IP-0042 was already out of service, and stays out until WO-0001 returns it to service: do not use it.');
  });

  it('a missing device is not offered "Report a fault…"; a device in service is, with "take it out of use now"', async () => {
    const { app, seeded, call } = await launchWard();
    const { page } = app;
    await call('equipment.setStatus', { id: seeded.analyserId, status: 'missing', reason: 'Not on the shelf at the stock take' });
    await signIn(page, 'Tom Tech', '1357');
    await page.getByTestId('signed-in-user').waitFor();
    await go(page, `/equipment/${seeded.analyserId}`);
    await page.getByRole('heading', { level: 1, name: /Flow analyser/ }).waitFor();
    await page.getByText('Not on the shelf at the stock take').first().waitFor();
    expect(await page.getByRole('button', { name: 'Report a fault…' }).count()).toBe(0);

    await go(page, `/equipment/${seeded.pumpId}`);
    await page.getByRole('button', { name: 'Report a fault…' }).click();
    const dialog = page.getByRole('dialog', { name: /^Report a fault on IP-0042/ });
    await dialog.waitFor();
    expect(await dialog.getByRole('checkbox', { name: /Take it out of use now/ }).isChecked()).toBe(true);
    expect(await dialog.textContent()).not.toContain('already out of use');
  });
});
