import type { App } from 'electron';
import { anchorKeyProtectors } from './anchor-key';
// The installed app's `--cli` entry is the one place the shell hosts the command line: a ward PC
// has no Node to run bin/wardkeep.js, and the runAsNode fuse is off (docs/deploy.md, "The command line").
// eslint-disable-next-line no-restricted-imports
import { runCli } from '../cli/index';
import { chooseDataDir, resolveDataDir, systemPathsEnvironment } from '../core/paths';
import { dataDirFlag, prepareDatabaseFile, prepareDataFolder } from './data-dir';

const flushed = (stream: NodeJS.WriteStream) => new Promise<void>((resolve) => stream.write('', () => resolve()));

/**
 * Runs the `wardkeep` command line inside the packaged app's main process and exits with its code.
 * No window, no single-instance lock (the app may be open; the database serialises writers), no
 * GPU. Output is flushed before exiting: pipes on macOS are asynchronous.
 */
export async function runCliMode(
  app: Pick<App, 'exit' | 'disableHardwareAcceleration' | 'dock' | 'whenReady'>,
  args: string[],
  env: NodeJS.ProcessEnv,
  safeStorage?: Parameters<typeof anchorKeyProtectors>[0],
): Promise<number> {
  app.disableHardwareAcceleration();
  app.dock?.hide();
  // `wardkeep --cli export equipment | head -1`: once the reader has gone the rest is not wanted, so
  // stop with the command's code so far instead of an unhandled 'error' event (as main/cli/io.ts does).
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') app.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
    });
  }
  // The anchor key as the app keeps it (safeStorage first), so `verify` and every writing command
  // sign and check with the app's key; safeStorage answers only once the app is ready (Windows, Linux).
  let keyProtectors: ReturnType<typeof anchorKeyProtectors> | undefined;
  if (safeStorage) {
    await app.whenReady();
    keyProtectors = anchorKeyProtectors(safeStorage);
  }
  let code: number;
  // The PC's shared folder stays usable by every account when the command made its files (IT
  // runs it as another account, or as root): group-writable, as the app makes them. Only when the
  // command works on that folder, not on an old per-user database awaiting its move.
  let shared: ReturnType<typeof chooseDataDir> | null = null;
  try {
    const choice = chooseDataDir(dataDirFlag(args), systemPathsEnvironment(env));
    if (resolveDataDir(dataDirFlag(args), env) === choice.dir) {
      prepareDataFolder(choice);
      shared = choice;
    }
  } catch {
    // runCli says what is wrong with the folder or the setting file, with its own exit code
  }
  try {
    code = await runCli(args, {
      stdout: (t) => process.stdout.write(t),
      stderr: (t) => process.stderr.write(t),
      env,
      cwd: process.cwd(),
    }, keyProtectors ? { keyProtectors } : {});
  } catch (err) {
    process.stderr.write(`wardkeep failed unexpectedly: ${err instanceof Error ? err.message : String(err)}\n`);
    code = 1;
  }
  try {
    if (shared) prepareDatabaseFile(shared);
  } catch {
    // the command's own result stands; the app says what IT must do if the file is not shareable
  }
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  app.exit(code);
  return code;
}
