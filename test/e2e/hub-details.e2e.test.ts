import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEnrolCode } from '../../main/hub/pcs';
import type { RunningHub } from '../../main/hub/server';
import { startHub } from '../../main/hub/server';
import { newSession } from '../../main/core/session';
import { tempDir } from '../helpers/core';
import type { Cluster } from '../helpers/pg';
import { startCluster } from '../helpers/pg';
import { expectAccessible } from './axe';
import { launchApp, shutdown } from './harness';
import { caller, seedWard } from './seed';
import { expectProblem, focused, nav, signIn } from './steps';
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
