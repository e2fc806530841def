import { copyFileSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { headLogPath } from '../../../main/core/anchors/head-log';
import { DB_FILE } from '../../../main/core/db/open';
import type { DataDirChoice } from '../../../main/core/paths';
import { tempDir } from '../../helpers/core';
import { legacyDatabase } from './move-fixtures';

/** The stand-in for electron's dialog (as recovery.test.ts): records what the person is shown. */
const fake = vi.hoisted(() => ({ boxes: [] as { message: string; detail?: string }[], errors: [] as string[] }));
vi.mock('electron', () => ({
  dialog: {
    showMessageBox: (options: { message: string; detail?: string }) => {
      fake.boxes.push(options);
      return Promise.resolve({ response: 1, checkboxChecked: false });
    },
    showErrorBox: (_title: string, message: string) => fake.errors.push(message),
  },
}));

const { openCoreOrRecover } = await import('../../../main/app/recovery');
const { auditMove, settleDataFolder } = await import('../../../main/app/data-settle');

// The preparation sets the process's umask for a shared folder (002): put back after each test.
let umask = 0o022;
beforeEach(() => {
  Object.assign(fake, { boxes: [], errors: [] });
  umask = process.umask(0o022);
  process.umask(umask);
});
afterEach(() => {
  process.umask(umask);
});

/** lifecycle.ts's start, in order: settle the folder, open (or offer recovery), record the move. */
async function start(choice: DataDirChoice) {
  const settled = await settleDataFolder(choice);
  const core = await openCoreOrRecover({ dataDir: settled.choice.dir });
  if (core) auditMove(core, settled.moved);
  return { settled, core };
}

function machineChoice(source: DataDirChoice['source'] = 'machine') {
  const root = tempDir('wardkeep-start-');
  const legacyDir = path.join(root, 'home', 'ana', '.config', 'Wardkeep');
  const machineDir = path.join(root, 'var', 'lib', 'wardkeep');
  mkdirSync(machineDir, { recursive: true }); // the .deb made it (macOS: Wardkeep makes it at first start)
  const choice: DataDirChoice = { dir: machineDir, source, configFile: path.join(root, 'etc', 'wardkeep', 'wardkeep.json'), legacyDir: source === 'machine' ? legacyDir : null };
  return { root, choice, legacyDir, machineDir };
}

const moves = (core: { db: { prepare(sql: string): { all(): unknown[] } } }) =>
  (core.db.prepare("SELECT new_value FROM audit_log WHERE action = 'move' AND entity = 'database'").all() as { new_value: string }[]).map((r) => JSON.parse(r.new_value) as Record<string, unknown>);

describe.skipIf(process.platform === 'win32')('the first start on a shared data folder (macOS, Linux .deb, a folder IT set)', () => {
  for (const source of ['machine', 'config'] as const) {
    it(`a brand-new PC (${source === 'machine' ? "the PC's own folder" : 'a new folder IT named in wardkeep.json'}) opens a new database, writable by every account, instead of calling it damaged`, async () => {
      const { choice, machineDir } = machineChoice(source);
      const { core } = await start(choice);
      try {
        expect(fake.boxes.map((b) => b.message)).toEqual([]);
        expect(fake.errors).toEqual([]);
        expect(core).not.toBeNull();
        // Group-writable from the first start: the database, and the -wal and -shm SQLite gives its mode.
        for (const f of [DB_FILE, `${DB_FILE}-wal`, `${DB_FILE}-shm`]) expect(statSync(path.join(machineDir, f)).mode & 0o060, f).toBe(0o060);
      } finally {
        core?.close();
      }
      // And the next start opens it again.
      const again = await start(choice);
      expect(again.core).not.toBeNull();
      again.core?.close();
    });
  }
});

describe.skipIf(process.platform === 'win32')('a PC where an earlier version stopped at its first start', () => {
  it('the empty wardkeep.sqlite3 that version made is taken for the new install it was: a new database opens', async () => {
    const { choice, machineDir } = machineChoice();
    writeFileSync(path.join(machineDir, DB_FILE), '', { mode: 0o664 });
    const { core } = await start(choice);
    try {
      expect(fake.errors).toEqual([]);
      expect(fake.boxes.map((b) => b.message)).toEqual([]);
      expect(core).not.toBeNull();
      expect(statSync(path.join(machineDir, DB_FILE)).size).toBeGreaterThan(0);
    } finally {
      core?.close();
    }
  });

  it('an emptied database beside its audit head log is still damage, never replaced by a new one', async () => {
    const { choice, machineDir } = machineChoice();
    const first = await start(choice);
    first.core?.close();
    expect(existsSync(headLogPath(machineDir))).toBe(true);
    writeFileSync(path.join(machineDir, DB_FILE), '');
    const { core } = await start(choice);
    core?.close();
    expect(core).toBeNull();
    expect(statSync(path.join(machineDir, DB_FILE)).size).toBe(0);
  });
});

describe('a move cut off before it was recorded', () => {
  it('a move cut off after the old file was retired but before the audit entry still ends in the audit trail, once', async () => {
    const { choice, machineDir, legacyDir } = machineChoice();
    await legacyDatabase(legacyDir);
    // The first start moves the database, then the power goes before the database is opened and the move recorded.
    expect((await settleDataFolder(choice)).moved).toMatchObject({ kind: 'moved' });
    const { core } = await start(choice);
    try {
      expect(core!.dataDir).toBe(machineDir);
      // docs/deploy.md step 4: the move is recorded in the moved database's audit trail.
      expect(moves(core!)).toEqual([{ dataDir: machineDir, backup: expect.stringMatching(/wardkeep-before-move-\d{8}-\d{6}Z\.sqlite3$/), finishedAfterInterruption: true }]);
    } finally {
      core?.close();
    }
    const { core: later } = await start(choice);
    try {
      expect(moves(later!)).toHaveLength(1);
    } finally {
      later?.close();
    }
  });

  it('a move cut off between the copy and the retirement of the old file is finished and recorded once', async () => {
    const { choice, machineDir, legacyDir } = machineChoice();
    await legacyDatabase(legacyDir);
    const kept = path.join(tempDir('wardkeep-start-copy-'), DB_FILE);
    copyFileSync(path.join(legacyDir, DB_FILE), kept);
    expect((await settleDataFolder(choice)).moved).toMatchObject({ kind: 'moved' });
    // As if the old file had not been retired yet.
    copyFileSync(kept, path.join(legacyDir, DB_FILE));
    const { settled, core } = await start(choice);
    try {
      expect(settled.moved).toMatchObject({ kind: 'finished' });
      expect(existsSync(path.join(legacyDir, DB_FILE))).toBe(false);
      expect(moves(core!)).toEqual([expect.objectContaining({ dataDir: machineDir, finishedAfterInterruption: true })]);
    } finally {
      core?.close();
    }
  });
});
