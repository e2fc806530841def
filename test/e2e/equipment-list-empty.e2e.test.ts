import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { shutdown } from './harness';
import { launchWard } from './ward';
import { expectNoPageProblems, signIn } from './steps';

afterAll(shutdown);

const go = (page: Page, route: string) => page.evaluate((r) => (window.location.hash = r), route);

describe('the equipment list when a filter matches nothing', () => {
  it('names what it was asked for, and offers fewer words only when words were typed', async () => {
    const { app, call } = await launchWard();
    const { page } = app;
    const site = app.backend.core.db.prepare("SELECT id FROM locations WHERE name = 'General Hospital'").get() as { id: string };
    await call('locations.create', { name: 'ICU', parentId: site.id });
    await signIn(page, 'Ada Admin', '2468');
    await page.getByTestId('signed-in-user').waitFor();
    await go(page, '/equipment');
    const count = page.getByRole('status').filter({ hasText: /devices?( match)?$/ });
    await count.filter({ hasText: /^2 devices$/ }).waitFor();
    const empty = page.locator('.vtable-empty');

    // An empty ward chosen in the tree: no words were typed.
    await page.getByRole('tree').getByText('ICU', { exact: true }).click();
    await count.filter({ hasText: /^0 of 2 devices match$/ }).waitFor();
    expect(await empty.innerText()).toBe('No device matches location General Hospital > ICU. Clear the filters to see all 2 devices.');

    // A status no device has.
    await page.getByRole('tree').getByText('All locations', { exact: true }).click();
    await page.getByLabel('Status').selectOption('missing');
    await count.filter({ hasText: /^0 of 2 devices match$/ }).waitFor();
    expect(await empty.innerText()).toBe('No device matches status Missing. Clear the filters to see all 2 devices.');

    // Words that match nothing, with the status still set.
    await page.getByLabel('Search', { exact: true }).fill('zebra');
    await expect
      .poll(() => empty.innerText())
      .toBe('No device matches “zebra” with status Missing. Try fewer words, or clear the filters to see all 2 devices.');
    expectNoPageProblems(app);
    await app.close();
  });
});
