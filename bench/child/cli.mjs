// The built command line in a process of its own (as `wardkeep` runs), reporting its peak memory when it ends.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { peakKb } from './peak.mjs';

process.on('exit', () => process.stderr.write(`\nBENCH-MAXRSS-KB=${peakKb()}\n`));
const cli = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'out', 'main', 'cli.js');
await import(pathToFileURL(cli).href);
