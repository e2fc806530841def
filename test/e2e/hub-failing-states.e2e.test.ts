import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncClient, transportFor } from '../../main/core/sync/engine';
import { createEnrolCode, revokePc } from '../../main/hub/pcs';
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
import { expectNoPageProblems, nav, signIn } from './steps';
import { onDemandSync } from './sync-port';

/**
 * The header and Settings → Hospital hub in the states a reviewer found them lying in, read in
 * Chromium at 1366 × 768 against a real hub on a throwaway PostgreSQL cluster: ward staff see
 * where the PC stands; the hub out of reach is "Offline since …"; a server at the hub's address
 * with another certificate is a failed sync, not "offline"; a revoked PC's date is in the Settings
 * format with one instruction; a new PC that cannot reach its hub says so, not "Joining…" for ever.
 */

let cluster: Cluster;
let hub: RunningHub | null = null;
let impostor: RunningHub | null = null;
let app: LaunchedApp | null = null;
let call: ReturnType<typeof caller>;
let sync: ReturnType<typeof onDemandSync>;
let hubDb: string;
let port: number;

const startRealHub = async (p: number) => startHub({ databaseUrl: hubDb, host: '127.0.0.1', port: p, tlsDir: null, log: () => undefined });

beforeAll(async () => {
  cluster = await startCluster();
  const admin = new pg.Client({ connectionString: `${cluster.baseUrl}postgres` });
  await admin.connect();
  await admin.query('CREATE DATABASE failstates');
  await admin.query('CREATE DATABASE impostor');
  await admin.end();
  hubDb = `${cluster.baseUrl}failstates`;
  hub = await startRealHub(0);
  port = Number(new URL(hub.url).port);
  const dir = tempDir();
  await seedWard(dir);
  sync = onDemandSync();
  app = await launchApp({ dataDir: dir, ports: { sync: sync.port }, viewport: { width: 1366, height: 768 } });
  sync.attach(app.backend);
  call = caller(app.backend, newSession(Date.now()));
  await call('auth.signIn', { name: 'Ada Admin', secret: '2468' });
  await call('settings.update', { dateFormat: 'dd/MM/yyyy' });
  await call('users.create', { name: 'Nia Nurse', role: 'ward_staff', temporaryPin: '7391' });
  const nia = caller(app.backend, newSession(Date.now()));
  await nia('auth.signIn', { name: 'Nia Nurse', secret: '7391' });
  await nia('auth.setOwnPin', { currentSecret: '7391', newPin: '8264' });
  const { code } = await createEnrolCode(hub.pool, 'Ward 4B PC');
  await call('sync.join', { hub: hub.url, code, fingerprint: hub.tls.fingerprint, fingerprintChecked: true });
  await sync.settled();
});

afterAll(async () => {
  await app?.close().catch(() => undefined);
  await shutdown();
  await impostor?.close();
  await hub?.close();
  cluster?.stop();
});

const hubPanel = () => app!.page.getByRole('region', { name: 'Hospital hub' });

async function openSettings(): Promise<void> {
  await nav(app!.page).getByRole('link', { name: 'Settings', exact: true }).click();
  await hubPanel().waitFor();
  await hubPanel().scrollIntoViewIfNeeded();
}

