// Before the tests: better-sqlite3 must be built for the Node that runs them (it may have been
// rebuilt for Electron by packaging), and a Chromium must exist for the e2e suite.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { root } from './native.mjs';

const require = createRequire(import.meta.url);

function sqliteLoads() {
  try {
    const Database = require('better-sqlite3');
    new Database(':memory:').close();
    return null;
  } catch (err) {
    return err instanceof Error ? err.message.split('\n')[0] : String(err);
  }
}

const problem = sqliteLoads();
if (problem) {
  console.log(`better-sqlite3 is not built for this Node (${problem}); rebuilding it…`);
  const r = spawnSync('npm', ['rebuild', 'better-sqlite3', '--foreground-scripts'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  const still = r.status === 0 ? sqliteLoads() : 'the rebuild failed';
  if (still) {
    console.error(`better-sqlite3 could not be built for Node ${process.version}: ${still}. A C++ compiler and Python are needed (see README).`);
    process.exit(1);
  }
}

function chromiumPath() {
  const candidates = [
    process.env.CHROME_PATH,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
  ];
  for (const c of candidates) if (c && existsSync(c)) return c;
  try {
    const p = require('playwright-core').chromium.executablePath();
    if (p && existsSync(p)) return p;
  } catch {
    // no browser of Playwright's own
  }
  return null;
}

if (!chromiumPath()) {
  console.log('No Chromium found; trying Playwright\'s installer (needs internet)…');
  spawnSync(process.execPath, [require.resolve('playwright-core/cli'), 'install', 'chromium'], { cwd: root, stdio: 'ignore' });
  if (!chromiumPath()) {
    console.error(
      'No Chromium found for the end-to-end tests: install it (Debian: apt-get install chromium), or set CHROME_PATH to a Chromium or Chrome executable.',
    );
    process.exit(1);
  }
}
