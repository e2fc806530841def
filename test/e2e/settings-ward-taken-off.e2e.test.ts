import { afterAll, describe, expect, it } from 'vitest';
import { expectAccessible } from './axe';
import { shutdown } from './harness';
import { launchWard } from './ward';
import { expectNoPageProblems, nav, signIn } from './steps';

afterAll(shutdown);

/**
 * This PC's ward cannot be taken off the lists on this PC, but another PC does not know it, so the
 * change arrives through the hub (set here as a sync apply writes it: `active = 0`). It then counts
 * as no ward, and Settings says so beside the field.
 */
describe("Settings: this PC's ward taken off the lists by another PC", () => {
  it('is said beside the field, Today covers the whole hospital, and saving "(all locations)" settles it', async () => {
    const { app, call } = await launchWard();
    const { page } = app;
    const site = (await call('locations.list', {})).find((l) => l.path === 'General Hospital')!;
    const ward9 = await call('locations.create', { name: 'Ward 9', parentId: site.id });
    await call('settings.update', { defaultLocationId: ward9.id });
    app.backend.core.db.prepare('UPDATE locations SET active = 0 WHERE id = ?').run(ward9.id);
    await signIn(page, 'Ada Admin', '2468');
    await page.getByTestId('signed-in-user').filter({ hasText: 'Ada Admin' }).waitFor();
    // Today starts on the whole hospital, not on an empty ward.
    await page.getByRole('heading', { name: 'Today' }).waitFor();
    await expect.poll(() => page.getByLabel('Location', { exact: true }).inputValue()).toBe('');

    await nav(page).getByRole('link', { name: 'Settings', exact: true }).click();
    const field = page.getByLabel("This PC's ward");
    await field.waitFor();
    expect(await field.inputValue()).toBe('');
    const help = page.locator(`#${(await field.getAttribute('aria-describedby'))!.split(' ').at(-1)!}`);
    expect(await help.innerText()).toBe(
      "This PC's ward, General Hospital > Ward 9, was taken off the lists, so this PC counts as having no ward (the whole hospital): choose another ward.",
    );
    await expectAccessible(page, "Settings, this PC's ward taken off the lists");

    // Saved as shown, "(all locations)": the note goes, and the ward would not come back with the location.
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    await expect.poll(() => page.getByText(/was taken off the lists/).count()).toBe(0);
    const now = await call('settings.get', {});
    expect(now.defaultLocationId).toBeNull();
    expect(now.wardTakenOff).toBeUndefined();
    app.backend.core.db.prepare('UPDATE locations SET active = 1 WHERE id = ?').run(ward9.id);
    expect((await call('settings.get', {})).defaultLocationId).toBeNull();
    expectNoPageProblems(app);
    await app.close();
  });
});
