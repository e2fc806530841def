/**
 * A child process for the power-loss test: records devices through the real backend in a loop
 * and prints each asset tag only after its transaction has committed. The test kills it with
 * SIGKILL at random moments. Usage: node --import tsx writer.ts DATA_DIR RUN_NUMBER
 */
import { createBackend } from '../../../../main/core/backend';
import { openCore } from '../../../../main/core/open-core';
import { newSession } from '../../../../main/core/session';
import { signedInUser } from '../../../helpers/users';

const [dataDir, run] = process.argv.slice(2);
if (!dataDir || !run) throw new Error('usage: writer.ts DATA_DIR RUN_NUMBER');
const core = openCore({ dataDir });
const backend = createBackend(core, {
  logError: (err) => {
    process.stderr.write(`internal error: ${String(err)}\n`);
    process.exit(3);
  },
});
const session = newSession();
signedInUser(core, 'admin', { name: `Crash tester ${run}`, session });

async function main() {
  const loc = await backend.invoke(session, 'locations.create', { name: `Crash ward ${run}` });
  if (!loc.ok) throw new Error(loc.error.message);
  const locationId = loc.value.id;
  process.stdout.write('ready\n');
  for (let i = 1; ; i++) {
    const assetTag = `K${run}-${i}`;
    const res = await backend.invoke(session, 'equipment.create', { assetTag, name: `Kill test ${i}`, locationId, notes: 'x'.repeat(i % 500) });
    if (!res.ok) throw new Error(res.error.message);
    // Reported only now: the commit has returned, so the record must survive anything.
    process.stdout.write(`${assetTag}\n`);
  }
}
void main();
