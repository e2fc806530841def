import { resolveDataDir } from '../core/paths';

/** `--data-dir DIR` or `--data-dir=DIR` on the app's command line. */
export function dataDirFlag(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--data-dir') return argv[i + 1];
    if (arg.startsWith('--data-dir=')) return arg.slice('--data-dir='.length);
  }
  return undefined;
}

/** Same order as the CLI: the flag, then WARDKEEP_DATA_DIR, then Electron's userData folder. */
export function appDataDir(argv: readonly string[], env: NodeJS.ProcessEnv, userData: string): string {
  return resolveDataDir(dataDirFlag(argv), env, userData);
}
