import path from 'node:path';
import { fileURLToPath } from 'node:url';
import workerEntry from '../core/worker/thread?modulePath';
import { setWorkerEntry } from '../core/worker/run';
import { main } from './entry';
import { tuneHeap } from '../core/heap-tuning';

// V8's options first, so every thread and everything after runs with them (core/heap-tuning.ts).
tuneHeap();

// The worker thread's bundle, emitted beside this one by the build (see main/core/worker/run.ts).
setWorkerEntry(workerEntry);

void main({ mainDir: path.dirname(fileURLToPath(import.meta.url)), argv: process.argv, env: process.env });
