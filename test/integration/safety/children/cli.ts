/**
 * The `wardkeep` command as a child process, from the sources: main/cli/main.ts is the built
 * entry (its worker comes from the build's `?modulePath` import); here the worker is loaded from
 * its TypeScript source, as in the tests. Usage: node cli.mjs [wardkeep arguments]
 */
import path from 'node:path';
import { runCli } from '../../../../main/cli/index';
import { stopQuietlyWhenOutputCloses } from '../../../../main/cli/io';
import { setWorkerEntry } from '../../../../main/core/worker/run';

setWorkerEntry(path.resolve('main/core/worker/thread.ts'));
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
