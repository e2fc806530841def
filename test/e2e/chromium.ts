import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

/** Flags that let Chromium run headless as root on a build machine with no network. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

export const NO_CHROMIUM_MESSAGE =
  'No Chromium found for the end-to-end tests: install it (Debian: apt-get install chromium), or set CHROME_PATH to a Chromium or Chrome executable.';

/** CHROME_PATH, then the usual system locations, then a browser Playwright's installer put in place. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  const candidates = [
    env.CHROME_PATH,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
  ];
  for (const c of candidates) if (c && existsSync(c)) return c;
  try {
    const bundled = chromium.executablePath();
    if (bundled && existsSync(bundled)) return bundled;
  } catch {
    // playwright-core has no browser of its own unless its installer ran
  }
  return null;
}
