import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/core';
import { expectAccessible, screenshot } from './axe';
import { launchApp, shutdown } from './harness';
import { createFirstAdmin, expectNoPageProblems, pageValue } from './steps';

afterAll(shutdown);

/**
 * A returned work order whose repair record is corrected afterwards (it was logged on the wrong
 * pump): its page shows it back in progress, the step that reopened it, and the pump DO NOT USE.
 */
describe('a returned work order reopened by a correction, in Chromium', () => {
  it('the repair record corrected to "not done" after the return: the page says "Reopened", in progress, DO NOT USE, dates in the Settings format', async () => {
    const app = await launchApp({ dataDir: tempDir() });
    const { page } = app;
    await createFirstAdmin(page);
    await pageValue(page, 'settings.update', { dateFormat: 'dd/MM/yyyy' });
    const site = await pageValue(page, 'locations.create', { name: 'General Hospital' });
    const ward = await pageValue(page, 'locations.create', { name: 'Ward 4B', parentId: site.id });
    const pump = await pageValue(page, 'equipment.create', { assetTag: 'IP-0042', name: 'Infusion pump', locationId: ward.id, risk: 'high' });
    const plan = await pageValue(page, 'plans.create', { equipmentId: pump.id, task: 'electrical_safety', every: '1y', startDate: new Date().toISOString().slice(0, 10) });
    const codes = await pageValue(page, 'workOrders.codes', {});
    const code = (kind: 'failure' | 'cause', field: 'id' | 'label' = 'id') => codes.find((c) => c.kind === kind && c.active)![field];
    const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const { workOrder } = await pageValue(page, 'workOrders.report', { equipmentId: pump.id, problem: 'Occlusion alarm', takeOutOfUse: true, secret: '2468' });
    await pageValue(page, 'workOrders.take', { id: workOrder.id, secret: '2468' });
    const repaired = await pageValue(page, 'workOrders.repair', { id: workOrder.id, workDone: 'Replaced the occlusion sensor', failureCodeId: code('failure'), causeCodeId: code('cause'), secret: '2468' });
    await pageValue(page, 'completions.log', { planId: plan.id, result: { kind: 'outcome', outcome: 'pass' }, secret: '2468' });
    expect((await pageValue(page, 'workOrders.return', { id: workOrder.id, secret: '2468' })).state).toBe('returned');
    await pageValue(page, 'completions.amend', {
      amendsId: repaired.repairCompletionId!,
      result: { kind: 'not_done', reason: 'other', explanation: 'Logged on the wrong pump' },
      reason: 'Wrong pump',
      secret: '2468',
    });

    await page.evaluate((id) => {
      window.location.hash = `#/work-orders/${id}`;
    }, workOrder.id);
    const state = page.getByTestId('work-order-state');
    await expect.poll(() => state.textContent()).toBe('In progress');
    await page.getByText('DO NOT USE', { exact: true }).waitFor();
    const last = page.getByTestId('work-order-steps').locator('tbody tr').last();
    const cells = await last.locator('td').allTextContents();
    expect(cells[0]).toMatch(/^\d{2}\/\d{2}\/\d{4}/);
    expect(cells.slice(1)).toEqual([
      'Reopened',
      'Ada Admin (by the signed record)',
      'In progress',
      'Reopened: its repair record was corrected to "not done: other reason". A new repair is logged, and its post-repair checks pass, before the device is used.',
    ]);
    // The corrected repair is not given as the work order's: no codes or work done stand, and the page
    // says what the repair was and what it was corrected to; its step is marked corrected.
    const facts = page.locator('section[aria-labelledby="wo-facts-title"]');
    const fact = async (label: string) => (await facts.locator('.fact', { has: page.locator('dt', { hasText: new RegExp(`^${label}$`) }) }).locator('dd').textContent())?.trim();
    expect([await fact('Failure code'), await fact('Cause code'), await fact('Work done')]).toEqual(['—', '—', '—']);
    expect(await fact('Repair corrected')).toMatch(
      new RegExp(
        `^The repair logged \\d{2}/\\d{2}/\\d{4} \\d{2}:\\d{2} by Ada Admin \\(work done: Replaced the occlusion sensor; failure code ${escape(code('failure', 'label'))}, cause code ${escape(code('cause', 'label'))}\\) was corrected to "not done: other reason" on \\d{2}/\\d{2}/\\d{4} \\d{2}:\\d{2}: it no longer stands\\. A new repair is logged before the device is used\\.$`,
      ),
    );
    const repairRow = page.getByTestId('work-order-steps').locator('tbody tr').filter({ hasText: 'Replaced the occlusion sensor' });
    expect(await repairRow.locator('td').nth(1).textContent()).toBe('Repair logged (corrected since: it no longer stands)');
    // What comes next is the repair again.
    await page.getByRole('button', { name: 'Log the repair…' }).waitFor();
    await expectAccessible(page, 'a reopened work order');
    await screenshot(page, 'work-order-reopened');
    expectNoPageProblems(app);
  });
});
