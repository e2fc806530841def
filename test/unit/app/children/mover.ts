// Runs the one-time move of a per-user database to the machine folder, for the kill test
// (data-move-kill.test.ts): argv = legacy folder, machine folder.
import { moveLegacyDatabase } from '../../../../main/app/data-move';

const [legacyDir, machineDir] = process.argv.slice(2) as [string, string];
process.stdout.write('ready\n');
const outcome = await moveLegacyDatabase({ dir: machineDir, source: 'machine', configFile: '/nonexistent/wardkeep.json', legacyDir });
process.stdout.write(`${outcome.kind}\n`);
