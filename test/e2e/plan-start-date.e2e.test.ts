import { addDays, addYears, format } from 'date-fns';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/core';
import { launchApp, shutdown } from './harness';
import { createFirstAdmin, expectNoPageProblems, pageValue as value } from './steps';

afterAll(shutdown);

const iso = (d: Date) => format(d, 'yyyy-MM-dd');

/**
 * A plan's start date typed years ahead (2062 for 2026) would keep its work off every due list for
 * decades: the plan dialog asks about it beside the date, as the device form and the record form ask
 * about their dates, and saves it once the box is ticked.
 */
describe('the plan dialog asks about a start date most likely mistyped', () => {
  it('beside the date, with the box that confirms it; not again for a start date kept on a change', async () => {
    const app = await launchApp({ dataDir: tempDir() });
    const { page } = app;
    await createFirstAdmin(page);
    await value(page, 'settings.update', { dateFormat: 'yyyy-MM-dd' });
    const site = await value(page, 'locations.create', { name: 'General Hospital' });
    const pump = await value(page, 'equipment.create', { assetTag: 'IP-0001', name: 'Infusion pump', locationId: site.id, risk: 'high' });
    await page.evaluate((id) => (window.location.hash = `#/equipment/${id}`), pump.id);
    const plans = page.getByRole('region', { name: 'Plans' });
    await plans.getByRole('button', { name: 'Add plan…' }).click();
    const form = page.getByRole('dialog', { name: 'New plan' });
    await form.getByLabel('Task').selectOption({ label: 'Electrical safety test' });
    await form.getByLabel('Every').fill('1y');
    const typo = iso(addYears(new Date(), 36));
    await form.getByRole('textbox', { name: /^Start date/ }).fill(typo);
    const question = form.getByRole('group', { name: 'Check the start date' });
    await question.getByText(/^Start date is [\d,]+ days from today, more than one interval and a year ahead: nothing would be due until then \(\d{4}-\d\d-\d\d\)\. Check the year\.$/).waitFor();
    await form.getByRole('button', { name: 'Add plan' }).click();
    await form.getByTestId('error-summary').getByRole('link', { name: /^Start date is [\d,]+ days from today.*Check it; if it is right, tick/ }).waitFor();
    expect(await value(page, 'plans.list', { equipmentId: pump.id })).toMatchObject({ plans: [] });

    // A usual date: the question goes.
    await form.getByRole('textbox', { name: /^Start date/ }).fill(iso(addDays(new Date(), 30)));
    await expect.poll(() => question.count()).toBe(0);
    // Back to the far date, confirmed: saved as it is.
    await form.getByRole('textbox', { name: /^Start date/ }).fill(typo);
    await question.getByLabel('The dates are right: save them as they are').check();
    await form.getByRole('button', { name: 'Add plan' }).click();
    await plans.getByText(`Added the electrical safety test plan: next due ${typo}.`).waitFor();

    // Changing its grace keeps the confirmed start date: nothing is asked again.
    await plans.getByRole('button', { name: 'Edit the electrical safety test plan' }).click();
    const edit = page.getByRole('dialog', { name: 'Change the electrical safety test plan' });
    await edit.getByLabel('Grace (days)').fill('7');
    expect(await edit.getByRole('group', { name: 'Check the start date' }).count()).toBe(0);
    await edit.getByRole('button', { name: 'Save plan' }).click();
    await plans.getByText(`Saved the electrical safety test plan: next due ${typo}.`).waitFor();
    expectNoPageProblems(app);
    await app.close();
  });
});
