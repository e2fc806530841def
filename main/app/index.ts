import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startApp } from './lifecycle';

startApp({ mainDir: path.dirname(fileURLToPath(import.meta.url)), argv: process.argv, env: process.env });
