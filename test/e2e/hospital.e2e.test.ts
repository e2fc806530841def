import path from 'node:path';
import pg from 'pg';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEnrolCode } from '../../main/hub/pcs';
import type { RunningHub } from '../../main/hub/server';
import { startHub } from '../../main/hub/server';
import { newSession } from '../../main/core/session';
import { tempDir } from '../helpers/core';
import { pdfPagesText, renderPagePng } from '../helpers/pdf';
import type { Cluster } from '../helpers/pg';
import { startCluster } from '../helpers/pg';
import { expectAccessible, screenshot } from './axe';
import type { LaunchedApp } from './harness';
import { launchPrinting, shutdown } from './harness';
import { caller, seedWard } from './seed';
import { createFirstAdmin, expectNoPageProblems, expectProblem, nav, signIn } from './steps';
import { onDemandSync } from './sync-port';

/**
 * The whole hospital in the app (issue 20): two PCs, each the real UI in Chromium on its own data
 * folder and SQLite database, and a real hub over HTTPS on a throwaway PostgreSQL cluster.
 */

let cluster: Cluster;
let hub: RunningHub;

beforeAll(async () => {
  cluster = await startCluster();
  const admin = new pg.Client({ connectionString: `${cluster.baseUrl}postgres` });
  await admin.connect();
  await admin.query('CREATE DATABASE hospital');
  await admin.end();
  hub = await startHub({ databaseUrl: `${cluster.baseUrl}hospital`, host: '127.0.0.1', port: 0, tlsDir: null, log: () => undefined });
});

afterAll(async () => {
  await shutdown();
  await hub?.close();
  cluster?.stop();
});

const OUT = path.resolve('test-results/print');

async function launchPc(dataDir: string) {
  const sync = onDemandSync();
  const { app } = await launchPrinting(OUT, { dataDir, ports: { sync: sync.port } });
  sync.attach(app.backend);
  return { app, sync };
}

function header(page: Page) {
  return page.getByTestId('sync-status');
}

async function openSettings(page: Page) {
  await nav(page).getByRole('link', { name: 'Settings', exact: true }).click();
  await page.getByRole('heading', { name: 'Hospital hub' }).waitFor();
}

async function signedInCaller(app: LaunchedApp, name: string, secret: string) {
  const session = newSession(Date.now());
  const call = caller(app.backend, session);
  await call('auth.signIn', { name, secret });
  return call;
}

