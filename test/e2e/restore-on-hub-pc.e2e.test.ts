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
import type { LaunchedApp } from './harness';
import { launchApp, shutdown } from './harness';
import { caller, seedWard } from './seed';
import { expectNoPageProblems, nav, signIn } from './steps';
import { onDemandSync } from './sync-port';

/**
 * The restore dialog on a PC of a hub, in Chromium against a real hub: the work since the backup
 * is not simply "gone from the app" there, since what reached the hub comes back at the next sync
 * (docs/sync.md). The dialog says so, and counts what has not reached the hub, which is what a
 * restore does lose from the app.
 */

let cluster: Cluster;
let hub: RunningHub | null = null;
let app: LaunchedApp | null = null;
let call: ReturnType<typeof caller>;
let sync: ReturnType<typeof onDemandSync>;

beforeAll(async () => {
  cluster = await startCluster();
  const admin = new pg.Client({ connectionString: `${cluster.baseUrl}postgres` });
  await admin.connect();
  await admin.query('CREATE DATABASE restorehub');
  await admin.end();
  hub = await startHub({ databaseUrl: `${cluster.baseUrl}restorehub`, host: '127.0.0.1', port: 0, tlsDir: null, log: () => undefined });
  const dir = tempDir();
  await seedWard(dir);
  sync = onDemandSync();
  app = await launchApp({ dataDir: dir, ports: { sync: sync.port }, viewport: { width: 1366, height: 768 } });
  sync.attach(app.backend);
  call = caller(app.backend, newSession(Date.now()));
  await call('auth.signIn', { name: 'Ada Admin', secret: '2468' });
  const { code } = await createEnrolCode(hub.pool, 'Ward 4B PC');
  await call('sync.join', { hub: hub.url, code, fingerprint: hub.tls.fingerprint, fingerprintChecked: true });
  await sync.settled();
});

afterAll(async () => {
  await app?.close().catch(() => undefined);
  await shutdown();
  await hub?.close();
  cluster?.stop();
});

describe('restoring a backup on a PC of a hub, in Chromium', () => {
  it('the dialog says what reached the hub comes back at the next sync, and counts the changes that have not reached it', async () => {
    const { page } = app!;
    await call('backups.run', {});
    const ward = (await call('locations.list', {})).find((l) => l.name === 'Ward 4B')!;
    // Two devices added after the backup, not yet sent to the hub.
    await call('equipment.create', { assetTag: 'LATER-1', name: 'Added after the backup', locationId: ward.id });
    await call('equipment.create', { assetTag: 'LATER-2', name: 'Added after the backup', locationId: ward.id });

    await signIn(page, 'Ada Admin', '2468');
    await nav(page).getByRole('link', { name: 'Backups', exact: true }).click();
    await page.getByRole('heading', { name: 'Backups', level: 1 }).waitFor();
    await page.getByRole('button', { name: /^Restore… the backup of / }).first().click();
    const dialog = page.getByRole('dialog', { name: /^Restore the backup of / });
    await dialog.getByText('Integrity and audit trail verify').waitFor();
    const warning = dialog.getByText(/^Restoring replaces everything/);
    await expect.poll(() => warning.innerText(), { timeout: 10_000 }).toMatch(/This PC is in the hospital hub: at the next sync, the work that reached the hub comes back/);
    // Counted as the dialog shows it (signing in and opening screens are changes of their own, sent to the hub too).
    const waiting = (await call('sync.status', {})).pendingOut;
    expect(waiting).toBeGreaterThan(1);
    expect(await warning.innerText()).toMatch(new RegExp(`${waiting} changes made here have not reached the hub yet: those made since \\d\\d/\\d\\d/\\d{4} \\d\\d:\\d\\d will be gone from the app`));
    expect(await warning.innerText()).not.toMatch(/Work recorded since .* will be gone from the app/);
    await expectAccessible(page, 'the restore dialog on a PC of a hub');
    await screenshot(page, 'restore-on-hub-pc-waiting');
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    // Once everything has reached the hub, nothing made here is lost by the restore, and the dialog says so.
    await sync.once();
    expect((await call('sync.status', {})).pendingOut).toBe(0);
    await page.getByRole('button', { name: /^Restore… the backup of / }).first().click();
    await dialog.getByText('Integrity and audit trail verify').waitFor();
    await expect.poll(() => warning.innerText(), { timeout: 10_000 }).toContain('Every change made here has reached the hub; nothing waits to be sent');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expectNoPageProblems(app!);
  });
});
