// Another account of the PC, for data-move.test.ts: watches the shared folder (argv[2]) as fast as
// it can and swaps every temporary copy of the move for a link to its own file (argv[3]).
import { lstatSync, readdirSync, symlinkSync, unlinkSync } from 'node:fs';
import path from 'node:path';

const [folder, own] = process.argv.slice(2) as [string, string];
process.stdout.write('ready\n');
const until = Date.now() + 60_000;
while (Date.now() < until) {
  let names: string[] = [];
  try {
    names = readdirSync(folder);
  } catch {
    // not made yet
  }
  for (const name of names) {
    if (!name.startsWith('wardkeep.sqlite3.moving-')) continue;
    const p = path.join(folder, name);
    try {
      if (lstatSync(p).isSymbolicLink()) continue;
      unlinkSync(p);
      symlinkSync(own, p);
      process.stdout.write('swapped\n');
    } catch {
      // gone meanwhile
    }
  }
}
