import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor, Core } from '../../main/core/context';
import { inTransaction } from '../../main/core/dispatcher/transaction';
import { createEquipment, getEquipment, setEquipmentStatus, updateEquipment } from '../../main/core/equipment/service';
import { openCore } from '../../main/core/open-core';
import { newSession } from '../../main/core/session';
import { listConflicts, resolveConflict } from '../../main/core/sync/conflicts';
import { enrolPc, SyncClient, transportFor } from '../../main/core/sync/engine';
import { createEnrolCode } from '../../main/hub/pcs';
import { insertUser } from '../../main/core/users/service';
import { createLocation, locationTree } from '../../main/core/locations/service';
import { createCategory } from '../../main/core/categories/service';
import { addRepairCode } from '../../main/core/repairs/codes';
import type { RunningHub } from '../../main/hub/server';
import { startHub } from '../../main/hub/server';
import { equipmentExpected } from '../../shared/contract/equipment';
import { EquipmentFields } from '../../shared/domain/equipment';
import { tempDir } from '../helpers/core';
import type { Cluster } from '../helpers/pg';
import { startCluster } from '../helpers/pg';
import { expectAccessible, screenshot } from './axe';
import type { LaunchedApp } from './harness';
import { launchApp, shutdown } from './harness';
import { caller, seedWard } from './seed';
import { expectProblem, focused, nav, scanKeys, signIn, tabTo } from './steps';
import { onDemandSync } from './sync-port';

/**
 * The Conflicts screen on Ward 4B's PC (the real UI in Chromium, 1366x768,
 * date format dd/MM/yyyy) after the Emergency PC (a second Wardkeep database, over HTTPS) and it
 * made the same things apart, through a real hub on a throwaway PostgreSQL cluster.
 */

let cluster: Cluster;
let hub: RunningHub;
let app: LaunchedApp;
let sync: ReturnType<typeof onDemandSync>;
let other: Core & { close(): void };
let otherClient: SyncClient;
let ada: ReturnType<typeof caller>;
let seeded: Awaited<ReturnType<typeof seedWard>>;
const ben: Actor = { userId: null, name: 'Ben Boss', role: 'supervisor', via: 'app' };

async function syncAll() {
  await sync.once();
  await otherClient.syncOnce();
  await sync.once();
}

beforeAll(async () => {
  cluster = await startCluster();
  const admin = new pg.Client({ connectionString: `${cluster.baseUrl}postgres` });
  await admin.connect();
  await admin.query('CREATE DATABASE hubconflicts');
  await admin.end();
  hub = await startHub({ databaseUrl: `${cluster.baseUrl}hubconflicts`, host: '127.0.0.1', port: 0, tlsDir: null, log: () => undefined });
  const dir = tempDir();
  seeded = await seedWard(dir);
  sync = onDemandSync();
  app = await launchApp({ dataDir: dir, ports: { sync: sync.port }, viewport: { width: 1366, height: 768 } });
  sync.attach(app.backend);
  ada = caller(app.backend, newSession(Date.now()));
  await ada('auth.signIn', { name: 'Ada Admin', secret: '2468' });
  await ada('settings.update', { dateFormat: 'dd/MM/yyyy' });
  const codeA = (await createEnrolCode(hub.pool, 'Ward 4B PC')).code;
  await ada('sync.join', { hub: hub.url, code: codeA, fingerprint: hub.tls.fingerprint, fingerprintChecked: true });
  await sync.settled();
  // The Emergency PC: its own database, joined over HTTPS.
  other = openCore({ dataDir: tempDir() });
  const codeB = (await createEnrolCode(hub.pool, 'Emergency PC')).code;
  await enrolPc(other, hub.url, codeB, { expectFingerprint: hub.tls.fingerprint });
  otherClient = new SyncClient(other, transportFor(other));
  await syncAll();
}, 240_000);

afterAll(async () => {
  await shutdown();
  other?.close();
  await hub?.close();
  cluster?.stop();
});

function wardId(core: Core): string {
  return core.db.prepare("SELECT id FROM locations WHERE name = 'Ward 4B'").pluck().get() as string;
}

