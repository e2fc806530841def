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
import type { LaunchedApp } from './harness';
import { launchApp, shutdown } from './harness';
import { caller, seedWard } from './seed';
import { nav, signIn } from './steps';

/**
 * A PC that joined its hub and has never synced since (the hub went down as it joined): it cannot
 * know of any conflict yet, so neither the Conflicts screen nor the sync details say there are none.
 * Chromium at 1366x768, against a real hub on a throwaway PostgreSQL cluster (stopped after the join).
 */

let cluster: Cluster;
let hub: RunningHub;
let app: LaunchedApp;

beforeAll(async () => {
  cluster = await startCluster();
  const admin = new pg.Client({ connectionString: `${cluster.baseUrl}postgres` });
  await admin.connect();
  await admin.query('CREATE DATABASE conflictsnotsynced');
  await admin.end();
  hub = await startHub({ databaseUrl: `${cluster.baseUrl}conflictsnotsynced`, host: '127.0.0.1', port: 0, tlsDir: null, log: () => undefined });
  const dir = tempDir();
  await seedWard(dir);
  // The background sync never gets going: the PC joins, then the hub is gone before its first sync.
  app = await launchApp({ dataDir: dir, ports: { sync: { start() {}, async stop() {} } }, viewport: { width: 1366, height: 768 } });
  const ada = caller(app.backend, newSession(Date.now()));
  await ada('auth.signIn', { name: 'Ada Admin', secret: '2468' });
  const { code } = await createEnrolCode(hub.pool, 'Ward 4B PC');
  await ada('sync.join', { hub: hub.url, code, fingerprint: hub.tls.fingerprint, fingerprintChecked: true });
  await hub.close();
}, 240_000);

afterAll(async () => {
  await shutdown();
  cluster?.stop();
});

describe('conflicts on a PC that has never synced with its hub', () => {
  it('the Conflicts screen says the PC has not synced yet, not "No conflicts to look at."', async () => {
    const { page } = app;
    await signIn(page, 'Ada Admin', '2468');
    await page.getByTestId('signed-in-user').waitFor();
    await nav(page).getByRole('link', { name: 'Conflicts', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Conflicts' }).waitFor();
    await page.getByTestId('conflicts-not-synced').waitFor();
    const main = (await page.locator('main').innerText()).replace(/\s+/g, ' ');
    expect(main).not.toContain('No conflicts');
    expect(main).toContain('This PC has not synced with the hub yet: the conflicts between PCs show here once it has.');
    await expectAccessible(page, 'conflicts screen before the first sync');
  });

  it('the sync details do not say "none" of conflicts or of names made twice before the first sync', async () => {
    const { page } = app;
    await page.getByTestId('sync-status').click();
    const details = page.getByTestId('sync-details');
    await details.waitFor();
    const text = (await details.innerText()).replace(/\s+/g, ' ');
    expect(text).toContain('Last successful sync not yet');
    expect(text).toContain('Conflicts to look at not known until the first sync');
    expect(text).toContain('Names made twice not known until the first sync');
  });
});
