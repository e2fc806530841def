import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli';
import { backupToFolder } from '../../../main/core/backup/folder';
import { testCore } from '../../helpers/core';

async function cli(args: string[], cwd = process.cwd()) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: {}, cwd });
  return { code, stdout, stderr };
}

describe('wardkeep backup over an existing backup', () => {
  it('refuses to write over a backup in the backup folder and leaves it as it was', async () => {
    const core = testCore();
    const b = await backupToFolder(core, 'auto');
    const before = readFileSync(b.file);
    core.close();
    const res = await cli(['--data-dir', core.dataDir, 'backup', b.file]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/will not write over it/);
    expect(readFileSync(b.file).equals(before)).toBe(true);
    const relative = await cli(['--data-dir', core.dataDir, 'backup', path.join('backups', '.', path.basename(b.file))], core.dataDir);
    expect(relative.code).toBe(1);
  });
});
