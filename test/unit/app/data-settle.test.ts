import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditMove, moveNotice, settleDataFolder } from '../../../main/app/data-settle';
import { DB_FILE } from '../../../main/core/db/open';
import { openCore } from '../../../main/core/open-core';
import type { DataDirChoice } from '../../../main/core/paths';
import { tempDir } from '../../helpers/core';
import { legacyDatabase } from './move-fixtures';

function machineChoice() {
  const root = tempDir('wardkeep-settle-');
  const legacyDir = path.join(root, 'home', '.config', 'Wardkeep');
  const machineDir = path.join(root, 'var', 'lib', 'wardkeep');
  mkdirSync(machineDir, { recursive: true }); // the .deb made it
  const choice: DataDirChoice = { dir: machineDir, source: 'machine', configFile: path.join(root, 'etc', 'wardkeep.json'), legacyDir };
  return { choice, legacyDir, machineDir };
}

describe('the data folder at start (main/app/data-settle.ts)', () => {
  it('moves the old database, records the move in its audit trail, and tells the person where it went', async () => {
    const { choice, legacyDir, machineDir } = machineChoice();
    await legacyDatabase(legacyDir);
    const settled = await settleDataFolder(choice);
    expect(settled).toMatchObject({ choice, moved: { kind: 'moved', from: legacyDir, to: machineDir }, problem: null });
    // On a shared folder, the moved file is writable by the PC's other accounts (and so its -wal and -shm).
    if (process.platform !== 'win32') expect(statSync(path.join(machineDir, DB_FILE)).mode & 0o060).toBe(0o060);
    const core = openCore({ dataDir: machineDir });
    try {
      auditMove(core, settled.moved);
      const entry = core.db.prepare("SELECT actor_name, via, old_value, new_value FROM audit_log WHERE action = 'move' AND entity = 'database'").get() as Record<string, string>;
      expect(entry).toMatchObject({ actor_name: 'Wardkeep', via: 'system' });
      expect(JSON.parse(entry.old_value!)).toEqual({ dataDir: legacyDir });
      expect(JSON.parse(entry.new_value!)).toEqual({ dataDir: machineDir, backup: expect.stringMatching(/wardkeep-before-move-\d{8}-\d{6}Z\.sqlite3$/) });
    } finally {
      core.close();
    }
    expect(moveNotice(settled.moved, null)).toMatchObject({ type: 'info', message: 'Wardkeep now keeps its data for every user of this PC.', detail: expect.stringContaining(`moved from ${legacyDir} to ${machineDir}`) });
  });

  it("carries on with the old database where it is when it cannot be moved, and says so", async () => {
    const { choice, legacyDir } = machineChoice();
    mkdirSync(legacyDir, { recursive: true });
    writeFileSync(path.join(legacyDir, DB_FILE), 'x'.repeat(4096));
    const settled = await settleDataFolder(choice);
    expect(settled.choice).toMatchObject({ dir: legacyDir, source: 'user', legacyDir: null });
    expect(settled.problem).toMatch(/^Wardkeep could not move its database from .+ to this PC's shared folder .+: .+\. Nothing was changed, and Wardkeep carries on with the database where it is\./);
    expect(moveNotice(settled.moved, settled.problem)).toMatchObject({ type: 'warning', message: 'Wardkeep could not move its database.' });
  });

  it('says nothing when there was nothing to move', async () => {
    const { choice } = machineChoice();
    const settled = await settleDataFolder(choice);
    expect(settled).toMatchObject({ moved: { kind: 'none' }, problem: null });
    expect(moveNotice(settled.moved, null)).toBeNull();
  });
});
