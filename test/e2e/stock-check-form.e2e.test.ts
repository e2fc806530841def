import { addDays, addYears, format, subDays } from 'date-fns';
import type { Locator, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../main/core/dispatcher/transaction';
import { uuidv7 } from '../../main/core/ids';
import { createPlan } from '../../main/core/plans/service';
import { writeTransaction } from '../../main/core/stock/ledger';
import { recomputeItemStock } from '../../main/core/stock/on-hand';
import { PlanFields } from '../../shared/domain/plan';
import { tempDir, testActor } from '../helpers/core';
import { item, level, stock, stockLocation } from '../integration/stock/fixtures';
import { expectAccessible, screenshot } from './axe';
import type { LaunchedApp } from './harness';
import { launchApp, shutdown } from './harness';
import { createFirstAdmin, expectNoPageProblems, pageValue } from './steps';

afterAll(shutdown);

const iso = (d: Date) => format(d, 'yyyy-MM-dd');
const go = (page: Page, route: string) => page.evaluate((r) => (window.location.hash = r), route);

/** A crash cart on Ward 4B with pads, adrenaline (one lot expired yesterday) and gel, and a daily check. */
async function crashCart(app: LaunchedApp) {
  const core = app.backend.core;
  const today = new Date();
  const cart = stockLocation(core, 'Crash cart 4B');
  const pads = item(core, 'PADS', 'Defibrillator pads', 'pair');
  const adr = item(core, 'ADR-1MG', 'Adrenaline 1 mg', 'ampoule');
  const gel = item(core, 'GEL', 'ECG gel', 'tube');
  level(core, cart, pads, 4, 2);
  level(core, cart, adr, 6, 4);
  level(core, cart, gel, 4, 0);
  stock(core, cart, pads, 2, 'P-1', iso(addYears(today, 1)));
  stock(core, cart, adr, 2, 'ADR-OLD', iso(addDays(today, -1)));
  stock(core, cart, adr, 4, 'ADR-GOOD', iso(addDays(today, 200)));
  const plan = inTransaction(core, (c) => createPlan(c, testActor, PlanFields.parse({ stockLocationId: cart, task: 'stock_check', every: '1d', startDate: iso(today) })));
  app.backend.emit('data.changed', { channel: 'stock.restock' });
  return { cart, pads, adr, gel, plan };
}

/**
 * A crash cart in the inventory for a week, checked daily since, holding adrenaline put on it three
 * days ago: 2 of lot ADR-Y, which expired yesterday (usable up to and including that day: in date
 * yesterday, expired today), and 4 of lot ADR-GOOD.
 */
function cartOfLastWeek(app: LaunchedApp) {
  const core = app.backend.core;
  const today = new Date();
  const cart = stockLocation(core, 'Crash cart 4B');
  const adr = item(core, 'ADR-1MG', 'Adrenaline 1 mg', 'ampoule');
  level(core, cart, adr, 6, 0);
  const restock = (quantity: number, lot: string, expiresOn: string) =>
    inTransaction(core, (c) =>
      writeTransaction(c, testActor, { stockLocationId: cart, at: subDays(today, 3).toISOString(), completionId: null }, { itemId: adr, kind: 'restock', lot: { lot, expiresOn }, delta: quantity, counted: null, reason: null }),
    );
  restock(2, 'ADR-Y', iso(subDays(today, 1)));
  restock(4, 'ADR-GOOD', iso(addYears(today, 1)));
  core.db.prepare('UPDATE stock_locations SET created_at = ? WHERE id = ?').run(subDays(today, 7).toISOString(), cart);
  const plan = inTransaction(core, (c) => createPlan(c, testActor, PlanFields.parse({ stockLocationId: cart, task: 'stock_check', every: '1d', startDate: iso(subDays(today, 7)) })));
  app.backend.emit('data.changed', { channel: 'stock.restock' });
  return { cart, adr, plan };
}

async function openApp() {
  const app = await launchApp({ dataDir: tempDir() });
  await createFirstAdmin(app.page);
  await pageValue(app.page, 'settings.update', { dateFormat: 'dd/MM/yyyy' });
  return app;
}

/** The text of the elements an input's aria-describedby points at (what a screen reader reads after its name). */
async function description(input: Locator): Promise<string> {
  return input.evaluate((el) =>
    (el.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .map((id) => document.getElementById(id)?.textContent ?? '')
      .join(' '),
  );
}

async function signAndSave(page: Page) {
  await page.getByLabel('Your PIN or password').fill('2468');
  await page.getByRole('button', { name: /^Sign and save/ }).click();
}

const completions = (app: LaunchedApp) => (app.backend.core.db.prepare('SELECT count(*) AS n FROM completions').get() as { n: number }).n;

describe('the stock-check form', () => {
  it('an item taken off the cart while its check is open keeps its box, says so by name beside it and in the summary, and its line can be cleared', async () => {
    const app = await openApp();
    const { page } = app;
    const { cart, gel, plan } = await crashCart(app);
    await go(page, `#/log/${plan.id}`);
    const gelBox = page.getByRole('group', { name: /ECG gel/ });
    await gelBox.waitFor();
    await page.getByRole('group', { name: /Defibrillator pads/ }).getByLabel('Counted (pair)').fill('2');
    await page.getByRole('group', { name: /Adrenaline/ }).getByLabel('Counted (ampoule)').fill('6');
    await gelBox.getByLabel('Counted (tube)').fill('0');
    // Meanwhile the supervisor, at the stock page, takes the gel off the cart's list: the form follows at once.
    await pageValue(page, 'stock.levels.remove', { stockLocationId: cart, itemId: gel });
    const said = 'ECG gel (GEL) is no longer kept at Crash cart 4B: clear its line or ask a supervisor.';
    await expect.poll(() => gelBox.locator('.error').textContent()).toBe(`Error: ${said}`);
    expect(await page.getByTestId('stock-check-item').count()).toBe(3);
    await signAndSave(page);
    const summary = page.getByTestId('error-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toContain(said);
    expect(await gelBox.locator('.error').textContent()).toContain(said);
    expect(completions(app)).toBe(0);
    await gelBox.scrollIntoViewIfNeeded();
    await screenshot(page, 'stock-check-item-gone');
    await expectAccessible(page, 'stock check with an item no longer kept');
    // Its line cleared, the box goes and the check is signed without it.
    await gelBox.getByRole('button', { name: 'Clear the line of ECG gel' }).click();
    await expect.poll(() => page.getByTestId('stock-check-item').count()).toBe(2);
    await signAndSave(page);
    await page.waitForURL(/#\/stock\/checks\//);
    expect(completions(app)).toBe(1);
    expectNoPageProblems(app);
    await app.close();
  });

  it('"1,000" or "1e3" typed as a count or a quantity stays as typed and is refused in words beside it and in the summary, never read as 1000', async () => {
    const app = await openApp();
    const { page } = app;
    const { plan } = await crashCart(app);
    await go(page, `#/log/${plan.id}`);
    const pads = page.getByRole('group', { name: /Defibrillator pads/ });
    await pads.waitFor();
    const padsCount = pads.getByLabel('Counted (pair)');
    await padsCount.click();
    await page.keyboard.type('1,000');
    expect(await padsCount.inputValue()).toBe('1,000');
    const countSaid = 'Defibrillator pads (PADS): the count is unclear: write 1000 or 1, without a thousands separator.';
    expect(await description(padsCount)).toBe(`Error: ${countSaid}`);
    expect(await padsCount.getAttribute('aria-invalid')).toBe('true');
    expect(await pads.textContent()).not.toContain('After the check: 1000 pair');
    const adr = page.getByRole('group', { name: /Adrenaline/ });
    await adr.getByLabel('Counted (ampoule)').fill('6');
    await adr.getByLabel('Discard from lot ADR-GOOD').fill('1,000');
    await adr.getByRole('button', { name: 'Add a restock of Adrenaline 1 mg' }).click();
    await adr.getByLabel('Restock quantity').fill('1e3');
    expect(await description(adr.getByLabel('Restock quantity'))).toBe('Error: Adrenaline 1 mg (ADR-1MG): the quantity restocked is unclear: write 1000 in plain digits.');
    expect(await description(adr.getByLabel('Discard from lot ADR-GOOD'))).toContain('the quantity to discard from lot ADR-GOOD');
    await page.getByRole('group', { name: /ECG gel/ }).getByLabel('Counted (tube)').fill('0');
    await signAndSave(page);
    const summary = page.getByTestId('error-summary');
    await summary.waitFor();
    const listed = await summary.getByRole('listitem').allTextContents();
    expect(listed).toEqual(
      expect.arrayContaining([
        countSaid,
        expect.stringMatching(/^Adrenaline 1 mg \(ADR-1MG\): the quantity to discard from lot ADR-GOOD \(expires .*\) is unclear: write 1000 or 1, without a thousands separator\.$/),
        'Adrenaline 1 mg (ADR-1MG): the quantity restocked is unclear: write 1000 in plain digits.',
      ]),
    );
    expect(completions(app)).toBe(0);
    await screenshot(page, 'stock-check-typed-numbers');
    await adr.getByLabel('Restock quantity').scrollIntoViewIfNeeded();
    await screenshot(page, 'stock-check-typed-numbers-beside');
    // Written plainly, the count is read.
    await padsCount.fill('2');
    expect(await padsCount.getAttribute('aria-invalid')).toBe('false');
    expect(await pads.textContent()).toContain('After the check: 2 pair');
    await app.close();
  });

  it('after a refused save, the discard and restock problems are tied to their inputs, and the summary says which item each is about', async () => {
    const app = await openApp();
    const { page } = app;
    const { plan } = await crashCart(app);
    await go(page, `#/log/${plan.id}`);
    const adr = page.getByRole('group', { name: /Adrenaline/ });
    await adr.waitFor();
    await page.getByRole('group', { name: /Defibrillator pads/ }).getByLabel('Counted (pair)').fill('2');
    await page.getByRole('group', { name: /ECG gel/ }).getByLabel('Counted (tube)').fill('0');
    await adr.getByLabel('Counted (ampoule)').fill('6');
    await adr.getByLabel('Discard from lot ADR-OLD').fill('3');
    await adr.getByRole('button', { name: 'Add a restock of Adrenaline 1 mg' }).click();
    await adr.getByLabel('Restock quantity').fill('0');
    await signAndSave(page);
    const summary = page.getByTestId('error-summary');
    await summary.waitFor();
    const discard = adr.getByLabel('Discard from lot ADR-OLD');
    const restock = adr.getByLabel('Restock quantity');
    expect(await discard.getAttribute('aria-invalid')).toBe('true');
    expect(await restock.getAttribute('aria-invalid')).toBe('true');
    const yesterday = format(addDays(new Date(), -1), 'dd/MM/yyyy');
    expect(await description(discard)).toBe(`Error: Adrenaline 1 mg (ADR-1MG): lot ADR-OLD (expires ${yesterday}) holds 2 ampoule on record, so 3 cannot be discarded from it.`);
    expect(await description(restock)).toBe('Error: Adrenaline 1 mg (ADR-1MG): Restock 1 quantity must be at least 1.');
    // The summary, away from the box, names the item of each line.
    const listed = await summary.getByRole('listitem').allTextContents();
    expect(listed.length).toBeGreaterThan(0);
    for (const line of listed) expect(line).toMatch(/^Adrenaline 1 mg \(ADR-1MG\): /);
    expect(listed).toContain('Adrenaline 1 mg (ADR-1MG): Restock 1 quantity must be at least 1.');
    await screenshot(page, 'stock-check-refused-lines');
    await expectAccessible(page, 'stock check with refused lines');
    await app.close();
  });

  it("the sentence beside a discard gives the lot's expiry in the Settings format, as the lot table beside it does", async () => {
    const app = await openApp();
    const { page } = app;
    const { plan } = await crashCart(app);
    const yesterday = addDays(new Date(), -1);
    await go(page, `#/log/${plan.id}`);
    const adr = page.getByRole('group', { name: /Adrenaline/ });
    await adr.waitFor();
    await adr.getByLabel('Counted (ampoule)').fill('6');
    await adr.getByLabel('Discard from lot ADR-OLD').fill('3');
    const text = (await adr.textContent())!;
    expect(text).toContain(`lot ADR-OLD (expires ${format(yesterday, 'dd/MM/yyyy')})`);
    expect(text).not.toContain(iso(yesterday));
    await app.close();
  });
});

describe('a lot below zero (its last units used on two PCs at once) in the check form', () => {
  it('is listed with its figure and no discard box, saying the count sets it to 0; the count signed, it is 0', async () => {
    const app = await openApp();
    const { page } = app;
    const { cart, pads, plan } = await crashCart(app);
    const core = app.backend.core;
    const p2 = stock(core, cart, pads, 1, 'P-2', iso(addYears(new Date(), 2)));
    // This PC and another each used P-2's one pair: the other's use arrived by sync (written here as the sync writes a row).
    inTransaction(core, (w) => {
      for (const pc of [core.pcId, 'other-pc']) {
        w.db
          .prepare(
            `INSERT INTO stock_transactions (id, stock_location_id, item_id, lot_id, kind, delta, counted, reason, completion_id, at, user_id, user_name, pc_id)
             VALUES (?, ?, ?, ?, 'use', -1, NULL, NULL, NULL, ?, NULL, 'Bea Nurse', ?)`,
          )
          .run(uuidv7(), cart, pads, p2, new Date().toISOString(), pc);
      }
      recomputeItemStock(w, cart, pads);
    });
    app.backend.emit('data.changed', { channel: 'stock.restock' });
    await go(page, `#/log/${plan.id}`);
    const group = page.getByRole('group', { name: /Defibrillator pads/ });
    const row = group.locator('tr.lot-row').filter({ hasText: 'P-2' });
    await row.waitFor();
    expect(await row.locator('td').allInnerTexts()).toEqual(['P-2', format(addYears(new Date(), 2), 'dd/MM/yyyy'), '-1', 'Below zero: nothing to take off; counting Defibrillator pads sets it to 0.']);
    expect(await group.getByLabel('Discard from lot P-2').count()).toBe(0);
    // The figure on record is 1 pair (P-1's 2 less P-2's 1) against a minimum of 2: flagged, not "OK" on P-1's 2 alone.
    await group.getByText('Below minimum: order 3').first().waitFor();
    await row.scrollIntoViewIfNeeded();
    await screenshot(page, 'stock-check-lot-below-zero');
    await expectAccessible(page, 'Stock check form with a lot below zero');
    await group.getByLabel('Counted (pair)').fill('2');
    await signAndSave(page);
    await expect
      .poll(() => core.db.prepare('SELECT lot, on_hand FROM stock_lots WHERE item_id = ? ORDER BY lot').all(pads))
      .toEqual([
        { lot: 'P-1', on_hand: 2 },
        { lot: 'P-2', on_hand: 0 },
      ]);
    expectNoPageProblems(app);
    await app.close();
  });
});

describe('a stock check entered on a later day than it was done', () => {
  it('the form judges it on its "Performed on" day, as the record is signed: a lot that expired today was in date yesterday, the day of the check', async () => {
    const app = await openApp();
    const { page } = app;
    const { plan } = cartOfLastWeek(app);
    const yesterday = subDays(new Date(), 1);
    await go(page, `#/log/${plan.id}`);
    const box = page.getByRole('group', { name: /Adrenaline 1 mg/ });
    await box.waitFor();
    // Yesterday at 16:00 the technician counted all 6 on the cart; she enters it this morning.
    await page.getByLabel('Performed on').fill(format(yesterday, 'dd/MM/yyyy'));
    await page.getByLabel('At (time)').fill('16:00');
    await box.getByLabel('Counted (ampoule)').fill('6');
    const outcome = page.getByTestId('stock-check-outcome');
    await expect.poll(() => outcome.textContent()).toBe('Outcome: Pass');
    await screenshot(page, 'stock-check-yesterday');
    await signAndSave(page);
    await Promise.race([page.waitForURL(/#\/stock\/checks\//), page.getByTestId('error-summary').waitFor()]);
    expect(await page.getByTestId('error-summary').count(), (await page.getByTestId('error-summary').allTextContents()).join(' ')).toBe(0);
    // What the form said before signing is what the record says after it.
    expect(await page.getByTestId('stock-check-recorded-outcome').textContent()).toBe('Pass');
    expectNoPageProblems(app);
    await app.close();
  });

  it('a restock dated before a later count of its item is refused beside its quantity, naming the count, and in the summary', async () => {
    const app = await openApp();
    const { page } = app;
    const { cart, adr, plan } = cartOfLastWeek(app);
    const yesterday = subDays(new Date(), 1);
    // Yesterday at 11:00 the adrenaline was counted from the stock dialog: 6 ampoules.
    const countedAt = new Date(yesterday.getFullYear(), yesterday.getMonth(), yesterday.getDate(), 11, 0);
    inTransaction(app.backend.core, (c) =>
      writeTransaction(c, testActor, { stockLocationId: cart, at: countedAt.toISOString(), completionId: null }, { itemId: adr, kind: 'count', lot: null, delta: 0, counted: 6, reason: null }),
    );
    app.backend.emit('data.changed', { channel: 'stock.count' });
    await go(page, `#/log/${plan.id}`);
    const box = page.getByRole('group', { name: /Adrenaline 1 mg/ });
    await box.waitFor();
    // The check of 10:00, an hour before that count, with 2 ampoules put on the cart, entered today.
    await page.getByLabel('Performed on').fill(format(yesterday, 'dd/MM/yyyy'));
    await page.getByLabel('At (time)').fill('10:00');
    await box.getByRole('button', { name: 'Add a restock of Adrenaline 1 mg' }).click();
    const restock = box.getByLabel('Restock quantity');
    await restock.fill('2');
    await box.getByLabel('Lot number').fill('ADR-NEW');
    await signAndSave(page);
    const summary = page.getByTestId('error-summary');
    await summary.waitFor();
    const said =
      `Adrenaline 1 mg (ADR-1MG): the shelf was counted at ${format(yesterday, 'dd/MM/yyyy')} 11:00 by ${testActor.name}, ` +
      'after this restock (10:00), so the count already includes it: remove it here.';
    expect(await restock.getAttribute('aria-invalid')).toBe('true');
    expect(await description(restock)).toBe(`Error: ${said}`);
    expect(await summary.getByRole('listitem').allTextContents()).toContain(said);
    expect(completions(app)).toBe(0);
    await screenshot(page, 'stock-check-restock-before-count');
    await expectAccessible(page, 'stock check with a restock before a later count');
    await app.close();
  });
});

describe('the stock dialog', () => {
  it('refuses "1,000", "1e3" and "0,5" as a quantity in words, beside the field and in the summary, as the par-level field does', async () => {
    const app = await openApp();
    const { page } = app;
    const { cart, pads } = await crashCart(app);
    await go(page, `#/stock/locations/${cart}`);
    await page.getByRole('button', { name: 'Stock… Defibrillator pads: restock, use, discard or count' }).click();
    const dialog = page.getByRole('dialog', { name: /Defibrillator pads/ });
    await dialog.getByLabel('Restock', { exact: true }).check();
    const quantity = dialog.getByLabel('Quantity');
    const refusedAs = async (typed: string) => {
      await quantity.fill(typed);
      await dialog.getByRole('button', { name: 'Save' }).click();
      const summary = dialog.getByTestId('error-summary');
      await summary.waitFor();
      await expect.poll(async () => (await description(quantity)).replace(/^Error: /, '')).not.toBe('');
      const beside = (await description(quantity)).replace(/^Error: /, '');
      expect(await summary.textContent()).toContain(beside);
      return beside;
    };
    expect(await refusedAs('1,000')).toBe('Quantity is unclear: write 1000 or 1, without a thousands separator.');
    await screenshot(page, 'stock-dialog-thousands');
    expect(await refusedAs('1e3')).toBe('Quantity is unclear: write 1000 in plain digits.');
    expect(await refusedAs('0,5')).toBe('Quantity must be a whole number.');
    await expectAccessible(page, 'stock dialog with a refused quantity');
    const onHand = () => app.backend.core.db.prepare('SELECT on_hand FROM stock_levels WHERE stock_location_id = ? AND item_id = ?').get(cart, pads) as { on_hand: number };
    expect(onHand()).toEqual({ on_hand: 2 });
    // The par-level field on the same page says the same of "1e3".
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: 'Levels… of Defibrillator pads' }).click();
    const levels = page.getByRole('dialog', { name: 'Levels of Defibrillator pads' });
    await levels.getByLabel('Par level').fill('1e3');
    await levels.getByRole('button', { name: 'Save levels' }).click();
    await levels.getByTestId('error-summary').waitFor();
    expect(await levels.getByTestId('error-summary').textContent()).toContain('Par is unclear: write 1000 in plain digits.');
    await app.close();
  });
});