describe('the Conflicts screen on a PC in a hub', () => {
  it('two PCs tag two devices DF-0100: the Conflicts screen does not say "No conflicts to look at." and names the clash', async () => {
    await ada('equipment.create', { assetTag: 'DF-0100', name: 'Defibrillator in 4B', locationId: wardId(app.backend.core) });
    inTransaction(other, (w) => createEquipment(w, ben, EquipmentFields.parse({ assetTag: 'DF-0100', name: 'Defibrillator in Emergency', locationId: wardId(other) })));
    await syncAll();
    expect((await ada('sync.status', {})).clashes).toBe(1);
    const { page } = app;
    await signIn(page, 'Ada Admin', '2468');
    await page.getByTestId('signed-in-user').waitFor();
    await nav(page).getByRole('link', { name: 'Conflicts', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Conflicts' }).waitFor();
    await page.waitForTimeout(1500);
    const main = (await page.locator('main').innerText()).replace(/\s+/g, ' ');
    // The supervisor's only way to learn which name two PCs gave at once, and what to do.
    expect({ saysNone: main.includes('No conflicts to look at.'), namesTag: main.includes('DF-0100') }).toEqual({ saysNone: false, namesTag: true });
    const names = page.getByRole('region', { name: 'Names made twice' });
    const clash = names.getByTestId('clash');
    expect((await clash.innerText()).replace(/\s+/g, ' ')).toContain('The asset tag DF-0100 is on 2 rows');
    // Each device a link to its page.
    expect(await clash.getByRole('link').count()).toBe(2);
    await clash.getByRole('link', { name: /Defibrillator in Emergency/ }).waitFor();
    await expectAccessible(page, 'conflicts screen with a name made twice');
    await screenshot(page, 'conflicts-names-made-twice');
    // The sync details point to it where they say "rename or retire one".
    await page.getByTestId('sync-status').click();
    const details = page.getByRole('dialog', { name: "Sync with the hospital's hub" });
    await details.getByText(/rename or retire one/).waitFor();
    await details.getByRole('link', { name: 'see which' }).click();
    await names.waitFor();
  });

  it('the page of either DF-0100 says another device in use has its tag, with a link to it; a device whose tag is its own says nothing of it', async () => {
    const { page } = app;
    const ids = (app.backend.core.db.prepare("SELECT id, name FROM equipment WHERE asset_tag = 'DF-0100' ORDER BY name").all() as { id: string; name: string }[]);
    expect(ids.map((d) => d.name)).toEqual(['Defibrillator in 4B', 'Defibrillator in Emergency']);
    await page.evaluate((id) => (window.location.hash = `#/equipment/${id}`), ids[0]!.id);
    await page.getByRole('heading', { level: 1, name: /Defibrillator in 4B/ }).waitFor();
    const note = page.getByTestId('tag-clash');
    await note.waitFor();
    expect((await note.innerText()).replace(/\s+/g, ' ')).toMatch(
      /^Another device in use has the tag DF-0100 \(given on another PC of the hospital\): a scan of it asks which device is meant\. Check that this is the device in front of you: DF-0100 Defibrillator in Emergency, .+ A supervisor gives one of them another tag \(Edit…\); the Conflicts screen lists every tag in this state\.$/,
    );
    // Only the other device is listed, as a link to its page.
    expect(await note.getByRole('link').allInnerTexts()).toEqual([expect.stringMatching(/^DF-0100 Defibrillator in Emergency, /)]);
    await expectAccessible(page, 'device page of a tag two PCs gave');
    await screenshot(page, 'device-tag-clash');
    await note.getByRole('link').click();
    await page.getByRole('heading', { level: 1, name: /Defibrillator in Emergency/ }).waitFor();
    await expect.poll(async () => note.getByRole('link').allInnerTexts(), { timeout: 5000 }).toEqual([expect.stringMatching(/^DF-0100 Defibrillator in 4B, /)]);
    // A scan of DF-0100 opens neither on a guess: it asks which device is in front of the person,
    // each with its place; the Enter that follows a scan picks nothing.
    await ada('plans.create', { equipmentId: ids[1]!.id, task: 'calibration', every: '1y', startDate: '2025-01-06' });
    await nav(page).getByRole('link', { name: 'Today', exact: true }).click();
    await page.getByRole('heading', { name: 'Today', exact: true }).waitFor();
    await scanKeys(page, 'DF-0100');
    const chooser = page.getByRole('dialog', { name: '2 devices in use have the tag DF-0100' });
    await chooser.waitFor();
    expect((await chooser.getByRole('list', { name: 'Devices with the tag DF-0100' }).getByRole('button').allInnerTexts()).map((t) => t.replace(/\s+/g, ' '))).toEqual([
      expect.stringMatching(/^DF-0100 Defibrillator in (4B|Emergency), .*Ward 4B$/),
      expect.stringMatching(/^DF-0100 Defibrillator in (4B|Emergency), .*Ward 4B$/),
    ]);
    await expect.poll(async () => (await focused(page)).testid, { timeout: 5000 }).toBe('same-tag-text');
    await page.keyboard.press('Enter');
    await page.waitForTimeout(300);
    expect({ chooser: await chooser.count(), today: await page.getByRole('heading', { name: 'Today', exact: true }).count() }).toEqual({ chooser: 1, today: 1 });
    await expectAccessible(page, 'the chooser after a scan of a tag two devices share');
    await screenshot(page, 'scan-same-tag-chooser');
    // Chosen by keyboard: the Emergency one opens, and its page's note still has the focus, not "Log work".
    await tabTo(page, (f) => f.tag === 'BUTTON' && f.text.includes('Defibrillator in Emergency'));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: /Defibrillator in Emergency/ }).waitFor();
    await page.getByRole('link', { name: 'Log work' }).waitFor();
    await expect.poll(async () => (await focused(page)).testid, { timeout: 5000 }).toBe('tag-clash');
    await page.keyboard.press('Enter');
    await page.waitForTimeout(300);
    expect(await page.getByRole('heading', { level: 1, name: /Defibrillator in Emergency/ }).count()).toBe(1);
    // Mid-record, the device chosen is opened only after the question every scan asks there, Stay first.
    await page.evaluate((id) => (window.location.hash = `#/log/${id}`), seeded.cleaningPlanId);
    await page.getByRole('heading', { level: 2, name: 'Cleaning' }).waitFor();
    await page.getByLabel('Method').fill('Spray and wipe');
    await page.getByRole('radio', { name: 'Pass' }).check();
    await page.getByRole('radio', { name: 'Pass' }).focus();
    await scanKeys(page, 'DF-0100');
    await chooser.waitFor();
    await tabTo(page, (f) => f.tag === 'BUTTON' && f.text.includes('Defibrillator in Emergency'));
    await page.keyboard.press('Enter');
    const question = page.getByRole('dialog', { name: 'Leave the unsaved cleaning of IP-0042 and open DF-0100 (Defibrillator in Emergency)?' });
    await question.waitFor();
    await expect.poll(async () => (await focused(page)).text).toBe('Stay');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    expect(await page.getByLabel('Method').inputValue()).toBe('Spray and wipe');
    // Scanned again and left: the chosen device's page.
    await scanKeys(page, 'DF-0100');
    await chooser.waitFor();
    await chooser.getByRole('button', { name: /Defibrillator in Emergency/ }).click();
    await question.getByRole('button', { name: 'Leave it and open DF-0100 (Defibrillator in Emergency)' }).click();
    await page.getByRole('heading', { level: 1, name: /Defibrillator in Emergency/ }).waitFor();
    // The tag typed whole in the equipment list's search asks the same; Escape leaves the list as it was.
    await nav(page).getByRole('link', { name: 'Equipment', exact: true }).click();
    const search = page.getByRole('searchbox').first();
    await search.fill('df-0100');
    await search.press('Enter');
    const again = page.getByRole('dialog', { name: '2 devices in use have the tag DF-0100' });
    await again.waitFor();
    await page.keyboard.press('Escape');
    await again.waitFor({ state: 'detached' });
    await page.getByRole('heading', { level: 1, name: 'Equipment' }).waitFor();
    // Nor is a stock location put on one of them on a guess: refused beside the tag, nothing added.
    await nav(page).getByRole('link', { name: 'Stock', exact: true }).click();
    await page.getByRole('navigation', { name: 'Stock' }).getByRole('link', { name: 'Stock locations' }).click();
    await page.getByRole('button', { name: 'Add stock location' }).click();
    const add = page.getByRole('form', { name: 'Add a stock location' });
    await add.getByLabel('Name').fill('Pads drawer');
    await add.getByLabel('Where it is').selectOption({ label: 'General Hospital > Ward 4B' });
    await add.getByLabel('Device it belongs to (asset tag, optional)').fill('df-0100');
    await add.getByRole('button', { name: 'Add stock location' }).click();
    await expectProblem(
      add,
      '2 devices in use have the asset tag DF-0100 (Defibrillator in 4B; Defibrillator in Emergency): a supervisor gives one of them another tag first (the Conflicts screen lists them).',
    );
    expect(app.backend.core.db.prepare("SELECT count(*) FROM stock_locations WHERE name = 'Pads drawer'").pluck().get()).toBe(0);
    await screenshot(page, 'stock-location-same-tag');
    // Nor is its sticker added to print: it would fit either device.
    await nav(page).getByRole('link', { name: 'Stickers', exact: true }).click();
    await page.getByRole('radio', { name: 'Devices I choose' }).check();
    const tagBox = page.getByLabel('Asset tag (type or scan)');
    await tagBox.fill('DF-0100');
    await tagBox.press('Enter');
    await page
      .getByRole('alert')
      .filter({
        hasText:
          '2 devices in use have the tag DF-0100 (Defibrillator in 4B; Defibrillator in Emergency), so its sticker would fit either: a supervisor gives one of them another tag first (the Conflicts screen lists them).',
      })
      .waitFor();
    expect(await page.getByRole('button', { name: /^Remove/ }).count()).toBe(0);
    await expectAccessible(page, 'stickers: a tag two devices share refused');
    await screenshot(page, 'stickers-same-tag');
    // Another device of the ward, its tag its own: no such note.
    const own = await ada('equipment.create', { assetTag: 'DF-0150', name: 'Defibrillator spare', locationId: wardId(app.backend.core) });
    await page.evaluate((id) => (window.location.hash = `#/equipment/${id}`), own.id);
    await page.getByRole('heading', { level: 1, name: /Defibrillator spare/ }).waitFor();
    await page.getByRole('heading', { name: 'Details' }).waitFor();
    expect(await page.getByTestId('tag-clash').count()).toBe(0);
  });

  it('a status clash says what each side changed in words (no raw field names or JSON), who and when in dd/MM/yyyy', async () => {
    const dev = await ada('equipment.create', { assetTag: 'DF-0200', name: 'Defibrillator', locationId: wardId(app.backend.core) });
    await syncAll();
    await ada('equipment.setStatus', { id: dev.id, status: 'retired', reason: 'Beyond repair' });
    await new Promise((r) => setTimeout(r, 30));
    inTransaction(other, (w) => setEquipmentStatus(w, ben, { id: dev.id, status: 'missing', reason: 'Not found on the ward' }));
    await syncAll();
    const { page } = app;
    await nav(page).getByRole('link', { name: 'Conflicts', exact: true }).click();
    const row = page.getByTestId('conflict-row').filter({ hasText: 'DF-0200' });
    await row.waitFor({ timeout: 30_000 });
    const text = (await row.innerText()).replace(/\s+/g, ' ');
    expect(text).toContain('Ben Boss');
    expect(text).toContain('Ada Admin');
    expect(text).toMatch(/\d{2}\/\d{2}\/\d{4}/);
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    // "status: Retired; reason for the status: Beyond repair; manual overrides: []" is not words.
    expect(text).not.toMatch(/\[\]|manual overrides|manual_/);
    expect(text).toContain('status: Retired; reason for the status: Beyond repair');
    expect(text).toContain('status: Missing; reason for the status: Not found on the ward');
    await screenshot(page, 'conflicts-status-clash');
  });

  it('keyboard only at 1366x768: axe-clean, Keep reached by Tab, confirmed, and the resolution shown with its date in dd/MM/yyyy', async () => {
    const { page } = app;
    await nav(page).getByRole('link', { name: 'Conflicts', exact: true }).click();
    const row = page.getByTestId('conflict-row').filter({ hasText: 'DF-0200' });
    await row.waitFor({ timeout: 30_000 });
    await expectAccessible(page, 'conflicts screen with a status clash');
    // Nothing runs off the right of a 1366 px window.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.locator('body').focus();
    await tabTo(page, (f) => f.tag === 'BUTTON' && f.text === 'Keep');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: /^Keep / });
    await dialog.waitFor();
    await expectAccessible(page, 'keep dialog');
    await tabTo(page, (f) => f.text === 'Keep it');
    await page.keyboard.press('Enter');
    await page.getByText(/Every PC follows at its next sync/).waitFor();
    // The row (and its button) is gone: the focus should land somewhere a keyboard user can go on from, not the document body.
    const focusAfter = await focused(page);
    await page.getByLabel('Show resolved ones too').check();
    const done = page.getByTestId('conflict-row').filter({ hasText: 'DF-0200' }).filter({ hasText: 'Kept' });
    await done.waitFor();
    const t = (await done.innerText()).replace(/\s+/g, ' ');
    expect(t).toMatch(/Kept \(Ada Admin, \d{2}\/\d{2}\/\d{4}/);
    // The resolution reaches the other PC.
    await syncAll();
    expect(other.db.prepare('SELECT count(*) FROM sync_conflicts WHERE resolved_at IS NULL').pluck().get()).toBe(0);
    expect(focusAfter.tag, 'focus after confirming "Keep it"').not.toBe('BODY');
    expect(focusAfter.testid).toBe('conflict-done');
  });

  it('"Use the other" on a warranty date: the sentence saying what was done writes the day in dd/MM/yyyy, as the row and the dialog do', async () => {
    // Apart: this PC sets the warranty to 31/01/2027, Emergency (later) to 28/02/2027.
    edit(app.backend.core, 'REF-7', { warrantyUntil: '2027-01-31' });
    await new Promise((r) => setTimeout(r, 30));
    edit(other, 'REF-7', { warrantyUntil: '2027-02-28' });
    await syncAll();
    const { page } = app;
    await nav(page).getByRole('link', { name: 'Conflicts', exact: true }).click();
    const conflict = page.getByTestId('conflict-row').filter({ hasText: 'REF-7' });
    await conflict.waitFor({ timeout: 30_000 });
    expect((await conflict.innerText()).replace(/\s+/g, ' ')).toContain('31/01/2027');
    // The sentence about the decision before (DF-0200 kept, the test above) is still on the screen...
    const done = page.getByTestId('conflict-done');
    expect(await done.innerText()).toContain('DF-0200');
    await conflict.getByRole('button', { name: /^Use the other value/ }).click();
    const dialog = page.getByRole('dialog', { name: /^Use / });
    await dialog.waitFor();
    // ...until another is asked: then it goes, so it is never read as this decision's (it was, while this one was saved).
    expect(await done.count()).toBe(0);
    expect(await dialog.innerText()).toContain('28/02/2027 to 31/01/2027');
    await dialog.getByRole('button', { name: 'Use the other value' }).click();
    await done.waitFor();
    const text = (await done.innerText()).replace(/\s+/g, ' ');
    expect(text).toContain('REF-7 Flow analyser: now 31/01/2027.');
    expect(text).not.toMatch(/\d{4}-\d\d-\d\d/);
  });

  it('"Keep" confirmed after Emergency renamed the device again is refused in the dialog; the row then says what stands now, offers only Keep, and Keep closes it', async () => {
    edit(app.backend.core, 'IP-0042', { name: 'Infusion pump, Alaris' });
    await new Promise((r) => setTimeout(r, 30));
    edit(other, 'IP-0042', { name: 'Infusion pump, Baxter' });
    await syncAll();
    const { page } = app;
    await nav(page).getByRole('link', { name: 'Conflicts', exact: true }).click();
    const row = page.getByTestId('conflict-row').filter({ hasText: 'Infusion pump, Alaris' });
    await row.waitFor({ timeout: 30_000 });
    await row.getByRole('button', { name: 'Keep Infusion pump, Baxter for IP-0042 Infusion pump, Baxter' }).click();
    const dialog = page.getByRole('dialog', { name: 'Keep Infusion pump, Baxter?' });
    await dialog.waitFor();
    // While the question is open, someone on Emergency's PC renames it again, and it arrives.
    edit(other, 'IP-0042', { name: 'Infusion pump, Baxter 2' });
    await syncAll();
    await row.getByTestId('conflict-changed-since').waitFor({ timeout: 30_000 });
    await dialog.getByRole('button', { name: 'Keep it' }).click();
    const refusal = dialog.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.innerText()).toBe('This has been changed again since the conflict: look at it as it is now and change it there if needed.');
    await expect.poll(async () => (await focused(page)).text).toContain('changed again since the conflict');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    // The row says what stands now; "Use the other" would undo that rename unseen, so it is not offered.
    expect((await row.innerText()).replace(/\s+/g, ' ')).toContain('Changed again since: now Infusion pump, Baxter 2.');
    expect(await row.getByRole('button', { name: /^Use the other/ }).count()).toBe(0);
    await expectAccessible(page, 'a conflict changed again since');
    await screenshot(page, 'conflicts-changed-again-since');
    await row.getByRole('button', { name: 'Keep Infusion pump, Baxter 2 for IP-0042 Infusion pump, Baxter 2' }).click();
    const again = page.getByRole('dialog', { name: 'Keep Infusion pump, Baxter 2?' });
    expect((await again.innerText()).replace(/\s+/g, ' ')).toContain(
      'was changed again since the conflict: Infusion pump, Baxter 2 is in force now, and stays.',
    );
    await again.getByRole('button', { name: 'Keep it' }).click();
    const done = page.getByTestId('conflict-done');
    await done.filter({ hasText: 'kept Infusion pump, Baxter 2. Every PC follows at its next sync.' }).waitFor();
    expect(await ada('equipment.findByTag', { tag: 'IP-0042' })).toMatchObject({ name: 'Infusion pump, Baxter 2' });
  });

  it('one conflict decided on both PCs apart: the row says both decisions and what stands, offers only Keep, and Keep by keyboard closes it', async () => {
    const dev = await ada('equipment.create', { assetTag: 'SP-0300', name: 'Syringe pump', locationId: wardId(app.backend.core) });
    await syncAll();
    edit(app.backend.core, 'SP-0300', { name: 'Syringe pump, Alaris' });
    await new Promise((r) => setTimeout(r, 30));
    edit(other, 'SP-0300', { name: 'Syringe pump, BD' });
    await syncAll();
    const [c] = listConflicts(app.backend.core).filter((x) => x.key[0] === dev.id);
    // Apart: here Ada uses the other value (Alaris); on Emergency, later, Ben keeps BD.
    await ada('sync.resolveConflict', { id: c!.id, choice: 'used_other', changedSince: null });
    await new Promise((r) => setTimeout(r, 30));
    inTransaction(other, (w) => resolveConflict(w, ben, { id: c!.id, choice: 'kept' }));
    await syncAll();
    await syncAll();
    const { page } = app;
    await nav(page).getByRole('link', { name: 'Conflicts', exact: true }).click();
    const row = page.getByTestId('conflict-row').filter({ hasText: 'The conflict about SP-0300' });
    await row.waitFor({ timeout: 30_000 });
    const text = (await row.innerText()).replace(/\s+/g, ' ');
    expect(text).toContain('Kept Syringe pump, BD');
    expect(text).toContain('Ben Boss');
    expect(text).toContain('Used the other value, Syringe pump, Alaris');
    expect(text).toContain('Ada Admin');
    expect(text).toContain('What stands now: Syringe pump, Alaris.');
    expect(text).toMatch(/\d{2}\/\d{2}\/\d{4}/);
    expect(text).not.toMatch(/sync_conflicts|used_other|resolved_at|\d{4}-\d{2}-\d{2}/);
    expect(await row.getByRole('button', { name: /^Use the other/ }).count()).toBe(0);
    await expectAccessible(page, 'two decisions of one conflict');
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    await screenshot(page, 'conflicts-two-decisions');
    await page.locator('body').focus();
    await tabTo(page, (f) => f.tag === 'BUTTON' && f.text === 'Keep');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Mark the two decisions as looked at?' });
    await dialog.waitFor();
    expect((await dialog.innerText()).replace(/\s+/g, ' ')).toContain('What stands now: Syringe pump, Alaris.');
    await tabTo(page, (f) => f.text === 'Keep it');
    await page.keyboard.press('Enter');
    const done = page.getByTestId('conflict-done');
    await done.filter({ hasText: 'marked as looked at. Every PC follows at its next sync.' }).waitFor();
    expect((await focused(page)).testid).toBe('conflict-done');
    expect(await ada('equipment.findByTag', { tag: 'SP-0300' })).toMatchObject({ name: 'Syringe pump, Alaris' });
  });

  it('"John Smith" added here and "Jоhn Smith" (a Cyrillic о) on Emergency: both screens say the names print alike, and which character tells each apart', async () => {
    const cyrillic = 'J\u043Ehn Smith';
    await ada('users.create', { name: 'John Smith', role: 'technician', homeLocationId: null, temporaryPin: '4826' });
    inTransaction(other, (w) => insertUser(w, ben, { name: cyrillic, role: 'technician', homeLocationId: null, pinHash: null, passwordHash: null, mustSetPin: true }));
    // And a ward each under the one site: Ward 9 here, Wаrd 9 (a Cyrillic а) on Emergency.
    const site = app.backend.core.db.prepare("SELECT id FROM locations WHERE name = 'General Hospital'").pluck().get() as string;
    await ada('locations.create', { name: 'Ward 9', parentId: site });
    inTransaction(other, (w) => createLocation(w, ben, { name: 'W\u0430rd 9', parentId: site }));
    await syncAll();
    const { page } = app;
    await nav(page).getByRole('link', { name: 'Conflicts', exact: true }).click();
    const clash = page.getByRole('region', { name: 'Names made twice' }).getByTestId('clash').filter({ hasText: 'The user names' });
    await clash.waitFor({ timeout: 30_000 });
    const lines = (await clash.innerText()).split('\n').map((l) => l.replace(/\s+/g, ' ').trim()).filter(Boolean);
    // In the order of the accounts' ids, as every PC lists them.
    const byId = app.backend.core.db.prepare('SELECT name FROM users WHERE name IN (?, ?) ORDER BY id').pluck().all('John Smith', cyrillic);
    const apart: Record<string, string> = { 'John Smith': 'holds “o” (U+006F, Latin)', [cyrillic]: 'holds “о” (U+043E, Cyrillic)' };
    expect(lines).toEqual([
      `The user names ${byId.join(' and ')} print alike, so their signatures cannot be told apart:`,
      ...byId.map((n) => `${String(n)} (technician): ${apart[String(n)]}`),
    ]);
    const wards = page.getByRole('region', { name: 'Names made twice' }).getByTestId('clash').filter({ hasText: 'location names' });
    const wardLines = (await wards.innerText()).split('\n').map((l) => l.replace(/\s+/g, ' ').trim()).filter(Boolean);
    const wardsById = app.backend.core.db.prepare("SELECT name FROM locations WHERE name IN ('Ward 9', 'W\u0430rd 9') ORDER BY id").pluck().all().map(String);
    const wardApart: Record<string, string> = { 'Ward 9': 'holds “a” (U+0061, Latin)', 'W\u0430rd 9': 'holds “а” (U+0430, Cyrillic)' };
    expect(wardLines).toEqual([
      `The location names ${wardsById.join(' and ')} print alike, so due lists, filters and stickers cannot tell them apart:`,
      ...wardsById.map((n) => `General Hospital > ${n}: ${wardApart[n]}`),
    ]);
    // An administrator's way to the Users screen, where the rename is made.
    expect(await clash.getByRole('link').count()).toBe(2);
    await expectAccessible(page, 'conflicts screen with user names that print alike');
    await clash.scrollIntoViewIfNeeded();
    await screenshot(page, 'conflicts-names-print-alike');
    await nav(page).getByRole('link', { name: 'Users', exact: true }).click();
    const notes = page.getByTestId('prints-like');
    await notes.first().waitFor();
    expect(await notes.allInnerTexts()).toHaveLength(2);
    const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: new RegExp(`^${cyrillic}`) }) });
    expect((await row.getByTestId('prints-like').innerText()).replace(/\s+/g, ' ')).toBe(
      "Prints like “John Smith”, another user's name; this one holds “о” (U+043E, Cyrillic). Rename one of them: a signature must never look like someone else's.",
    );
    await expectAccessible(page, 'users screen with names that print alike');
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    await row.scrollIntoViewIfNeeded();
    await screenshot(page, 'users-names-print-alike');
    // The sign-in list: the two say their wards beside their role, and the list says why.
    await page.getByRole('button', { name: 'Sign out' }).click();
    const names = page.getByRole('group', { name: 'Who are you?' });
    await names.getByTestId('names-alike').waitFor();
    expect(await names.getByTestId('names-alike').innerText()).toBe(
      'Some names here print alike: pick yours by its role and ward, and ask an administrator to rename one.',
    );
    expect(await names.getByRole('radio', { name: /^J.hn Smith/ }).count()).toBe(2);
    for (const radio of await names.getByRole('radio', { name: /^J.hn Smith/ }).all())
      expect((await radio.evaluate((el) => el.closest('label')?.innerText ?? '')).replace(/\s+/g, ' ')).toMatch(/^J[oо]hn Smith Technician, any ward$/);
    expect((await names.getByRole('radio', { name: /^Ada Admin/ }).evaluate((el) => el.closest('label')?.innerText ?? '')).replace(/\s+/g, ' ')).toBe('Ada Admin Administrator');
    await expectAccessible(page, 'sign-in list with names that print alike');
    await screenshot(page, 'sign-in-names-print-alike');
    // Typed, the name cannot say which account it means: said beside the box it was typed in, before any PIN is counted.
    await signIn(page, 'John Smith', '0000');
    const typed = page.getByLabel('Or type your name');
    const said = "More than one account has a name that prints like \"John Smith\": pick yours from the list, where each shows its ward.";
    await page.getByText(said).first().waitFor();
    expect(await typed.getAttribute('aria-invalid')).toBe('true');
    expect(await page.evaluate((id) => document.getElementById(id ?? '')?.innerText ?? '', await typed.getAttribute('aria-describedby'))).toContain(said);
    await screenshot(page, 'sign-in-typed-name-alike');
    await typed.fill('');
    await signIn(page, 'Ada Admin', '2468');
    await page.getByTestId('signed-in-user').waitFor();
  });

  it('places, categories and failure codes whose names print alike are said on their own screens, each with the character that tells it apart', async () => {
    const site = app.backend.core.db.prepare("SELECT id FROM locations WHERE name = 'General Hospital'").pluck().get() as string;
    await ada('locations.create', { name: 'Bay 3', parentId: site });
    inTransaction(other, (w) => createLocation(w, ben, { name: 'B\u0430y 3', parentId: site }));
    await ada('categories.create', { name: 'Scales', defaultRisk: null, notes: null });
    inTransaction(other, (w) => createCategory(w, ben, { name: 'S\u0441ales', defaultRisk: null, notes: null }));
    await ada('workOrders.codes.add', { kind: 'failure', label: 'Cracked casing' });
    inTransaction(other, (w) => addRepairCode(w, ben, { kind: 'failure', label: 'Cr\u0430cked casing' }));
    // IP-0001 here and ІР-0001 (a Cyrillic І and Р) on Emergency.
    const pump = await ada('equipment.create', { assetTag: 'IP-0001', name: 'Infusion pump', locationId: wardId(app.backend.core) });
    inTransaction(other, (w) => createEquipment(w, ben, EquipmentFields.parse({ assetTag: '\u0406\u0420-0001', name: 'Infusion pump', locationId: wardId(other) })));
    await syncAll();
    const { page } = app;
    // The device's page says its tag prints like the other's, and what tells the other apart.
    await page.evaluate((id) => (window.location.hash = `#/equipment/${id}`), pump.id);
    const note = page.getByTestId('tag-clash');
    await note.waitFor();
    expect((await note.innerText()).replace(/\s+/g, ' ')).toMatch(
      /^Its tag IP-0001 prints like the tag of another device in use, so stickers, lists and prints cannot tell them apart \(a scan can\): \u0406\u0420-0001 Infusion pump, .+: holds “І” \(U\+0406, Cyrillic\), “Р” \(U\+0420, Cyrillic\) A supervisor gives one of them another tag/,
    );
    await expectAccessible(page, 'device page of a tag printing like another');
    await screenshot(page, 'device-tag-prints-alike');
    await nav(page).getByRole('link', { name: 'Locations', exact: true }).click();
    const alike = page.getByRole('region', { name: 'Places whose names print alike' });
    await alike.waitFor();
    // Ward 9 and Wаrd 9 from the test before, and the two bays: each a button that shows the place.
    const flagged = locationTree(app.backend.core).flatMap(function walk(n): string[] {
      return [...(n.printsLike ? [n.path] : []), ...n.children.flatMap(walk)];
    });
    expect(flagged.filter((path) => path.endsWith('y 3'))).toEqual(['General Hospital > Bay 3', 'General Hospital > B\u0430y 3']);
    expect(await alike.getByRole('button').allInnerTexts()).toEqual(flagged);
    await tabTo(page, (f) => f.text === 'General Hospital > B\u0430y 3');
    await page.keyboard.press('Enter');
    const selected = page.getByRole('region', { name: 'B\u0430y 3' });
    expect((await selected.getByTestId('prints-like').innerText()).replace(/\s+/g, ' ')).toBe(
      'Prints like “Bay 3”, another place in General Hospital; this one holds “а” (U+0430, Cyrillic). Rename one of them: due lists, filters and stickers must tell places apart.',
    );
    await expectAccessible(page, 'locations screen with places that print alike');
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    await screenshot(page, 'locations-names-print-alike');
    await nav(page).getByRole('link', { name: 'Categories', exact: true }).click();
    const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: /^S\u0441ales/ }) });
    await row.waitFor();
    expect((await row.getByTestId('prints-like').innerText()).replace(/\s+/g, ' ')).toBe(
      "Prints like “Scales”, another category's name; this one holds “с” (U+0441, Cyrillic). Rename one of them, or take one out of use: device lists and filters must tell categories apart.",
    );
    expect(await page.getByTestId('prints-like').count()).toBe(2);
    await expectAccessible(page, 'categories screen with names that print alike');
    await screenshot(page, 'categories-names-print-alike');
    await nav(page).getByRole('link', { name: 'Tasks and codes', exact: true }).click();
    const code = page.getByRole('table', { name: 'Failure codes (what failed)' }).getByRole('row').filter({ has: page.getByRole('rowheader', { name: /^Cr\u0430cked casing/ }) });
    await code.waitFor();
    expect((await code.getByTestId('prints-like').innerText()).replace(/\s+/g, ' ')).toBe(
      'Prints like “Cracked casing”, another failure code; this one holds “а” (U+0430, Cyrillic). Delete one of them: the repair form and the failure report must tell codes apart.',
    );
    await expectAccessible(page, 'failure codes with labels that print alike');
    await code.scrollIntoViewIfNeeded();
    await screenshot(page, 'codes-names-print-alike');
    // Renamed here, the bay is no longer said on either screen's list once synced.
    const bay = app.backend.core.db.prepare("SELECT id FROM locations WHERE name = 'Bay 3'").pluck().get() as string;
    await ada('locations.rename', { id: bay, name: 'Bay 3 North' });
    await syncAll();
    await nav(page).getByRole('link', { name: 'Locations', exact: true }).click();
    await page.getByRole('tree', { name: 'Locations' }).waitFor();
    expect(await page.getByRole('region', { name: 'Places whose names print alike' }).getByRole('button').allInnerTexts()).not.toContain('General Hospital > B\u0430y 3');
  });
});

/** An edit of a device on one PC, as its edit form makes it (the rest of the device as that PC holds it). */
function edit(core: Core, tag: string, change: { name?: string; warrantyUntil?: string }) {
  const id = core.db.prepare('SELECT id FROM equipment WHERE asset_tag = ?').pluck().get(tag) as string;
  const fields = EquipmentFields.parse({ ...equipmentExpected(getEquipment(core, id)), ...change });
  inTransaction(core, (w) => updateEquipment(w, ben, { ...fields, id }));
}
