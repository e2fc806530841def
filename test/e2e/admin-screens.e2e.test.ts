import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/core';
import { expectAccessible, screenshot } from './axe';
import { launchApp, shutdown } from './harness';
import { seedWard } from './seed';
import { expectNoPageProblems, expectProblem, focused, nav, openCategory, pageValue, signIn, tabTo } from './steps';
import { launchWard } from './ward';

afterAll(shutdown);

/** The app on a seeded ward, Ada Admin signed in. */
async function adminOnWard() {
  const dataDir = tempDir();
  await seedWard(dataDir);
  const app = await launchApp({ dataDir });
  await signIn(app.page, 'Ada Admin', '2468');
  await app.page.getByTestId('signed-in-user').waitFor();
  return app;
}

/** Where the keyboard focus is: the element's test id, or its tag and text ("BODY" when lost to the document). */
const focusedOn = (page: import('playwright-core').Page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return 'BODY';
    return el.getAttribute('data-testid') ?? `${el.tagName}:${(el.textContent ?? '').trim().slice(0, 60)}`;
  });

/** The Locations and Categories screens say what happened, and only that. */
describe('the Locations and Categories screens, in Chromium', () => {
  it('"Move…" on the only site says there is nowhere to move it, offers no Move, and says nothing moved', async () => {
    const app = await adminOnWard();
    const { page } = app;
    await nav(page).getByRole('link', { name: 'Locations', exact: true }).click();
    const tree = page.getByRole('tree', { name: 'Locations' });
    // The only site, holding Ward 4B: there is no other location it could go into.
    await tree.getByRole('treeitem', { name: /^General Hospital/ }).click();
    await page.getByRole('heading', { name: 'General Hospital', level: 2 }).waitFor();
    await page.getByRole('button', { name: 'Move…' }).click();
    const move = page.getByRole('dialog', { name: 'Move General Hospital' });
    await move.waitFor();
    await move.getByText(/^There is nowhere to move General Hospital: /).waitFor();
    expect(await move.getByRole('button', { name: 'Move' }).isDisabled()).toBe(true);
    expect(await move.getByRole('combobox').count()).toBe(0);
    await expectAccessible(page, 'the Move dialog of the only site');
    await screenshot(page, 'locations-move-nowhere');
    await move.getByRole('button', { name: 'Cancel' }).click();
    await move.waitFor({ state: 'detached' });
    expect(await page.getByText(/^Moved: it is now/).count()).toBe(0);
    expectNoPageProblems(app);
    await app.close();
  });

  it('applying default plans to a category with no devices is a plain notice, not a success', async () => {
    const app = await adminOnWard();
    const { page } = app;
    await pageValue(page, 'categories.create', { name: 'Bladder scanner' });
    await openCategory(page, 'Bladder scanner');
    await page.getByText('0 devices', { exact: true }).waitFor();
    const addPlan = page.getByRole('form', { name: 'Add a default plan' });
    await addPlan.getByLabel('Task').selectOption({ label: 'Inspection' });
    await addPlan.getByLabel('Every').fill('1y');
    await addPlan.getByRole('button', { name: 'Add default plan' }).click();
    await page.getByText(/Added: inspection every year/).waitFor();
    await page.getByRole('button', { name: /Apply to this category/ }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    const notice = page.locator('.banner.info');
    await notice.waitFor();
    expect(await notice.innerText()).toBe(
      'Nothing was applied: this category has no devices yet. Devices added to it get the default plans.',
    );
    expect((await page.locator('.banner').allInnerTexts()).join(' | ')).not.toMatch(/Applied to/);
    expect(await page.locator('.banner.ok').count()).toBe(0);
    await expectAccessible(page, 'a category setup page after applying nothing');
    await screenshot(page, 'category-apply-nothing');
    expectNoPageProblems(app);
    await app.close();
  });

  it('a category is taken out of use and brought back from the Categories screen, asked first', async () => {
    const app = await adminOnWard();
    const { page } = app;
    await pageValue(page, 'categories.create', { name: 'Suction unit' });
    await nav(page).getByRole('link', { name: 'Categories', exact: true }).click();
    await page.getByRole('button', { name: 'Take out of use… Suction unit' }).click();
    const ask = page.getByRole('dialog', { name: 'Take Suction unit out of use?' });
    await ask.waitFor();
    await expectAccessible(page, 'the question before taking a category out of use');
    await ask.getByRole('button', { name: 'Take out of use' }).click();
    await ask.waitFor({ state: 'detached' });
    await page.getByRole('status').filter({ hasText: 'Suction unit is out of use: it is no longer offered for devices.' }).waitFor();
    const row = page.getByRole('row', { name: /Suction unit/ });
    await row.getByText('out of use', { exact: true }).waitFor();
    await expectAccessible(page, 'the Categories screen with a category out of use');
    await screenshot(page, 'categories-out-of-use');
    expect((await pageValue(page, 'categories.list', {})).find((c) => c.name === 'Suction unit')).toMatchObject({ active: false });
    // "No longer offered for devices": the add form's categories leave it out.
    await page.evaluate(() => (window.location.hash = '/equipment/new'));
    await page.getByRole('heading', { level: 1, name: 'Add a device' }).waitFor();
    await expect.poll(() => page.getByLabel('Category').locator('option').allInnerTexts()).toContain('Infusion pump');
    expect(await page.getByLabel('Category').locator('option').allInnerTexts()).not.toContain('Suction unit');
    await nav(page).getByRole('link', { name: 'Categories', exact: true }).click();
    await page.getByRole('button', { name: 'Bring back… Suction unit' }).click();
    const back = page.getByRole('dialog', { name: 'Bring Suction unit back?' });
    await back.getByRole('button', { name: 'Bring back' }).click();
    await back.waitFor({ state: 'detached' });
    await page.getByRole('status').filter({ hasText: 'Suction unit is in use again' }).waitFor();
    expect(await row.getByText('out of use', { exact: true }).count()).toBe(0);
    expectNoPageProblems(app);
    await app.close();
  });

  it('after deactivating an empty ward with the keyboard, the focus is on the notice saying so, not lost to the document', async () => {
    const { app, call } = await launchWard();
    const { page } = app;
    const site = (await call('locations.list', {})).find((l) => l.path === 'General Hospital')!;
    await call('locations.create', { name: 'Ward 4C', parentId: site.id });
    await signIn(page, 'Ada Admin', '2468');
    await page.getByTestId('signed-in-user').waitFor();
    await nav(page).getByRole('link', { name: 'Locations', exact: true }).click();
    const tree = page.getByRole('tree', { name: 'Locations' });
    await tree.getByRole('treeitem', { name: /^Ward 4C/ }).click();
    await page.getByRole('heading', { name: 'Ward 4C', level: 2 }).waitFor();
    await page.getByRole('button', { name: 'Deactivate…' }).focus();
    await page.keyboard.press('Enter');
    const ask = page.getByRole('dialog', { name: 'Deactivate Ward 4C?' });
    await ask.getByRole('button', { name: 'Deactivate' }).focus();
    await page.keyboard.press('Enter');
    await ask.waitFor({ state: 'detached' });
    await page.getByText('General Hospital > Ward 4C is no longer in the lists.', { exact: false }).waitFor();
    await expect.poll(() => focusedOn(page)).toBe('locations-notice');
    expectNoPageProblems(app);
    await app.close();
  });

  it('after deleting a category with the keyboard, the focus is on the notice saying so, not lost with its row', async () => {
    const app = await adminOnWard();
    const { page } = app;
    await pageValue(page, 'categories.create', { name: 'Typo categroy' });
    await nav(page).getByRole('link', { name: 'Categories', exact: true }).click();
    await page.getByRole('button', { name: 'Delete… Typo categroy' }).focus();
    await page.keyboard.press('Enter');
    const ask = page.getByRole('dialog', { name: 'Delete Typo categroy?' });
    await ask.getByRole('button', { name: 'Delete category' }).focus();
    await page.keyboard.press('Enter');
    await ask.waitFor({ state: 'detached' });
    await page.getByRole('status').filter({ hasText: 'Deleted Typo categroy.' }).waitFor();
    await expect.poll(() => page.getByRole('row', { name: /Typo categroy/ }).count()).toBe(0);
    expect(await focusedOn(page)).toBe('categories-notice');
    expectNoPageProblems(app);
    await app.close();
  });

  it('"Take out of use" confirmed after another supervisor renamed the category keeps their name, risk and notes, and says it by its name now', async () => {
    const { app, call } = await launchWard();
    const { page } = app;
    const suction = await call('categories.create', { name: 'Suction unit' });
    await signIn(page, 'Ada Admin', '2468');
    await page.getByTestId('signed-in-user').waitFor();
    await nav(page).getByRole('link', { name: 'Categories', exact: true }).click();
    await page.getByRole('button', { name: 'Take out of use… Suction unit' }).click();
    const ask = page.getByRole('dialog', { name: 'Take Suction unit out of use?' });
    await ask.waitFor();
    // Meanwhile another supervisor (another window, or another PC through the hub) renames it and sets its risk and notes.
    await call('categories.update', { id: suction.id, name: 'Suction unit (portable)', defaultRisk: 'high', notes: 'Laerdal LCSU 4' });
    await ask.getByRole('button', { name: 'Take out of use' }).click();
    await ask.waitFor({ state: 'detached' });
    await page.getByRole('status').filter({ hasText: 'Suction unit (portable) is out of use: it is no longer offered for devices.' }).waitFor();
    expect((await call('categories.list', {})).find((c) => c.id === suction.id)).toMatchObject({
      name: 'Suction unit (portable)',
      defaultRisk: 'high',
      notes: 'Laerdal LCSU 4',
      active: false,
    });
    expectNoPageProblems(app);
    await app.close();
  });

  it('with the keyboard alone: a ward chosen in the tree is moved under another site, and the focus stays where it was', async () => {
    const { app, call } = await launchWard();
    const { page } = app;
    await call('locations.create', { name: 'Clinic North' });
    await signIn(page, 'Ada Admin', '2468');
    await page.getByTestId('signed-in-user').waitFor();
    await nav(page).getByRole('link', { name: 'Locations', exact: true }).click();
    const tree = page.getByRole('tree', { name: 'Locations' });
    await tree.getByRole('treeitem', { name: /^Ward 4B/ }).waitFor();
    await tabTo(page, (f) => f.tag === 'LI');
    // Clinic North, General Hospital, Ward 4B: the last.
    await page.keyboard.press('End');
    expect(await focused(page)).toMatchObject({ tag: 'LI', text: expect.stringMatching(/^Ward 4B/) });
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Ward 4B', level: 2 }).waitFor();
    await tabTo(page, (f) => f.text === 'Move…');
    await page.keyboard.press('Enter');
    const move = page.getByRole('dialog', { name: 'Move Ward 4B' });
    await move.waitFor();
    // (the top: make it a site), then Clinic North.
    await page.keyboard.press('ArrowDown');
    expect(await move.getByLabel('Move into').inputValue()).not.toBe('');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await move.waitFor({ state: 'detached' });
    await page.getByText('Moved: it is now Clinic North > Ward 4B.').waitFor();
    expect(await focused(page)).toMatchObject({ tag: 'BUTTON', text: 'Move…' });
    await tabTo(page, (f) => f.tag === 'LI', true);
    expect(await focused(page)).toMatchObject({ tag: 'LI', text: expect.stringMatching(/^Ward 4B/) });
    expect(await tree.getByRole('treeitem', { name: /^Ward 4B/ }).getAttribute('aria-level')).toBe('2');
    expectNoPageProblems(app);
    await app.close();
  });

  it('the add form whose chosen ward was taken off the lists in another window shows that ward, and the refusal names it; nothing is added', async () => {
    const { app, call } = await launchWard();
    const { page } = app;
    const site = (await call('locations.list', {})).find((l) => l.path === 'General Hospital')!;
    const ward = await call('locations.create', { name: 'Ward 4C', parentId: site.id });
    await signIn(page, 'Ada Admin', '2468');
    await page.getByTestId('signed-in-user').waitFor();
    await nav(page).getByRole('link', { name: 'Locations', exact: true }).click();
    await page.getByRole('tree', { name: 'Locations' }).getByRole('treeitem', { name: /^Ward 4C/ }).click();
    await page.getByRole('button', { name: 'Add a room here' }).click();
    await page.getByLabel('Name').fill('Bay 1');
    const inside = page.getByLabel('Inside');
    expect(await inside.inputValue()).toBe(ward.id);
    // Meanwhile another supervisor (another window, or another PC through the hub) takes Ward 4C off the lists.
    await call('locations.deactivate', { id: ward.id });
    await page.getByRole('heading', { name: 'Choose a location', level: 2 }).waitFor();
    const shown = () => inside.evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.textContent ?? '');
    await expect.poll(shown).toBe('General Hospital > Ward 4C (no longer offered here: choose another)');
    await page.getByRole('button', { name: 'Add location' }).click();
    await expectProblem(page, 'General Hospital > Ward 4C is no longer in the lists, so nothing was added: choose where to add "Bay 1".');
    expect(await shown()).toBe('General Hospital > Ward 4C (no longer offered here: choose another)');
    expect((await call('locations.list', {})).map((l) => l.name)).not.toContain('Bay 1');
    await inside.selectOption({ label: 'General Hospital > Ward 4B' });
    await page.getByRole('button', { name: 'Add location' }).click();
    await page.getByRole('status').filter({ hasText: 'Added General Hospital > Ward 4B > Bay 1.' }).waitFor();
    expectNoPageProblems(app);
    await app.close();
  });

  it('the Rename dialog opened before another supervisor renamed the location is refused in words, keeps what was typed, and the next press renames', async () => {
    const { app, call } = await launchWard();
    const { page } = app;
    const ward = (await call('locations.list', {})).find((l) => l.path === 'General Hospital > Ward 4B')!;
    await signIn(page, 'Ada Admin', '2468');
    await page.getByTestId('signed-in-user').waitFor();
    await nav(page).getByRole('link', { name: 'Locations', exact: true }).click();
    await page.getByRole('tree', { name: 'Locations' }).getByRole('treeitem', { name: /^Ward 4B/ }).click();
    await page.getByRole('heading', { name: 'Ward 4B', level: 2 }).waitFor();
    await page.getByRole('button', { name: 'Rename…' }).click();
    // Its title follows the tree, which is read again when the other supervisor's rename arrives.
    const rename = page.getByRole('dialog', { name: /^Rename Ward 4B/ });
    await rename.getByLabel('New name').fill('Ward 4C');
    // Meanwhile another supervisor (another window, or another PC through the hub) renames it.
    await call('locations.rename', { id: ward.id, name: 'Ward 4B East' });
    await rename.getByRole('button', { name: 'Rename' }).click();
    await expectProblem(rename, 'Ward 4B was renamed by someone else since you opened this (now called "Ward 4B East"): check and rename again.');
    await expectAccessible(page, 'the location rename dialog refused over a rename made meanwhile');
    expect((await call('locations.list', {})).find((l) => l.id === ward.id)!.name).toBe('Ward 4B East');
    expect(await rename.getByLabel('New name').inputValue()).toBe('Ward 4C');
    await rename.getByRole('button', { name: 'Rename' }).click();
    await rename.waitFor({ state: 'detached' });
    await page.getByRole('status').filter({ hasText: 'Renamed to General Hospital > Ward 4C.' }).waitFor();
    expect((await call('locations.list', {})).find((l) => l.id === ward.id)!.name).toBe('Ward 4C');
    expectNoPageProblems(app);
    await app.close();
  });

  it('the Edit dialog opened before another supervisor changed the category is refused in words; the fields take their values, and the next save keeps both changes', async () => {
    const { app, call } = await launchWard();
    const { page } = app;
    const suction = await call('categories.create', { name: 'Suction unit' });
    await signIn(page, 'Ada Admin', '2468');
    await page.getByTestId('signed-in-user').waitFor();
    await nav(page).getByRole('link', { name: 'Categories', exact: true }).click();
    await page.getByRole('button', { name: 'Edit… Suction unit' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit Suction unit' });
    await edit.getByLabel('Category notes').fill('Wall and portable');
    await call('categories.update', { id: suction.id, name: 'Suction unit (portable)', defaultRisk: 'high' });
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await expectProblem(edit, 'Suction unit was changed by someone else since you opened this (now called "Suction unit (portable)", default risk now high): check and save again.');
    await expectAccessible(page, 'the category edit dialog refused over a change made meanwhile');
    expect(await edit.getByLabel('Category name').inputValue()).toBe('Suction unit (portable)');
    expect(await edit.getByLabel('Default risk').inputValue()).toBe('high');
    expect(await edit.getByLabel('Category notes').inputValue()).toBe('Wall and portable');
    expect((await call('categories.list', {})).find((c) => c.id === suction.id)).toMatchObject({ name: 'Suction unit (portable)', notes: null });
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await edit.waitFor({ state: 'detached' });
    await page.getByRole('status').filter({ hasText: 'Saved Suction unit (portable).' }).waitFor();
    expect((await call('categories.list', {})).find((c) => c.id === suction.id)).toMatchObject({ name: 'Suction unit (portable)', defaultRisk: 'high', notes: 'Wall and portable' });
    expectNoPageProblems(app);
    await app.close();
  });
});
