#!/usr/bin/env node
// The `wardkeep` command: runs the built CLI (out/main/cli.js) on plain Node.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const cli = join(dirname(fileURLToPath(import.meta.url)), '..', 'out', 'main', 'cli.js');
if (!existsSync(cli)) {
  process.stderr.write('Wardkeep is not built yet: run "npm run build" in the project folder first.\n');
  process.exit(2);
}
await import(pathToFileURL(cli).href);
