import type { Locator, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../main/core/backend';
import type { ChannelName } from '../../shared/contract';
import { tempDir } from '../helpers/core';
import type { LaunchedApp } from './harness';
import { screenshot } from './axe';
import { launchApp, shutdown } from './harness';
import { seedWard } from './seed';
import { expectNoPageProblems, nav, signIn } from './steps';

afterAll(shutdown);

/**
 * Issue 15: "a double click submits twice in Categories, Locations, Users and Add device". The kit's
 * forms (KitForm's busy flag, SubmitButton) and its confirm dialog take one press and refuse the
 * next while the first is on its way. Each save here is held in the back end until both presses
 * are in, as on a slow PC, so the second press surely lands while the first is saving.
 */

type Way = 'double click' | 'Enter twice';
const WAYS: Way[] = ['double click', 'Enter twice'];

/** Holds every call of `channel` until released; counts those that arrive meanwhile. */
function holdCalls(app: LaunchedApp, channel: ChannelName) {
  const original = app.backend.invoke;
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  let arrived = 0;
  const held = (async (session: Parameters<Backend['invoke']>[0], c: unknown, input: unknown) => {
    if (c === channel) {
      arrived++;
      await gate;
    }
    return original(session, c, input);
  }) as Backend['invoke'];
  app.backend.invoke = held;
  return {
    arrived: () => arrived,
    release: () => {
      app.backend.invoke = original;
      open();
    },
  };
}

/** The seeded ward (General Hospital > Ward 4B, Ada Admin, Tom Tech, an infusion pump), signed in as Ada, on the screen `link` of the menu. */
async function wardAt(link: 'Equipment' | 'Categories' | 'Locations' | 'Users'): Promise<LaunchedApp> {
  const dataDir = tempDir();
  await seedWard(dataDir);
  const app = await launchApp({ dataDir });
  await signIn(app.page, 'Ada Admin', '2468');
  await app.page.getByTestId('signed-in-user').filter({ hasText: 'Ada Admin' }).waitFor();
  await nav(app.page).getByRole('link', { name: link, exact: true }).click();
  await app.page.getByRole('heading', { level: 1, name: link }).waitFor();
  return app;
}

const count = (app: LaunchedApp, sql: string, ...params: unknown[]) => (app.backend.core.db.prepare(sql).get(...params) as { n: number }).n;
/** Rows of the audit trail about one thing: one per save. */
const auditRows = (app: LaunchedApp, entityId: string) => count(app, 'SELECT count(*) AS n FROM audit_log WHERE entity_id = ?', entityId);
const idOf = (app: LaunchedApp, sql: string, ...params: unknown[]) =>
  (app.backend.core.db.prepare(sql).get(...params) as { id: string }).id;

/**
 * Presses the form's action twice (`press` is the button, `field` a text field of the form for
 * Enter), with the save held: the button says it is busy, one call reaches the back end, then the
 * save goes through and `result` shows.
 */
async function saveTwice(
  app: LaunchedApp,
  options: { channel: ChannelName; way: Way; press: Locator; field: Locator; busyText?: string; result: Locator; shot: string },
): Promise<void> {
  const { page } = app;
  const hold = holdCalls(app, options.channel);
  const before = app.calls.filter((c) => c === options.channel).length;
  if (options.way === 'double click') {
    await options.press.dblclick();
  } else {
    await options.field.focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
  }
  // The first save is on its way: the button says so.
  await expect.poll(() => options.press.getAttribute('aria-disabled')).toBe('true');
  if (options.busyText) expect(await options.press.textContent()).toBe(options.busyText);
  // Time for a second save to set off, were it not refused.
  await page.waitForTimeout(300);
  if (options.way === 'double click') {
    // The second click selects nothing: no word of the button is highlighted.
    expect(await page.evaluate(() => window.getSelection()?.toString() ?? '')).toBe('');
    await screenshot(page, `busy-${options.shot}`);
  }
  expect(hold.arrived()).toBe(1);
  hold.release();
  await options.result.waitFor();
  await page.waitForTimeout(200);
  expect(app.calls.filter((c) => c === options.channel).length - before).toBe(1);
  // One result, and no refusal of a second save anywhere on the page.
  expect(await options.result.count()).toBe(1);
  expect(await page.getByTestId('error-summary').count()).toBe(0);
  expect(await page.getByRole('alert').count()).toBe(0);
}

const submitOf = (scope: Page | Locator) => scope.locator('button[type="submit"]');

describe('a second press while a save is on its way is ignored, in Chromium', () => {
  it.each(WAYS)('Add device (%s): one device, its page opened once', async (way) => {
    const app = await wardAt('Equipment');
    const { page } = app;
    await page.getByRole('link', { name: 'Add device' }).click();
    const form = page.getByRole('form', { name: 'Device details' });
    await form.getByLabel('Asset tag').fill('DF-0001');
    await form.getByLabel('Name').fill('Defibrillator');
    await form.getByLabel('Location').selectOption({ label: 'General Hospital > Ward 4B' });
    await saveTwice(app, {
      channel: 'equipment.create',
      shot: 'add-device',
      way,
      press: submitOf(form),
      field: form.getByLabel('Name'),
      busyText: 'Adding…',
      result: page.getByRole('heading', { level: 1, name: /Defibrillator/ }),
    });
    expect(count(app, "SELECT count(*) AS n FROM equipment WHERE asset_tag = 'DF-0001'")).toBe(1);
    expect(count(app, "SELECT count(*) AS n FROM equipment WHERE name = 'Defibrillator'")).toBe(1);
    expectNoPageProblems(app);
    await app.close();
  });

  it.each(WAYS)('Add a category (%s): one category, listed once, one "Added" message', async (way) => {
    const app = await wardAt('Categories');
    const { page } = app;
    const form = page.getByRole('form', { name: 'Add a category' });
    await form.getByLabel('Category name').fill('Defibrillator');
    await saveTwice(app, {
      channel: 'categories.create',
      shot: 'add-category',
      way,
      press: submitOf(form),
      field: form.getByLabel('Category name'),
      busyText: 'Adding…',
      result: page.getByRole('status').filter({ hasText: 'Added Defibrillator.' }),
    });
    expect(count(app, "SELECT count(*) AS n FROM categories WHERE name = 'Defibrillator'")).toBe(1);
    expect(await page.getByRole('table', { name: 'Categories' }).getByRole('rowheader', { name: 'Defibrillator' }).count()).toBe(1);
    // The form is ready for the next one, not refusing a blank second save.
    expect(await form.getByLabel('Category name').inputValue()).toBe('');
    expectNoPageProblems(app);
    await app.close();
  });

  it.each(WAYS)('Add a location (%s): one ward, one "Added" message', async (way) => {
    const app = await wardAt('Locations');
    const { page } = app;
    const form = page.getByRole('form', { name: 'Add a location' });
    await form.getByLabel('Inside').selectOption({ label: 'General Hospital' });
    await form.getByLabel('Name').fill('Ward 5C');
    await saveTwice(app, {
      channel: 'locations.create',
      shot: 'add-location',
      way,
      press: submitOf(form),
      field: form.getByLabel('Name'),
      busyText: 'Adding…',
      result: page.getByRole('status').filter({ hasText: 'Added General Hospital > Ward 5C.' }),
    });
    expect(count(app, "SELECT count(*) AS n FROM locations WHERE name = 'Ward 5C'")).toBe(1);
    expect(await form.getByLabel('Name').inputValue()).toBe('');
    expectNoPageProblems(app);
    await app.close();
  });

  it.each(WAYS)('Add a user (%s): one user, listed once, one "Added" message', async (way) => {
    const app = await wardAt('Users');
    const { page } = app;
    const form = page.getByRole('form', { name: 'Add a user' });
    await form.getByLabel('Name').fill('Sue Super');
    await form.getByLabel('Role').selectOption({ label: 'Supervisor' });
    await form.getByLabel('Temporary PIN').fill('8642');
    await saveTwice(app, {
      channel: 'users.create',
      shot: 'add-user',
      way,
      press: submitOf(form),
      field: form.getByLabel('Temporary PIN'),
      busyText: 'Adding…',
      result: page.getByRole('status').filter({ hasText: 'Added Sue Super.' }),
    });
    expect(count(app, "SELECT count(*) AS n FROM users WHERE name = 'Sue Super'")).toBe(1);
    expect(
      await page
        .getByRole('table', { name: 'Users' })
        .getByRole('row', { name: /Sue Super/ })
        .count(),
    ).toBe(1);
    expectNoPageProblems(app);
    await app.close();
  });

  it.each(WAYS)(
    'the edit dialogs (%s): a category, a location and a user each saved once, the dialog closed, one "Saved" message',
    async (way) => {
      const app = await wardAt('Categories');
      const { page } = app;
      const categoryId = idOf(app, "SELECT id FROM categories WHERE name = 'Infusion pump'");
      const categoryAudit = auditRows(app, categoryId);
      await page.getByRole('button', { name: 'Edit… Infusion pump' }).click();
      let dialog = page.getByRole('dialog', { name: 'Edit Infusion pump' });
      await dialog.getByLabel('Category notes').fill('Volumetric pumps.');
      await saveTwice(app, {
        channel: 'categories.update',
        shot: 'edit-category',
        way,
        press: submitOf(dialog),
        field: dialog.getByLabel('Category name'),
        result: page.getByRole('status').filter({ hasText: 'Saved Infusion pump.' }),
      });
      expect(await dialog.count()).toBe(0);
      expect(auditRows(app, categoryId) - categoryAudit).toBe(1);
      expect(count(app, "SELECT count(*) AS n FROM categories WHERE name = 'Infusion pump' AND notes = 'Volumetric pumps.'")).toBe(1);

      await nav(page).getByRole('link', { name: 'Locations', exact: true }).click();
      const wardId = idOf(app, "SELECT id FROM locations WHERE name = 'Ward 4B'");
      const wardAudit = auditRows(app, wardId);
      await page
        .getByRole('tree')
        .getByRole('treeitem', { name: /^Ward 4B/ })
        .click();
      await page.getByRole('button', { name: 'Rename…' }).click();
      dialog = page.getByRole('dialog', { name: 'Rename Ward 4B' });
      await dialog.getByLabel('New name').fill('Ward 4C');
      await saveTwice(app, {
        channel: 'locations.rename',
        shot: 'rename-location',
        way,
        press: submitOf(dialog),
        field: dialog.getByLabel('New name'),
        result: page.getByRole('status').filter({ hasText: 'Renamed to General Hospital > Ward 4C.' }),
      });
      expect(await dialog.count()).toBe(0);
      expect(auditRows(app, wardId) - wardAudit).toBe(1);
      expect(count(app, "SELECT count(*) AS n FROM locations WHERE name = 'Ward 4C'")).toBe(1);

      await nav(page).getByRole('link', { name: 'Users', exact: true }).click();
      const tomId = idOf(app, "SELECT id FROM users WHERE name = 'Tom Tech'");
      const tomAudit = auditRows(app, tomId);
      await page.getByRole('button', { name: 'Edit… Tom Tech' }).click();
      dialog = page.getByRole('dialog', { name: 'Edit Tom Tech' });
      await dialog.getByLabel('Name').fill('Tom Technician');
      await saveTwice(app, {
        channel: 'users.update',
        shot: 'edit-user',
        way,
        press: submitOf(dialog),
        field: dialog.getByLabel('Name'),
        result: page.getByRole('status').filter({ hasText: 'Saved Tom Technician.' }),
      });
      expect(await dialog.count()).toBe(0);
      expect(auditRows(app, tomId) - tomAudit).toBe(1);
      expectNoPageProblems(app);
      await app.close();
    },
  );

  it.each(WAYS)('the confirm dialog (%s): a category deleted once, no "not found" for a second press', async (way) => {
    const app = await wardAt('Categories');
    const { page } = app;
    const form = page.getByRole('form', { name: 'Add a category' });
    await form.getByLabel('Category name').fill('Suction unit');
    await submitOf(form).click();
    await page.getByRole('status').filter({ hasText: 'Added Suction unit.' }).waitFor();
    const id = idOf(app, "SELECT id FROM categories WHERE name = 'Suction unit'");
    await page.getByRole('button', { name: 'Delete… Suction unit' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete Suction unit?' });
    const confirm = dialog.getByRole('button', { name: 'Delete category' });
    await saveTwice(app, {
      channel: 'categories.delete',
      shot: 'delete-category',
      way,
      press: confirm,
      field: confirm,
      result: page.getByRole('status').filter({ hasText: 'Deleted Suction unit.' }),
    });
    expect(await dialog.count()).toBe(0);
    expect(count(app, 'SELECT count(*) AS n FROM categories WHERE id = ?', id)).toBe(0);
    expect(count(app, "SELECT count(*) AS n FROM audit_log WHERE entity_id = ? AND action = 'delete'", id)).toBe(1);
    expectNoPageProblems(app);
    await app.close();
  });
});
