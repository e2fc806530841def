/**
 * A child process for location-tree-circle.test.ts: adds a room under a location of a damaged tree
 * through the real backend and prints the answer as JSON. A walk of the tree that never ends hangs
 * this process, not the test's: the test kills it after a while and fails.
 * Usage: node add-under-circle.ts DATA_DIR PARENT_ID
 */
import { createBackend } from '../../../../main/core/backend';
import { openCore } from '../../../../main/core/open-core';
import { newSession } from '../../../../main/core/session';
import { signedInUser } from '../../../helpers/users';

const [dataDir, parentId] = process.argv.slice(2);
if (!dataDir || !parentId) throw new Error('usage: add-under-circle.ts DATA_DIR PARENT_ID');
const core = openCore({ dataDir });
const backend = createBackend(core, {
  logError: (err) => {
    process.stderr.write(`internal error: ${String(err)}\n`);
  },
});
const session = newSession();
signedInUser(core, 'supervisor', { name: 'Sam Supervisor', session });

const res = await backend.invoke(session, 'locations.create', { name: 'Bay 9', parentId });
process.stdout.write(`${JSON.stringify(res)}\n`);
core.close();