describe('the hub screens in the states they used to get wrong, in Chromium', () => {
  it('ward staff see where the PC stands in the header, and its details without the refused rows', async () => {
    const page = app!.page;
    await signIn(page, 'Nia Nurse', '8264');
    await page.getByTestId('signed-in-user').filter({ hasText: 'Nia Nurse' }).waitFor();
    await page.getByRole('heading', { level: 1, name: 'Today' }).waitFor();
    const header = page.getByTestId('sync-status');
    await header.filter({ hasText: /^Synced/ }).waitFor({ timeout: 15_000 });
    await header.click();
    const details = page.getByRole('dialog', { name: "Sync with the hospital's hub" });
    await details.getByTestId('sync-details').waitFor();
    // Administrators' list of PCs is not theirs.
    expect(await details.getByRole('table', { name: 'PCs the hub knows' }).count()).toBe(0);
    await expectAccessible(page, 'the sync details, ward staff');
    await screenshot(page, 'hub-ward-staff-details');
    await details.getByRole('button', { name: 'Close' }).click();
    await page.keyboard.press('Control+l');
    await page.getByRole('heading', { name: 'Screen locked' }).waitFor();
    await signIn(page, 'Ada Admin', '2468');
    await page.getByTestId('signed-in-user').filter({ hasText: 'Ada Admin' }).waitFor();
  });

  it('the PCs the hub knows: their last contact with the hub, so named', async () => {
    const page = app!.page;
    await page.getByTestId('sync-status').click();
    const details = page.getByRole('dialog', { name: "Sync with the hospital's hub" });
    const table = details.getByRole('table', { name: 'PCs the hub knows' });
    await table.waitFor({ timeout: 30_000 });
    expect(await table.getByRole('columnheader').allInnerTexts()).toEqual(['PC', 'Last contact', 'Joined', 'State']);
    await details.getByRole('button', { name: 'Close' }).click();
  });

  it('what the hub refused: the count and the newest, with its reason, in the details', async () => {
    const page = app!.page;
    app!.backend.core.db
      .prepare(
        "INSERT INTO sync_quarantine (replica, seq, tbl, pk, op, data, reason, reported_at) VALUES ('r', 1, 'plans', '[\"p1\"]', 'update', '{}', 'a start date 2026-02-30 is not a calendar day', '2026-11-30T10:00:00.000Z')",
      )
      .run();
    await page.getByTestId('sync-status').click();
    const details = page.getByRole('dialog', { name: "Sync with the hospital's hub" });
    const refused = details.getByTestId('sync-refused');
    await refused.getByText('1 change').waitFor({ timeout: 15_000 });
    expect((await refused.innerText()).replace(/\s+/g, ' ')).toMatch(/^1 change plans \d\d\/\d\d\/2026 \d\d:\d\d: a start date 2026-02-30 is not a calendar day Their rows: wardkeep sync status$/);
    await details.getByRole('button', { name: 'Close' }).click();
    app!.backend.core.db.exec('DELETE FROM sync_quarantine');
  });

  it('the hub out of reach: "Offline since …" in the header, the reason in Settings', async () => {
    const page = app!.page;
    await hub!.close();
    hub = null;
    await expect(sync.once()).rejects.toThrow(/cannot be reached/);
    await page.getByTestId('sync-status').filter({ hasText: /^Offline since \d\d:\d\d( with \d+ changes? waiting to send)?$/ }).waitFor({ timeout: 30_000 });
    await openSettings();
    await hubPanel().getByText(/The hub at https:\/\/127\.0\.0\.1:\d+ cannot be reached/).waitFor();
    await expectAccessible(page, 'Settings, the hub out of reach');
    await screenshot(page, 'hub-offline-settings');
    // No conflicts is only known as of the last sync, and the Conflicts screen says so, in dd/MM/yyyy.
    await nav(page).getByRole('link', { name: 'Conflicts', exact: true }).click();
    await page.getByText(/^No conflicts to look at as of the last sync, \d\d\/\d\d\/\d{4} \d\d:\d\d\.$/).waitFor({ timeout: 15_000 });
    await openSettings();
  });

  it('another server at the hub\'s address with another certificate: "Sync failed", not "Offline since …"; the real hub back: synced', async () => {
    const page = app!.page;
    impostor = await startHub({ databaseUrl: `${cluster.baseUrl}impostor`, host: '127.0.0.1', port, tlsDir: null, log: () => undefined });
    await expect(sync.once()).rejects.toThrow(/certificate/);
    const header = page.getByTestId('sync-status');
    await header.filter({ hasText: /^Sync failed at \d\d:\d\d( with \d+ changes? waiting to send)?$/ }).waitFor({ timeout: 30_000 });
    const banner = hubPanel().getByRole('alert');
    await banner.filter({ hasText: /certificate/ }).waitFor();
    expect(await hubPanel().innerText()).not.toMatch(/cannot be reached|Offline/);
    await expectAccessible(page, 'Settings, another certificate at the hub address');
    await screenshot(page, 'hub-other-certificate-settings');

    await impostor.close();
    impostor = null;
    hub = await startRealHub(port);
    await sync.once();
    await header.filter({ hasText: /^Synced/ }).waitFor({ timeout: 30_000 });
    expect(await hubPanel().getByRole('alert').count()).toBe(0);
  });

  it('a PC revoked at the hub: the date in the Settings format, "keeps its data" once and one instruction, in Settings and the details', async () => {
    const page = app!.page;
    await revokePc(hub!.pool, 'Ward 4B PC');
    await expect(sync.once()).rejects.toThrow(/revoked/);
    const header = page.getByTestId('sync-status');
    await header.filter({ hasText: 'Removed from the hub: not syncing' }).waitFor({ timeout: 30_000 });
    const banner = hubPanel().getByText('The hub has removed this PC.').locator('..');
    await banner.waitFor();
    const text = (await banner.innerText()).replace(/\s+/g, ' ');
    expect(text).toMatch(/^The hub has removed this PC\. This PC \("Ward 4B PC"\) was revoked at the hub on \d\d\/\d\d\/\d{4}: it keeps its data but no longer syncs\. To join again, leave the hub here, then join with a new code from the hub's administrator\.$/);
    expect(text.match(/keeps/g)).toHaveLength(1);
    await expectAccessible(page, 'Settings, a PC revoked at the hub');
    await screenshot(page, 'hub-revoked-settings');

    await header.click();
    const details = page.getByRole('dialog', { name: "Sync with the hospital's hub" });
    await details.getByTestId('sync-details').waitFor();
    const all = (await details.innerText()).replace(/\s+/g, ' ');
    expect(all).toMatch(/revoked at the hub on \d\d\/\d\d\/\d{4}/);
    expect(all, all).not.toMatch(/\d{4}-\d\d-\d\d/);
    await screenshot(page, 'hub-revoked-details');
    await details.getByRole('button', { name: 'Close' }).click();
    expectNoPageProblems(app!);
    await app!.close();
    app = null;
  });

  it('a new PC whose hub is out of reach: "Offline since …", and Settings says it cannot reach the hub to download the hospital', async () => {
    const dir = tempDir();
    await seedWard(dir);
    // The background sync is this test's to run: the join is followed by no sync until the hub is gone.
    const second = await launchApp({ dataDir: dir, ports: { sync: { start: () => undefined, stop: async () => undefined } }, viewport: { width: 1366, height: 768 } });
    app = second;
    const admin = caller(second.backend, newSession(Date.now()));
    await admin('auth.signIn', { name: 'Ada Admin', secret: '2468' });
    await admin('settings.update', { dateFormat: 'dd/MM/yyyy' });
    const { code } = await createEnrolCode(hub!.pool, 'Ward 5 PC');
    await admin('sync.join', { hub: hub!.url, code, fingerprint: hub!.tls.fingerprint, fingerprintChecked: true });
    await hub!.close();
    hub = null;
    const transport = transportFor(second.backend.core);
    try {
      await expect(new SyncClient(second.backend.core, transport).syncOnce()).rejects.toThrow(/cannot be reached/);
    } finally {
      transport.close();
    }
    const page = second.page;
    await signIn(page, 'Ada Admin', '2468');
    await page.getByTestId('signed-in-user').waitFor();
    const header = page.getByTestId('sync-status');
    await header.filter({ hasText: /^Offline since \d\d:\d\d( with \d+ changes? waiting to send)?$/ }).waitFor({ timeout: 30_000 });
    await openSettings();
    const progress = hubPanel().getByTestId('join-progress');
    await progress.getByText('This PC cannot reach the hub.').waitFor();
    await progress.getByText(/The hub at https:\/\/127\.0\.0\.1:\d+ cannot be reached/).waitFor();
    expect(await progress.locator('p[role=status]').innerText()).toBe('The download of the hospital has not started.');
    await expectAccessible(page, 'Settings, a new PC that cannot reach its hub');
    await screenshot(page, 'hub-joining-offline-settings');
    expectNoPageProblems(second);
  });
});
