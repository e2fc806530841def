import path from 'node:path';
import { fileURLToPath } from 'node:url';
import workerEntry from '../core/worker/thread?modulePath';
import { setWorkerEntry } from '../core/worker/run';
import { startApp } from './lifecycle';

// The worker thread's bundle, emitted beside this one by the build (see main/core/worker/run.ts).
setWorkerEntry(workerEntry);

startApp({ mainDir: path.dirname(fileURLToPath(import.meta.url)), argv: process.argv, env: process.env });
