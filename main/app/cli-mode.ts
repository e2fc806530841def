import type { App } from 'electron';
// The installed app's `--cli` entry is the one place the shell hosts the command line: a ward PC
// has no Node to run bin/wardkeep.js, and the runAsNode fuse is off (docs/deploy.md, "The command line").
// eslint-disable-next-line no-restricted-imports
import { runCli } from '../cli/index';

const flushed = (stream: NodeJS.WriteStream) => new Promise<void>((resolve) => stream.write('', () => resolve()));

/**
 * Runs the `wardkeep` command line inside the packaged app's main process and exits with its code.
 * No window, no single-instance lock (the app may be open; the database serialises writers), no
 * GPU. Output is flushed before exiting: pipes on macOS are asynchronous.
 */
export async function runCliMode(app: Pick<App, 'exit' | 'disableHardwareAcceleration' | 'dock'>, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  app.disableHardwareAcceleration();
  app.dock?.hide();
  let code: number;
  try {
    code = await runCli(args, {
      stdout: (t) => process.stdout.write(t),
      stderr: (t) => process.stderr.write(t),
      env,
      cwd: process.cwd(),
    });
  } catch (err) {
    process.stderr.write(`wardkeep failed unexpectedly: ${err instanceof Error ? err.message : String(err)}\n`);
    code = 1;
  }
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  app.exit(code);
  return code;
}
