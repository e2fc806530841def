import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from './entry';

void main({ mainDir: path.dirname(fileURLToPath(import.meta.url)), argv: process.argv, env: process.env });
