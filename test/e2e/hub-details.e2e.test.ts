import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor, Core } from '../../main/core/context';
import { inTransaction } from '../../main/core/dispatcher/transaction';
import { setEquipmentStatus } from '../../main/core/equipment/service';
import { openCore } from '../../main/core/open-core';
import { enrolPc, SyncClient, transportFor } from '../../main/core/sync/engine';
import { createEnrolCode } from '../../main/hub/pcs';
import type { RunningHub } from '../../main/hub/server';
import { startHub } from '../../main/hub/server';
import { newSession } from '../../main/core/session';
import { tempDir } from '../helpers/core';
import type { Cluster } from '../helpers/pg';
import { startCluster } from '../helpers/pg';
import { expectAccessible, screenshot } from './axe';
import type { LaunchedApp } from './harness';
import { launchApp, shutdown } from './harness';
import { caller, seedWard } from './seed';
import { expectProblem, focused, nav, signIn, tabTo } from './steps';
import { onDemandSync } from './sync-port';

let cluster: Cluster;
let databaseUrl: string;

beforeAll(async () => {
  cluster = await startCluster();
  const admin = new pg.Client({ connectionString: `${cluster.baseUrl}postgres` });
  await admin.connect();
  await admin.query('CREATE DATABASE hubdetails');
  await admin.end();
  databaseUrl = `${cluster.baseUrl}hubdetails`;
});

afterAll(async () => {
  await shutdown();
  cluster?.stop();
});

