import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/core';

/** The real `wardkeep` binary on plain Node, as an administrator's scheduled job would run it. */
describe('the wardkeep binary', () => {
  it('runs verify on a new folder and exits 0', () => {
    const dir = path.join(tempDir(), 'data');
    // Verify (and every command that only reads) never creates a database: a first import makes it.
    const inventory = path.join(tempDir(), 'inventory.csv');
    writeFileSync(inventory, 'asset_tag,name,location\nP1,Pump,Ward\n');
    expect(spawnSync(process.execPath, ['bin/wardkeep.js', '--data-dir', dir, 'import', 'equipment', inventory], { encoding: 'utf8' }).status).toBe(0);
    const r = spawnSync(process.execPath, ['bin/wardkeep.js', '--data-dir', dir, 'verify'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('The database is healthy.');
  });

  it('prints usage and exits 2 without a command', () => {
    const r = spawnSync(process.execPath, ['bin/wardkeep.js'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('Usage: wardkeep');
  });
});
