import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEnrolCode } from '../../main/hub/pcs';
import type { RunningHub } from '../../main/hub/server';
import { startHub } from '../../main/hub/server';
import { newSession } from '../../main/core/session';
import { tempDir } from '../helpers/core';
import type { Cluster } from '../helpers/pg';
import { startCluster } from '../helpers/pg';
import { expectAccessible, screenshot } from './axe';
import { launchApp, shutdown } from './harness';
import { caller, seedWard } from './seed';
import { expectNoPageProblems, nav, signIn } from './steps';
import { onDemandSync } from './sync-port';

/**
 * What a PC in a hub says when things are not well: the hub out of reach for a while (since when,
 * and what waits), a clock hours off (a warning, syncing goes on), a download under way (a
 * progress bar), and leaving the hub by keyboard. The real UI in Chromium, a real hub on PostgreSQL.
 */

let cluster: Cluster;
let databaseUrl: string;

beforeAll(async () => {
  cluster = await startCluster();
  const admin = new pg.Client({ connectionString: `${cluster.baseUrl}postgres` });
  await admin.connect();
  await admin.query('CREATE DATABASE hospital');
  await admin.end();
  databaseUrl = `${cluster.baseUrl}hospital`;
});

afterAll(async () => {
  await shutdown();
  cluster?.stop();
});

describe('a PC in a hub when things are not well, in Chromium', () => {
  it('says since when the hub is out of reach and what waits, warns of a clock hours slow, shows a download under way, and leaves by keyboard', async () => {
    let hub: RunningHub | null = await startHub({ databaseUrl, host: '127.0.0.1', port: 0, tlsDir: null, log: () => undefined });
    const dir = tempDir();
    await seedWard(dir);
    // This PC's clock is three hours slow.
    const slow = { now: () => new Date(Date.now() - 3 * 3_600_000) };
    const sync = onDemandSync();
    const app = await launchApp({ dataDir: dir, clock: slow, ports: { sync: sync.port } });
    sync.attach(app.backend);
    const { page } = app;
    const session = newSession(slow.now().getTime());
    const call = caller(app.backend, session);
    await call('auth.signIn', { name: 'Ada Admin', secret: '2468' });
    const { code } = await createEnrolCode(hub.pool, 'Ward 4B PC');
    await call('sync.join', { hub: hub.url, code, fingerprint: hub.tls.fingerprint, fingerprintChecked: true });
    await sync.settled();

    await signIn(page, 'Ada Admin', '2468');
    const header = page.getByTestId('sync-status');
    // Syncing goes on; the header warns of the clock.
    await header.filter({ hasText: /^Synced .* · clock 3 hours slow$/ }).waitFor({ timeout: 60_000 });

    // The hub goes away; a change made here waits.
    await hub.close();
    hub = null;
    const ward = (await call('locations.list', {})).find((l) => l.name === 'Ward 4B')!;
    await call('locations.create', { name: 'Bay 9', parentId: ward.id });
    await expect(sync.once()).rejects.toThrow(/cannot be reached/);
    await header
      .filter({ hasText: /^Offline since (\S+ )?\d\d:\d\d with \d+ changes? waiting to send · clock 3 hours slow$/ })
      .waitFor({ timeout: 60_000 });
    await header.click();
    const details = page.getByRole('dialog', { name: "Sync with the hospital's hub" });
    await details
      .getByText(/The hub at https:\/\/127\.0\.0\.1:\d+ cannot be reached/)
      .first()
      .waitFor();
    expect(await details.getByTestId('sync-details').textContent()).toMatch(/Waiting to send\d+ changes?/);
    await expectAccessible(page, 'the sync details, offline');
    await screenshot(page, 'hospital-offline-details');
    await details.getByRole('button', { name: 'Close' }).click();

    // A download of the hospital under way, as the engine records it page by page once the hub answers again
    // (its check-in clears what said the hub could not be reached).
    app.backend.core.db.exec("DELETE FROM sync_state WHERE key IN ('offline_since', 'last_error', 'last_error_at', 'last_error_kind')");
    app.backend.core.db.prepare("UPDATE sync_state SET value = ? WHERE key = 'joined'").run('0');
    app.backend.core.db
      .prepare("INSERT INTO sync_state (key, value) VALUES ('join', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
      .run(JSON.stringify({ phase: 'download', cursor: '', table: 3, after: null, done: 12_000, total: 48_000 }));
    await header.filter({ hasText: /^Joining the hub: 25%/ }).waitFor({ timeout: 60_000 });
    await nav(page).getByRole('link', { name: 'Settings', exact: true }).click();
    const progress = page.getByTestId('join-progress');
    await progress.getByText('Downloading the hospital: 12,000 of 48,000 rows (25%)').waitFor();
    expect(await progress.getByRole('progressbar').getAttribute('value')).toBe('25');
    await progress.scrollIntoViewIfNeeded();
    await expectAccessible(page, 'Settings, a download under way');
    await screenshot(page, 'hospital-joining');

    // Leaving, by keyboard: the dialog says what waits; the focus starts on Cancel.
    await page.getByRole('button', { name: 'Leave the hub…' }).focus();
    await page.keyboard.press('Enter');
    const confirm = page.getByRole('dialog', { name: "Leave the hospital's hub?" });
    await confirm.getByText(/^\d+ changes? made here (has|have) not reached the hub$/).waitFor();
    // As docs/sync.md "Leaving" says: a new code joins it again only once the PC is revoked at the hub.
    expect((await confirm.innerText()).replace(/\s+/g, ' ')).toContain(
      'Joining again later takes a new code, once an administrator has revoked this PC at the hub (wardkeep hub revoke --pc "Ward 4B PC"): until then the hub refuses the code.',
    );
    await expectAccessible(page, 'leaving the hub');
    await screenshot(page, 'hospital-leave');
    const focused = () => page.evaluate(() => document.activeElement?.textContent ?? null);
    await expect.poll(focused).toBe('Cancel');
    await page.keyboard.press('Shift+Tab');
    expect(await focused()).toBe('Leave the hub');
    await page.keyboard.press('Enter');
    await page
      .getByText('This PC has left the hub. It keeps all its data and works on its own.')
      .waitFor()
      .catch(async (err: unknown) => {
        // Say what the screen showed instead, so a failure names its cause.
        const dialog = await page.getByRole('dialog').allTextContents();
        throw new Error(`Leaving did not finish: the dialog says ${JSON.stringify(dialog)}; sync.status is ${JSON.stringify(await call('sync.status', {}))}. ${String(err)}`);
      });
    await header.waitFor({ state: 'detached' });
    expect((await call('sync.status', {})).state).toBe('not_enrolled');
    // The word that leaving worked stays once the screen shows the PC in no hub (it used to vanish with the joined view).
    await page.getByLabel('Hub address').waitFor();
    expect(await page.getByText('This PC has left the hub. It keeps all its data and works on its own.').isVisible()).toBe(true);
    expect((await call('locations.list', {})).some((l) => l.name === 'Bay 9')).toBe(true);
    // Joining again starts from the address.
    await page.getByLabel('Hub address').waitFor();
    expectNoPageProblems(app);
    await app.close();
  });
});
