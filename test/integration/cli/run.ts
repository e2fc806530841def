import { runCli } from '../../../main/cli/index';
import { tempDir } from '../../helpers/core';

/** Runs `wardkeep …` in-process on a data folder, from `cwd`; returns the exit code and what it printed. */
export function cli(dataDir: string, cwd: string) {
  return async (...argv: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await runCli(['--data-dir', dataDir, ...argv], {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      env: {},
      cwd,
    });
    return { code, stdout, stderr };
  };
}

/** A fresh data folder and a working folder for the files a command reads and writes. */
export function cliFolders() {
  const dataDir = tempDir();
  const work = tempDir();
  return { dataDir, work, run: cli(dataDir, work) };
}
