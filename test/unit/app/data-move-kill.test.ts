import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { moveLegacyDatabase } from '../../../main/app/data-move';
import { inspectDatabaseFile } from '../../../main/core/backup/inspect';
import { DB_FILE } from '../../../main/core/db/open';
import { tempDir } from '../../helpers/core';
import { exited, sleep, spawnTs, waitFor } from '../../integration/safety/child';
import { legacyDatabase, pcIdOf } from './move-fixtures';

const fillerRows = (file: string) => inspectDatabaseFile(file, { quick: true });

describe('the one-time move killed at a random moment', () => {
  it('always leaves one whole database, which the next start moves or keeps, never two live ones nor none', async () => {
    const pristine = tempDir('wardkeep-move-pristine-');
    // Big enough (16 MB) that the two online copies take a while, so the kills land inside them.
    const pcId = await legacyDatabase(pristine, { fillerMb: 16 });
    const kinds = new Set<string>();
    for (let kill = 0; kill < 4; kill++) {
      const root = tempDir('wardkeep-move-kill-');
      const legacyDir = path.join(root, 'user');
      const machineDir = path.join(root, 'machine');
      mkdirSync(legacyDir);
      copyFileSync(path.join(pristine, DB_FILE), path.join(legacyDir, DB_FILE));

      const child = spawnTs('test/unit/app/children/mover.ts', [legacyDir, machineDir]);
      await waitFor(() => child.lines.includes('ready') || child.exitCode !== null, 30_000, 'the mover to start', child);
      // The first kill as soon as the move begins, the others later and later: at least one lands inside it however fast the disk.
      await sleep(Math.floor(Math.random() * [0, 40, 120, 250][kill]!));
      child.kill('SIGKILL');
      await exited(child);

      // Whatever moment it was: the data is whole in exactly one live place (or, between the
      // copy and the retirement of the old file, the same database in both).
      const live = [path.join(legacyDir, DB_FILE), path.join(machineDir, DB_FILE)].filter((f) => existsSync(f));
      expect(live.length, child.stderrText()).toBeGreaterThan(0);
      for (const f of live) {
        expect(fillerRows(f)).toMatchObject({ ok: true, counts: { users: 1 } });
        expect(pcIdOf(f)).toBe(pcId);
      }

      // The next start completes it.
      const outcome = await moveLegacyDatabase({ dir: machineDir, source: 'machine', configFile: path.join(root, 'x.json'), legacyDir });
      kinds.add(outcome.kind);
      expect(['moved', 'finished', 'none']).toContain(outcome.kind);
      expect(existsSync(path.join(legacyDir, DB_FILE))).toBe(false);
      expect(readdirSync(machineDir)).toEqual([DB_FILE]);
      expect(inspectDatabaseFile(path.join(machineDir, DB_FILE))).toMatchObject({ ok: true, counts: { users: 1 } });
      expect(pcIdOf(path.join(machineDir, DB_FILE))).toBe(pcId);
    }
    // At least one kill fell inside a move (the next start had to move it again).
    expect(kinds.has('moved')).toBe(true);
  }, 60_000);
});