describe('the hub screens, in Chromium', () => {
  it('an address nothing answers at: refused beside the field and in the summary, by keyboard (Enter); the summary link goes to the field', async () => {
    const dir = tempDir();
    await seedWard(dir);
    const app = await launchApp({ dataDir: dir });
    const { page } = app;
    await signIn(page, 'Ada Admin', '2468');
    await page.getByTestId('signed-in-user').waitFor();
    await nav(page).getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByRole('heading', { name: 'Hospital hub' }).waitFor();
    await page.getByLabel('Hub address').fill('https://127.0.0.1:9');
    await page.getByLabel('Hub address').press('Enter');
    const summary = page.getByTestId('error-summary');
    await summary.waitFor({ timeout: 60_000 });
    const link = summary.getByRole('link').first();
    const message = (await link.innerText()).trim();
    expect(message).toMatch(/cannot be reached/);
    await expectProblem(page, message);
    await expectAccessible(page, 'hub address refused');
    await link.press('Enter');
    expect((await focused(page)).name).toBe('hub');
    await app.close();
  });

  it('the sync details list the PCs the hub knows in the date format set; reopened with the hub gone, the list is asked for again: the hub cannot be reached, the old list marked as of when it was read', async () => {
    const hub: RunningHub = await startHub({ databaseUrl, host: '127.0.0.1', port: 0, tlsDir: null, log: () => undefined });
    const dir = tempDir();
    await seedWard(dir);
    const sync = onDemandSync();
    const app = await launchApp({ dataDir: dir, ports: { sync: sync.port }, viewport: { width: 1366, height: 768 } });
    sync.attach(app.backend);
    const { page } = app;
    const call = caller(app.backend, newSession(Date.now()));
    await call('auth.signIn', { name: 'Ada Admin', secret: '2468' });
    await call('settings.update', { dateFormat: 'dd/MM/yyyy' });
    const { code } = await createEnrolCode(hub.pool, 'Ward 4B PC');
    await call('sync.join', { hub: hub.url, code, fingerprint: hub.tls.fingerprint, fingerprintChecked: true });
    await sync.settled();
    await signIn(page, 'Ada Admin', '2468');
    const header = page.getByTestId('sync-status');
    await header.waitFor({ timeout: 60_000 });
    await header.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: "Sync with the hospital's hub" });
    const pcs = dialog.getByRole('region', { name: 'PCs the hub knows' });
    const table = pcs.getByRole('table', { name: 'PCs the hub knows' });
    await table.waitFor({ timeout: 30_000 });
    const rows = await table.getByRole('row').allInnerTexts();
    expect(rows[1]).toMatch(/Ward 4B PC \(this PC\)\s+\d\d\/\d\d\/\d{4} \d\d:\d\d/);
    // Read just now: no "as of" line, no refusal.
    expect(await pcs.getByTestId('hub-pcs-as-of').count()).toBe(0);
    expect(await pcs.getByRole('alert').count()).toBe(0);
    await expectAccessible(page, 'sync details with the PC list');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect((await focused(page)).testid).toBe('sync-status');

    await hub.close();
    await header.click();
    await pcs.getByRole('alert').filter({ hasText: 'cannot be reached' }).waitFor({ timeout: 30_000 });
    expect(await pcs.getByTestId('hub-pcs-as-of').innerText()).toMatch(
      /^As the hub listed them at \d\d\/\d\d\/\d{4} \d\d:\d\d: it may know more, or fewer, now\.$/,
    );
    expect(await table.getByRole('row').count()).toBe(2);
    await expectAccessible(page, 'sync details, the hub gone');
    await page.screenshot({ path: '/tmp/fix-screens/hub-details-offline.png' });
    await app.close();
  });

  it('at 1366 × 768 on a hub PC the top bar stays one line with a long name: every button whole and in the window, the full name on hover', async () => {
    const hub: RunningHub = await startHub({ databaseUrl, host: '127.0.0.1', port: 0, tlsDir: null, log: () => undefined });
    const dir = tempDir();
    await seedWard(dir);
    const sync = onDemandSync();
    const app = await launchApp({ dataDir: dir, ports: { sync: sync.port }, viewport: { width: 1366, height: 768 } });
    sync.attach(app.backend);
    const { page } = app;
    const call = caller(app.backend, newSession(Date.now()));
    await call('auth.signIn', { name: 'Ada Admin', secret: '2468' });
    const longName = 'Alexandra Montgomery-Fitzwilliam Okonkwo-Henderson';
    const ada = (await call('users.list', {})).find((u) => u.name === 'Ada Admin')!;
    await call('users.update', { id: ada.id, name: longName, role: 'admin', homeLocationId: ada.homeLocationId });
    const { code } = await createEnrolCode(hub.pool, 'Ward 5A PC');
    await call('sync.join', { hub: hub.url, code, fingerprint: hub.tls.fingerprint, fingerprintChecked: true });
    await sync.settled();
    await signIn(page, longName, '2468');
    await page.getByTestId('sync-status').waitFor({ timeout: 60_000 });
    const bar = page.locator('header.topbar');
    await page.screenshot({ path: 'test-results/screens/top-bar-long-name-hub.png' });
    const box = (await bar.boundingBox())!;
    // One line: the height of the buttons and their padding, not two lines of text.
    expect(box.height).toBeLessThan(56);
    for (const name of ['Change PIN…', 'Switch user', 'Sign out']) {
      const b = (await bar.getByRole('button', { name }).boundingBox())!;
      expect(b.x + b.width, name).toBeLessThanOrEqual(1366);
      expect(b.height, name).toBeLessThan(44);
    }
    const who = page.getByTestId('signed-in-user');
    // Name over role: two short lines, the name cut short, its whole self in the title and to a screen reader.
    expect((await who.boundingBox())!.height).toBeLessThan(48);
    expect(await who.textContent()).toBe(`${longName} · Administrator`);
    expect(await who.getAttribute('title')).toBe(`${longName} · Administrator`);
    await app.close();
    await hub.close();
  });
});

