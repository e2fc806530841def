import workerEntry from '../core/worker/thread?modulePath';
import { setWorkerEntry } from '../core/worker/run';
import { runCli } from './index';
import { stopQuietlyWhenOutputCloses } from './io';
import { tuneHeap } from '../core/heap-tuning';

// V8's options first, so every thread and everything after runs with them (core/heap-tuning.ts).
tuneHeap();

// The worker thread's bundle, emitted beside this one by the build (see main/core/worker/run.ts).
setWorkerEntry(workerEntry);
stopQuietlyWhenOutputCloses(process.stdout);
stopQuietlyWhenOutputCloses(process.stderr);

runCli(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
  cwd: process.cwd(),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`wardkeep failed unexpectedly: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
