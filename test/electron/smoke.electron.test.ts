import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { ElectronApplication, Page } from 'playwright-core';
import { _electron as electron } from 'playwright-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelName } from '../../shared/contract';
import { DB_FILE } from '../../main/core/db/open';
import { ensureElectronDriver, root } from '../../scripts/native.mjs';
import { tempDir } from '../helpers/core';
import { createFirstAdmin, pageInvoke, signIn } from '../e2e/steps';

/**
 * The desktop app as a ward PC runs it: the real Electron, the built main process, preload and
 * renderer, the Electron build of better-sqlite3, the app:// protocol, the print window. A fresh
 * data folder; first-run administrator; sign in; a scanned tag; a cleaning logged; a due list
 * saved as PDF through the print window; quit; start again, and the work is there.
 */

export const NO_ELECTRON =
  'npm run test:electron needs the Electron runtime, which is not installed here (npm install could not download it): run it on a PC with internet, where "npm install" fetches Electron.';

/** The Electron executable npm install downloaded, without trying to download it (as require('electron') would). */
function electronExecutable(): string | null {
  const dir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  const pathFile = path.join(dir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const exe = path.join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(exe) ? exe : null;
}

/** A USB scanner's burst: the tag's keys milliseconds apart, then Enter, with no field focused. */
async function scan(page: Page, tag: string) {
  await page.evaluate((keys) => {
    if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
    for (const key of [...keys, 'Enter']) document.body.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
  }, [...tag]);
}

let executablePath = '';
let running: ElectronApplication | null = null;

beforeAll(() => {
  const exe = electronExecutable();
  if (!exe) throw new Error(NO_ELECTRON);
  executablePath = exe;
  const problem = ensureElectronDriver((line) => console.log(line));
  if (problem) throw new Error(`npm run test:electron: ${problem}`);
  if (!existsSync(path.join(root, 'out', 'main', 'index.js'))) throw new Error('The app is not built: run "npm run build" (npm run test:electron does it first).');
});

afterEach(async () => {
  await running?.close().catch(() => undefined);
  running = null;
});

async function start(dataDir: string): Promise<{ app: ElectronApplication; page: Page; problems: string[] }> {
  running = await electron.launch({ executablePath, args: [root, '--data-dir', dataDir], cwd: root, env: { ...process.env, NODE_ENV: 'production' } });
  const page = await running.firstWindow();
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
  });
  return { app: running, page, problems };
}

async function value<T>(page: Page, channel: ChannelName, input: unknown): Promise<T> {
  const r = await pageInvoke(page, channel, input as never);
  if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
  return (r as { value: unknown }).value as T;
}

describe('Wardkeep in Electron (npm run test:electron)', () => {
  it('first run, sign in, scan, log a cleaning, print a due list to PDF, quit, start again and see it', async () => {
    const dataDir = tempDir('wardkeep-electron-');
    const out = tempDir('wardkeep-electron-out-');
    let { app, page, problems } = await start(dataDir);
    expect(await page.evaluate(() => location.href)).toBe('app://wardkeep/index.html');

    // First run: the administrator, who is then signed in.
    await createFirstAdmin(page, 'Ada Admin', 'correct horse battery', '2468');
    // A ward, an infusion pump to clean weekly, and a defibrillator whose calibration is overdue.
    const today = new Date();
    const daysAgo = (n: number) => new Date(today.getTime() - n * 86_400_000).toISOString().slice(0, 10);
    const site = await value<{ id: string }>(page, 'locations.create', { name: 'General Hospital' });
    const ward = await value<{ id: string }>(page, 'locations.create', { name: 'Ward 4B', parentId: site.id });
    const pump = await value<{ id: string }>(page, 'equipment.create', { assetTag: 'IP-0042', name: 'Infusion pump', locationId: ward.id });
    await value(page, 'plans.create', { equipmentId: pump.id, task: 'cleaning', every: '1w', startDate: daysAgo(7) });
    const defib = await value<{ id: string }>(page, 'equipment.create', { assetTag: 'DF-0001', name: 'Defibrillator', locationId: ward.id });
    await value(page, 'plans.create', { equipmentId: defib.id, task: 'calibration', every: '1y', startDate: daysAgo(12) });

    // Sign in: lock the screen (Ctrl+L) and sign in with the PIN.
    await page.keyboard.press('Control+L');
    await signIn(page, 'Ada Admin', '2468');
    await page.getByTestId('signed-in-user').filter({ hasText: 'Ada Admin' }).waitFor();

    // Scan the pump's tag: its page opens; Enter logs its cleaning, signed with the PIN.
    await scan(page, 'IP-0042');
    await page.getByRole('heading', { level: 1, name: /Infusion pump/ }).waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Log work');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 2, name: 'Cleaning' }).waitFor();
    await page.getByLabel('Method').fill('Wipe with disinfectant');
    await page.getByLabel('Agent').fill('70% isopropyl alcohol');
    await page.getByLabel('Your PIN or password').fill('2468');
    await page.getByRole('button', { name: 'Sign and save' }).click();
    await page.getByText('Saved: cleaning, pass, signed by Ada Admin.').waitFor();

    // A due list saved as PDF, through the hidden print window; the save dialog answers for the person.
    const pdf = path.join(out, 'due-list.pdf');
    await app.evaluate(({ dialog }, file) => {
      dialog.showSaveDialog = (() => Promise.resolve({ canceled: false, filePath: file })) as typeof dialog.showSaveDialog;
    }, pdf);
    await page.getByRole('link', { name: 'Due lists' }).click();
    await page.getByRole('heading', { name: 'Due lists' }).waitFor();
    await page.getByRole('button', { name: 'Save as PDF…' }).click();
    await page.getByRole('status').filter({ hasText: `Saved the due list to ${pdf}.` }).waitFor();
    expect(readFileSync(pdf).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(problems).toEqual([]);

    // Quit as the menu does: the database is closed cleanly (no write-ahead log left).
    await app.close();
    running = null;
    expect(existsSync(path.join(dataDir, `${DB_FILE}-wal`))).toBe(false);

    // Start again: sign in, and the cleaning is in the pump's history.
    ({ app, page, problems } = await start(dataDir));
    await signIn(page, 'Ada Admin', '2468');
    await page.getByTestId('signed-in-user').filter({ hasText: 'Ada Admin' }).waitFor();
    await scan(page, 'IP-0042');
    await page.getByRole('heading', { level: 1, name: /Infusion pump/ }).waitFor();
    const record = page.getByTestId('history-record').first();
    await record.waitFor();
    expect(await record.textContent()).toMatch(/Cleaning[\s\S]*Performed by: Ada Admin/);
    expect(problems).toEqual([]);
  });
});