describe('a hospital of two ward PCs and a hub, in Chromium', () => {
  it('joins both PCs, shows a device failed on one as DO NOT USE on the other within one sync, resolves a conflict, and signs in a user made elsewhere', async () => {
    // PC A: Ward 4B's PC, with its own work (Ada Admin, Tom Tech, an infusion pump) and a defibrillator.
    const dirA = tempDir();
    await seedWard(dirA);
    const a = await launchPc(dirA);
    const pageA = a.app.page;
    const adaA = await signedInCaller(a.app, 'Ada Admin', '2468');
    const ward = (await adaA('locations.list', {})).find((l) => l.name === 'Ward 4B')!;
    const defib = await adaA('equipment.create', { assetTag: 'DF-0002', name: 'Defibrillator', locationId: ward.id });
    const safety = await adaA('plans.create', {
      equipmentId: defib.id,
      task: 'electrical_safety',
      every: '1y',
      startDate: new Date().toISOString().slice(0, 10),
    });
    const suction = await adaA('equipment.create', { assetTag: 'SU-0003', name: 'Suction unit', locationId: ward.id });
    await signIn(pageA, 'Ada Admin', '2468');
    await pageA.getByTestId('signed-in-user').filter({ hasText: 'Ada Admin' }).waitFor();
    // A PC in no hub shows no sync status at all: it works as it always did.
    await pageA.getByRole('heading', { level: 1, name: 'Today' }).waitFor();
    expect(await header(pageA).count()).toBe(0);
    expect(await nav(pageA).getByRole('link', { name: 'Conflicts' }).count()).toBe(0);

    // Joining A with the mouse: a wrong code is refused beside its field, and nothing is kept.
    await openSettings(pageA);
    await pageA.getByRole('button', { name: 'Connect' }).click();
    await expectProblem(pageA, 'Hub address is required.');
    await pageA.getByLabel('Hub address').fill('http://hub.hospital.local');
    await pageA.getByRole('button', { name: 'Connect' }).click();
    await expectProblem(pageA, 'Hub address must start with https://, for example https://hub.hospital.local:8443.');
    await pageA.getByLabel('Hub address').fill(hub.url);
    await pageA.getByRole('button', { name: 'Connect' }).click();
    // The certificate's fingerprint, to compare with the one the hub printed.
    await pageA.getByTestId('hub-fingerprint').filter({ hasText: hub.tls.fingerprint }).waitFor();
    await expectAccessible(pageA, 'Settings, joining a hub: the fingerprint to compare');
    await screenshot(pageA, 'hospital-join-fingerprint');
    await pageA.getByLabel('One-time code').fill('ABCD-EFGH-JKMN-PQRS');
    await pageA.getByRole('button', { name: 'Join the hub' }).click();
    await expectProblem(pageA, 'The fingerprint check is needed: compare the fingerprint with the one the hub printed, then tick the box.');
    await pageA.getByLabel(/It is the same as the one the hub printed/).check();
    await pageA.getByRole('button', { name: 'Join the hub' }).click();
    await pageA
      .getByTestId('error-summary')
      .getByText(/The hub knows no such enrolment code/)
      .waitFor();
    await expectAccessible(pageA, 'Settings, a refused join');
    await screenshot(pageA, 'hospital-join-refused');
    expect((await adaA('sync.status', {})).state).toBe('not_enrolled');

    const codeA = (await createEnrolCode(hub.pool, 'Ward 4B PC')).code;
    await pageA.getByLabel('One-time code').fill(codeA);
    await pageA.getByRole('button', { name: 'Join the hub' }).click();
    await pageA.getByText('Ward 4B PC', { exact: true }).waitFor();
    await a.sync.settled();
    await header(pageA).filter({ hasText: 'Synced a moment ago' }).waitFor({ timeout: 60_000 });
    await expectAccessible(pageA, 'Settings, joined');
    await screenshot(pageA, 'hospital-joined');

    // PC B: the emergency department's PC, a new installation; its administrator joins with the keyboard only.
    const b = await launchPc(tempDir());
    const pageB = b.app.page;
    await createFirstAdmin(pageB, 'Ben Admin', 'another long password', '8642');
    await openSettings(pageB);
    const codeB = (await createEnrolCode(hub.pool, 'Emergency PC')).code;
    await pageB.getByLabel('Hub address').focus();
    await pageB.keyboard.type(hub.url);
    await pageB.keyboard.press('Enter');
    await pageB.getByTestId('hub-fingerprint').filter({ hasText: hub.tls.fingerprint }).waitFor();
    expect(await pageB.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('hub-fingerprint');
    await pageB.keyboard.press('Tab');
    await pageB.keyboard.press('Space');
    await pageB.keyboard.press('Tab');
    await pageB.keyboard.type(codeB);
    await pageB.keyboard.press('Enter');
    await pageB.getByText('Emergency PC', { exact: true }).waitFor();
    await b.sync.settled();
    // B now holds the hospital: Ward 4B's pump and defibrillator, and A's users.
    const benB = await signedInCaller(b.app, 'Ben Admin', '8642');
    expect((await benB('equipment.findByTag', { tag: 'DF-0002' })).id).toBe(defib.id);
    await header(pageB).filter({ hasText: 'Synced a moment ago' }).waitFor({ timeout: 60_000 });
    await nav(pageB).getByRole('link', { name: 'Today', exact: true }).click();
    await pageB.locator('caption', { hasText: 'Ward 4B' }).first().waitFor();

    // On A, a technician fails the defibrillator's safety test: A tags it out at once.
    const tomA = await signedInCaller(a.app, 'Tom Tech', '1357');
    await tomA('completions.log', {
      planId: safety.id,
      performedAt: new Date().toISOString(),
      result: { kind: 'outcome', outcome: 'fail' },
      secret: '1357',
    });
    expect((await adaA('equipment.get', { id: defib.id })).status).toBe('out_of_service');
    expect((await benB('equipment.get', { id: defib.id })).status).toBe('in_service');

    // One sync each (A sends, B receives): B's Today says so in one line and shows it DO NOT USE, without a reload.
    await a.sync.once();
    await b.sync.once();
    const tagged = pageB.getByTestId('out-of-service-row').filter({ hasText: 'DF-0002' });
    await tagged.waitFor();
    expect(await tagged.textContent()).toContain('DO NOT USE');
    expect(await pageB.getByTestId('out-of-service').getByText('General Hospital > Ward 4B').count()).toBe(1);
    const changes = pageB.getByTestId('remote-changes');
    await changes.getByText(/changes? from other PCs/).waitFor();
    expect(await changes.textContent()).toBe('1 change from other PCs: DF-0002 failed its electrical safety test.Seen');
    expect((await benB('equipment.get', { id: defib.id })).status).toBe('out_of_service');
    await expectAccessible(pageB, 'Today with changes from other PCs');
    await screenshot(pageB, 'hospital-today-changes');
    await changes.getByRole('button', { name: 'Seen' }).click();
    await changes.waitFor({ state: 'detached' });

    // The work order the failed test opened on A is on B's Repairs list too, with the ward it is from.
    await nav(pageB).getByRole('link', { name: 'Repairs', exact: true }).click();
    const woRow = pageB.getByTestId('work-order-row').filter({ hasText: 'DF-0002' });
    await woRow.waitFor();
    expect((await woRow.textContent())!.replace(/\s+/g, ' ')).toMatch(/^WO-0001.*DF-0002.*General Hospital > Ward 4B.*Failed electrical safety test/);
    await expectAccessible(pageB, 'Repairs, a work order from another PC');
    await screenshot(pageB, 'hospital-work-order-from-a');

    // B's printed due list names it first: DO NOT USE, with its ward.
    await nav(pageB).getByRole('link', { name: 'Due lists', exact: true }).click();
    await pageB.getByRole('heading', { name: 'Due lists' }).waitFor();
    await pageB.getByRole('button', { name: 'Save as PDF…' }).click();
    const saved = pageB.getByRole('status').filter({ hasText: /^Saved the due list to / });
    await saved.waitFor();
    const pdf = (await saved.textContent())!.replace(/^Saved the due list to /, '').replace(/\.$/, '');
    const printed = pdfPagesText(pdf).join('\n').replace(/\s+/g, ' ');
    expect(printed).toContain('Out of service after a failed test: DO NOT USE');
    for (const words of ['DF-0002', 'Defibrillator', 'General Hospital > Ward 4B', 'Electrical safety test'])
      expect(printed).toContain(words);
    renderPagePng(pdf, 1, path.join(OUT, 'hospital-due-list-dnu'));

    // A conflict: while apart, A moves the suction unit to Bay 1 and B to Bay 2 (B later), each with its own warranty date.
    const moved = (locationId: string, warrantyUntil: string) => ({ id: suction.id, assetTag: 'SU-0003', name: 'Suction unit', locationId, warrantyUntil });
    const bay1 = await adaA('locations.create', { name: 'Bay 1', parentId: ward.id });
    await a.sync.once();
    await b.sync.once();
    const bay2 = await benB('locations.create', { name: 'Bay 2', parentId: ward.id });
    await adaA('equipment.update', moved(bay1.id, '2027-01-31'));
    await new Promise((r) => setTimeout(r, 20));
    await benB('equipment.update', moved(bay2.id, '2027-03-31'));
    await a.sync.once();
    await b.sync.once();
    await a.sync.once();
    expect((await benB('equipment.get', { id: suction.id })).locationId).toBe(bay2.id);
    expect((await adaA('equipment.get', { id: suction.id })).locationId).toBe(bay2.id);

    // The header counts it; the details say what waits and when the last sync was.
    await header(pageB).filter({ hasText: '2 conflicts' }).waitFor({ timeout: 60_000 });
    await header(pageB).click();
    const details = pageB.getByRole('dialog', { name: "Sync with the hospital's hub" });
    await details.getByTestId('sync-details').waitFor();
    await details.getByRole('table', { name: 'PCs the hub knows' }).getByText('Ward 4B PC').waitFor();
    await expectAccessible(pageB, 'the sync details');
    await screenshot(pageB, 'hospital-sync-details');
    await pageB.keyboard.press('Escape');

    // A supervisor on B resolves it with the keyboard: "use the other" is a new, audited edit.
    await nav(pageB).getByRole('link', { name: 'Conflicts', exact: true }).click();
    await pageB.getByRole('heading', { level: 1, name: 'Conflicts' }).waitFor();
    // One conflict a field: where it is, and until when its warranty runs.
    const row = pageB.getByTestId('conflict-row').filter({ hasText: 'SU-0003' }).filter({ hasText: 'Bay 2' });
    await row.waitFor();
    expect(await row.textContent()).toContain('Bay 2');
    expect(await row.textContent()).toContain('Bay 1');
    // The warranty dates in the PC's date format (the locale's, en-US here), as on every screen.
    const warranty = pageB.getByTestId('conflict-row').filter({ hasText: 'SU-0003' }).filter({ hasText: 'warranty until' });
    expect((await warranty.textContent())!.replace(/\s+/g, ' ')).toMatch(/03\/31\/2027.*01\/31\/2027/);
    expect(await pageB.getByRole('table').filter({ hasText: 'In force' }).textContent()).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    // Who made each side, from the audit trail of the PC that made it.
    expect(await row.getByText(/Ada Admin, Ward 4B PC/).count()).toBe(1);
    expect(await row.getByText(/Ben Admin, this PC \(Emergency PC\)/).count()).toBe(1);
    await expectAccessible(pageB, 'the conflicts screen');
    await screenshot(pageB, 'hospital-conflicts');
    await row.getByRole('button', { name: /^Use the other value/ }).focus();
    await pageB.keyboard.press('Enter');
    const confirm = pageB.getByRole('dialog', { name: /Use .*Bay 1 instead\?/ });
    await confirm.waitFor();
    await expectAccessible(pageB, 'confirming a conflict resolution');
    // The focus starts on Cancel; Shift+Tab reaches the action.
    await pageB.keyboard.press('Shift+Tab');
    await pageB.keyboard.press('Enter');
    await pageB.getByText(/now General Hospital > Ward 4B > Bay 1/).waitFor();
    expect((await benB('equipment.get', { id: suction.id })).locationId).toBe(bay1.id);
    const audit = b.app.backend.core.db
      .prepare("SELECT actor_name, new_value FROM audit_log WHERE action = 'resolve_conflict' ORDER BY rowid DESC LIMIT 1")
      .get() as { actor_name: string; new_value: string } | undefined;
    expect(audit?.actor_name).toBe('Ben Admin');
    expect(JSON.parse(audit!.new_value)).toMatchObject({ choice: 'used_other' });
    await b.sync.once();
    await a.sync.once();
    expect((await adaA('equipment.get', { id: suction.id })).locationId).toBe(bay1.id);

    // A user added on B signs in on A after a sync.
    await benB('users.create', { name: 'Sue Super', role: 'supervisor', temporaryPin: '7391' });
    await b.sync.once();
    await a.sync.once();
    await pageA.keyboard.press('Control+l');
    await pageA.getByRole('heading', { name: 'Screen locked' }).waitFor();
    await signIn(pageA, 'Sue Super', '7391');
    await pageA.getByRole('heading', { name: 'Choose your PIN, Sue Super' }).waitFor();

    expectNoPageProblems(a.app);
    expectNoPageProblems(b.app);
    await a.app.close();
    await b.app.close();
  });
});
