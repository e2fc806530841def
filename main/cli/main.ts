import { runCli } from './index';

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