describe('joining by keyboard at 1366x768, then Today\'s line of changes from other PCs', () => {
  let hub: RunningHub;
  let app: LaunchedApp;
  let sync: ReturnType<typeof onDemandSync>;
  let other: (Core & { close(): void }) | null = null;
  let ada: ReturnType<typeof caller>;
  const ben: Actor = { userId: null, name: 'Ben Boss', role: 'supervisor', via: 'app' };

  beforeAll(async () => {
    // A hospital of its own: the PCs of the tests above are not in it.
    const admin = new pg.Client({ connectionString: `${cluster.baseUrl}postgres` });
    await admin.connect();
    await admin.query('CREATE DATABASE hubjoinkeys');
    await admin.end();
    hub = await startHub({ databaseUrl: `${cluster.baseUrl}hubjoinkeys`, host: '127.0.0.1', port: 0, tlsDir: null, log: () => undefined });
    const dir = tempDir();
    await seedWard(dir);
    sync = onDemandSync();
    app = await launchApp({ dataDir: dir, ports: { sync: sync.port }, viewport: { width: 1366, height: 768 } });
    sync.attach(app.backend);
    ada = caller(app.backend, newSession(Date.now()));
    await ada('auth.signIn', { name: 'Ada Admin', secret: '2468' });
  }, 240_000);

  afterAll(async () => {
    await app?.close();
    other?.close();
    await hub?.close();
  });

  it('joins by keyboard: address, Enter; the fingerprint read and ticked; the code typed, Enter; axe-clean at each step', async () => {
    const { page } = app;
    await signIn(page, 'Ada Admin', '2468');
    await page.getByTestId('signed-in-user').waitFor();
    await nav(page).getByRole('link', { name: 'Settings', exact: true }).click();
    const address = page.getByLabel('Hub address');
    await address.waitFor();
    await address.focus();
    await page.keyboard.type(hub.url);
    await page.keyboard.press('Enter');
    const fp = page.getByTestId('hub-fingerprint');
    await fp.waitFor({ timeout: 30_000 });
    expect((await fp.innerText()).trim()).toBe(hub.tls.fingerprint);
    await expectAccessible(page, 'the hub fingerprint to compare');
    await screenshot(page, 'hub-join-fingerprint');
    // The focus is on the fingerprint: Tab reaches the box, Space ticks it, Tab reaches the code.
    expect((await focused(page)).testid).toBe('hub-fingerprint');
    await tabTo(page, (f) => f.tag === 'INPUT' && f.name === 'fingerprintChecked');
    await page.keyboard.press('Space');
    await tabTo(page, (f) => f.tag === 'INPUT' && f.name === 'code');
    const { code } = await createEnrolCode(hub.pool, 'Ward 4B PC');
    await page.keyboard.type(code);
    await page.keyboard.press('Enter');
    await page.getByText('This PC at the hub').waitFor({ timeout: 60_000 });
    await sync.settled();
    await page.getByTestId('sync-status').filter({ hasText: /^Synced/ }).waitFor({ timeout: 60_000 });
    await expectAccessible(page, 'Settings, joined');
    // Nothing runs off the right of a 1366 px window.
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    // What the download brought is not news on Today.
    expect((await ada('sync.changes', {})).count).toBe(0);
  });

  it('Seen, pressed by keyboard, leaves the focus on "Marked as seen." (the line and its button are gone), not on the page\'s body', async () => {
    // Emergency's PC joins, and takes Ward 4B's pump out of service.
    other = openCore({ dataDir: tempDir() });
    const codeB = (await createEnrolCode(hub.pool, 'Emergency PC')).code;
    await enrolPc(other, hub.url, codeB, { expectFingerprint: hub.tls.fingerprint });
    const otherClient = new SyncClient(other, transportFor(other));
    await otherClient.syncOnce();
    const pump = other.db.prepare("SELECT id FROM equipment WHERE asset_tag = 'IP-0042'").pluck().get() as string;
    inTransaction(other, (w) => setEquipmentStatus(w, ben, { id: pump, status: 'out_of_service', reason: 'Cracked housing' }));
    await otherClient.syncOnce();
    await sync.once();
    expect((await ada('sync.changes', {})).count).toBe(1);

    const { page } = app;
    await nav(page).getByRole('link', { name: 'Today', exact: true }).click();
    const line = page.getByTestId('remote-changes');
    await line.waitFor({ timeout: 30_000 });
    expect((await line.innerText()).replace(/\s+/g, ' ')).toContain('1 change from other PCs: IP-0042 is now out of service');
    await expectAccessible(page, "Today with other PCs' changes");
    await screenshot(page, 'today-remote-changes');
    await page.locator('body').focus();
    await tabTo(page, (f) => f.tag === 'BUTTON' && f.text === 'Seen');
    await page.keyboard.press('Enter');
    await line.waitFor({ state: 'detached' });
    await expect.poll(async () => (await focused(page)).testid).toBe('remote-changes-seen');
    expect((await focused(page)).text).toBe('Marked as seen.');
    await expectAccessible(page, 'Today, changes marked as seen');
    expect((await ada('sync.changes', {})).count).toBe(0);
  });
});
