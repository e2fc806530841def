/**
 * A second process guessing a user's PIN: its own connection to the same database file, through
 * the real backend, as another Wardkeep or a script on the shared PC would. Prints "ready", waits
 * for the file GO_FILE to exist so its guesses start with the first process's, sends every guess
 * at once, prints each answer (see `answer` in sign-in-processes.test.ts) and then "done".
 * Usage: node sign-in-guesser.mjs DATA_DIR GO_FILE NAME FIRST_GUESS COUNT
 */
import { existsSync } from 'node:fs';
import { createBackend } from '../../../../main/core/backend';
import { openCore } from '../../../../main/core/open-core';
import { newSession } from '../../../../main/core/session';
import { answer } from '../sign-in-answer';

const [dataDir, goFile, name, first, count] = process.argv.slice(2);
if (!dataDir || !goFile || !name || !first || !count) throw new Error('usage: sign-in-guesser.ts DATA_DIR GO_FILE NAME FIRST_GUESS COUNT');
const core = openCore({ dataDir });
const backend = createBackend(core, {
  logError: (err) => {
    process.stderr.write(`internal error: ${String(err)}\n`);
    process.exit(3);
  },
});

async function main() {
  process.stdout.write('ready\n');
  while (!existsSync(goFile!)) await new Promise((r) => setTimeout(r, 1));
  const guesses = Array.from({ length: Number(count) }, (_, i) => String(Number(first) + i * 7).padStart(4, '0'));
  const results = await Promise.all(guesses.map((secret) => backend.invoke(newSession(), 'auth.signIn', { name: name!, secret })));
  for (const r of results) process.stdout.write(`${answer(r)}\n`);
  process.stdout.write('done\n');
  core.close();
}
void main();
