import { app, safeStorage } from 'electron';
import { cliArguments } from './cli-switch';
import type { StartOptions } from './lifecycle';
import { startApp } from './lifecycle';

/**
 * The main process's first decision: `Wardkeep --cli COMMAND …` (what the installed `wardkeep`
 * launchers run) is the command line, anything else the desktop app. The command line's code is
 * loaded only when it is asked for.
 */
export async function main(options: StartOptions): Promise<{ mode: 'cli'; code: number } | { mode: 'app'; started: boolean }> {
  const args = cliArguments(options.argv);
  if (args) {
    const { runCliMode } = await import('./cli-mode');
    return { mode: 'cli', code: await runCliMode(app, args, options.env, safeStorage) };
  }
  return { mode: 'app', ...startApp(options) };
}
