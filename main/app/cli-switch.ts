/** The switch the installed launchers (wardkeep.cmd, bin/wardkeep) put before the command line. */
export const CLI_SWITCH = '--cli';

/** The command line's own arguments when the app was started as `Wardkeep --cli …`, else null. */
export function cliArguments(argv: readonly string[]): string[] | null {
  const at = argv.indexOf(CLI_SWITCH);
  return at === -1 ? null : argv.slice(at + 1);
}
