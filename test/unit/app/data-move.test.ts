import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { moveNotice } from '../../../main/app/data-settle';
import { DataMoveError, LEFT_BEHIND_NOTE, moveLegacyDatabase, noteLeftBehind } from '../../../main/app/data-move';
import { createBackend } from '../../../main/core/backend';
import { inspectDatabaseFile } from '../../../main/core/backup/inspect';
import { DB_FILE } from '../../../main/core/db/open';
import { missingDatabaseSigns, openCore } from '../../../main/core/open-core';
import type { DataDirChoice } from '../../../main/core/paths';
import { newSession } from '../../../main/core/session';
import { tempDir } from '../../helpers/core';
import { signedInUser } from '../../helpers/users';
import { exited, spawnTs, waitFor } from '../../integration/safety/child';
import { legacyDatabase, pcIdOf } from './move-fixtures';

const setup = () => {
  const root = tempDir('wardkeep-move-');
  const legacyDir = path.join(root, 'AppData', 'Roaming', 'Wardkeep');
  const machineDir = path.join(root, 'ProgramData', 'Wardkeep', 'data');
  const choice: DataDirChoice = { dir: machineDir, source: 'machine', configFile: path.join(root, 'wardkeep.json'), legacyDir };
  return { root, legacyDir, machineDir, choice };
};
const at = () => new Date('2026-03-02T08:15:30.123Z');
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('the one-time move of a per-user database to the PC (main/app/data-move.ts)', () => {
  it('backs it up beside itself, copies it into the machine folder checked, and retires the old file', async () => {
    const { legacyDir, machineDir, choice } = setup();
    const pcId = await legacyDatabase(legacyDir);
    const outcome = await moveLegacyDatabase(choice, { now: at });
    const backup = path.join(legacyDir, 'wardkeep-before-move-20260302-081530Z.sqlite3');
    expect(outcome).toEqual({ kind: 'moved', from: legacyDir, to: machineDir, backup });
    // One file in each place: no temporary copy, no -wal or -shm left beside a copy.
    expect(readdirSync(machineDir).filter((f) => !f.startsWith('audit-'))).toEqual([DB_FILE]);
    expect(readdirSync(legacyDir).filter((f) => !f.startsWith('audit-')).sort()).toEqual(['wardkeep-before-move-20260302-081530Z.sqlite3', `${DB_FILE}.moved-20260302-081530Z`]);
    // The backup: a whole, checked copy of the database as it was.
    expect(inspectDatabaseFile(backup)).toMatchObject({ ok: true, counts: { users: 1 } });
    // The PC's database: the same records, the same PC id.
    const moved = path.join(machineDir, DB_FILE);
    expect(inspectDatabaseFile(moved)).toMatchObject({ ok: true, counts: { users: 1 } });
    expect(pcIdOf(moved)).toBe(pcId);
    // The old file is kept, renamed, so nothing takes it for the data again.
    expect(existsSync(path.join(legacyDir, DB_FILE))).toBe(false);
    expect(existsSync(path.join(legacyDir, `${DB_FILE}.moved-20260302-081530Z`))).toBe(true);
    // Done once: the next start finds nothing to move.
    expect(await moveLegacyDatabase(choice)).toEqual({ kind: 'none' });
  });

  it('leaves a database nobody ever set up where it is: there is nothing in it to bring', async () => {
    const { legacyDir, machineDir, choice } = setup();
    await legacyDatabase(legacyDir, { setUp: false });
    expect(await moveLegacyDatabase(choice)).toEqual({ kind: 'none' });
    expect(existsSync(path.join(legacyDir, DB_FILE))).toBe(true);
    expect(existsSync(machineDir)).toBe(false);
  });

  it('finishes a move cut off after the copy was in place (the same database: same PC id) without copying again', async () => {
    const { legacyDir, machineDir, choice } = setup();
    await legacyDatabase(legacyDir);
    mkdirSync(machineDir, { recursive: true });
    const src = new BetterSqlite3(path.join(legacyDir, DB_FILE));
    await src.backup(path.join(machineDir, DB_FILE));
    src.close();
    expect(await moveLegacyDatabase(choice, { now: at })).toEqual({ kind: 'finished', from: legacyDir, to: machineDir });
    expect(existsSync(path.join(legacyDir, DB_FILE))).toBe(false);
    expect(readdirSync(legacyDir).filter((f) => f.startsWith('wardkeep-before-move'))).toEqual([]);
  });

  it('starts again after a move cut off during the copy: a leftover copy and an empty file are not a database', async () => {
    const { legacyDir, machineDir, choice } = setup();
    await legacyDatabase(legacyDir);
    mkdirSync(machineDir, { recursive: true });
    writeFileSync(path.join(machineDir, `${DB_FILE}.moving-4242`), 'half a database');
    writeFileSync(path.join(machineDir, DB_FILE), '');
    expect(await moveLegacyDatabase(choice)).toMatchObject({ kind: 'moved' });
    expect(readdirSync(machineDir).filter((f) => !f.startsWith('audit-'))).toEqual([DB_FILE]);
    expect(inspectDatabaseFile(path.join(machineDir, DB_FILE))).toMatchObject({ ok: true, counts: { users: 1 } });
  });

  it("never merges nor changes a second user's database when the PC's already holds another; says so once", async () => {
    const { legacyDir, machineDir, choice } = setup();
    await legacyDatabase(legacyDir);
    const othersPcId = await legacyDatabase(machineDir);
    const outcome = await moveLegacyDatabase(choice);
    expect(outcome).toEqual({ kind: 'left-behind', legacyFile: path.join(legacyDir, DB_FILE), machineFile: path.join(machineDir, DB_FILE) });
    expect(pcIdOf(path.join(machineDir, DB_FILE))).toBe(othersPcId);
    expect(existsSync(path.join(legacyDir, DB_FILE))).toBe(true);
    if (outcome.kind !== 'left-behind') throw new Error('unreachable');
    noteLeftBehind(outcome, at());
    expect(readFileSync(path.join(legacyDir, LEFT_BEHIND_NOTE), 'utf8')).toMatch(/^On 2026-03-02T08:15:30\.123Z, Wardkeep started using this PC's shared database:\n {2}.+wardkeep\.sqlite3\nThe database in this folder belongs to an older, per-user Wardkeep\. It was not merged/);
    expect(await moveLegacyDatabase(choice)).toEqual({ kind: 'none' });
  });

  it("a second account's database that began as a copy of the first's (same PC id) but holds work of its own is left as it was, and the person told", async () => {
    const { root, legacyDir, machineDir, choice } = setup();
    // Account A: the older per-user Wardkeep, set up. IT once copied it to account B, who then worked on.
    const pcId = await legacyDatabase(legacyDir);
    const legacyB = path.join(root, 'ben', 'AppData', 'Roaming', 'Wardkeep');
    mkdirSync(legacyB, { recursive: true });
    copyFileSync(path.join(legacyDir, DB_FILE), path.join(legacyB, DB_FILE));
    const coreB = openCore({ dataDir: legacyB });
    try {
      const session = newSession();
      signedInUser(coreB, 'admin', { name: 'Ben Admin', session });
      expect((await createBackend(coreB).invoke(session, 'locations.create', { name: "Ben's ward" })).ok).toBe(true);
    } finally {
      coreB.close();
    }
    // A starts the new version first: A's database becomes the PC's. Then B starts it.
    expect(await moveLegacyDatabase(choice)).toMatchObject({ kind: 'moved' });
    const outcome = await moveLegacyDatabase({ ...choice, legacyDir: legacyB });
    expect(outcome).toEqual({ kind: 'left-behind', legacyFile: path.join(legacyB, DB_FILE), machineFile: path.join(machineDir, DB_FILE) });
    expect(pcIdOf(path.join(legacyB, DB_FILE))).toBe(pcId);
    expect(readdirSync(legacyB).filter((f) => f.includes('.moved-') || f.startsWith('wardkeep-before-move'))).toEqual([]);
    expect(moveNotice(outcome, null)).toMatchObject({ type: 'warning', message: "Wardkeep is using this PC's shared database." });
  });

  it('refuses a damaged database with the reason, changing nothing', async () => {
    const { legacyDir, machineDir, choice } = setup();
    mkdirSync(legacyDir, { recursive: true });
    writeFileSync(path.join(legacyDir, DB_FILE), 'not a database at all, but long enough to look like one'.repeat(100));
    const err = await moveLegacyDatabase(choice).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataMoveError);
    expect((err as Error).message).toMatch(/^(the database in .+ could not be opened|the backup before the move could not be written|The backup taken before the move did not pass its check)/);
    expect(existsSync(path.join(machineDir, DB_FILE))).toBe(false);
    expect(readdirSync(legacyDir).filter((f) => !f.startsWith('audit-'))).toEqual([DB_FILE]);
  });

  it('moves only to the default machine folder: a folder set by IT or by hand is taken as it is', async () => {
    const { legacyDir, choice } = setup();
    await legacyDatabase(legacyDir);
    expect(await moveLegacyDatabase({ ...choice, source: 'config', legacyDir: null })).toEqual({ kind: 'none' });
    expect(await moveLegacyDatabase({ ...choice, source: 'flag', legacyDir: null })).toEqual({ kind: 'none' });
    expect(existsSync(path.join(legacyDir, DB_FILE))).toBe(true);
  });

  it("does not put an old per-user database in place of the PC's database that was deleted: its backups and head log are there, so the start offers the backup", async () => {
    const { legacyDir, machineDir, choice } = setup();
    // The PC's database: every account's work, backed up nightly, with its audit head log.
    const pcDbId = await legacyDatabase(machineDir);
    mkdirSync(path.join(machineDir, 'backups'), { recursive: true });
    const nightly = path.join(machineDir, 'backups', 'wardkeep-20261201-020000000Z-auto.sqlite3');
    copyFileSync(path.join(machineDir, DB_FILE), nightly);
    // Then its file is gone (deleted by mistake, quarantined by the antivirus).
    for (const suffix of ['', '-wal', '-shm']) rmSync(path.join(machineDir, DB_FILE + suffix), { force: true });
    expect(missingDatabaseSigns(machineDir)).toMatch(/the database was deleted or moved, so this is not a new install/);

    // Ben, who last used the per-user Wardkeep a year ago, is the next to start Wardkeep on this PC.
    const bensPcId = await legacyDatabase(legacyDir);
    expect(bensPcId).not.toBe(pcDbId);
    const outcome = await moveLegacyDatabase(choice, { now: at });

    // Nothing moved, nothing said: the start goes on to the missing-database recovery.
    expect(outcome).toEqual({ kind: 'none' });
    expect(moveNotice(outcome, null)).toBeNull();
    expect(existsSync(path.join(machineDir, DB_FILE))).toBe(false);
    expect(pcIdOf(nightly)).toBe(pcDbId);
    // Ben's database is where it was, unchanged and not retired.
    expect(readdirSync(legacyDir).filter((f) => !f.startsWith('audit-'))).toEqual([DB_FILE]);
    expect(pcIdOf(path.join(legacyDir, DB_FILE))).toBe(bensPcId);
  });

  it.skipIf(process.platform === 'win32')('makes the copy in the shared folder group-writable, through the descriptor that created it', async () => {
    const { legacyDir, machineDir, choice } = setup();
    await legacyDatabase(legacyDir);
    expect(await moveLegacyDatabase(choice, { shareFile: true })).toMatchObject({ kind: 'moved' });
    expect((statSync(path.join(machineDir, DB_FILE)).mode & 0o777).toString(8)).toBe('664');
    // The copy was made and checked in a folder of Ben's own, and that folder is gone.
    expect(readdirSync(legacyDir).filter((f) => f.includes('staging'))).toEqual([]);
  });

  /** Another account of the PC: its own Wardkeep database, which it would have the move write into or put in place. */
  const mallory = async (root: string) => {
    const dir = path.join(root, 'home', 'mallory');
    await legacyDatabase(dir);
    const file = path.join(dir, DB_FILE);
    return { file, hash: sha(file) };
  };
  const linkAt = (p: string) => lstatSync(p, { throwIfNoEntry: false })?.isSymbolicLink() ?? false;

  it.skipIf(process.platform === 'win32')(
    'another account that swaps the temporary copy for a link to its own database the moment it appears: nothing is written through the link, and the link is never put in place',
    async () => {
      const { root, legacyDir, machineDir, choice } = setup();
      mkdirSync(machineDir, { recursive: true });
      // Big enough that the online copy takes many steps, with the event loop free between them.
      const pcId = await legacyDatabase(legacyDir, { fillerMb: 8 });
      const theirs = await mallory(root);
      let watching = true;
      const watch = () => {
        if (!watching) return;
        for (const name of readdirSync(machineDir)) {
          const p = path.join(machineDir, name);
          if (!name.startsWith(`${DB_FILE}.moving-`) || linkAt(p)) continue;
          unlinkSync(p);
          symlinkSync(theirs.file, p);
        }
        setImmediate(watch);
      };
      setImmediate(watch);
      const outcome = await moveLegacyDatabase(choice, { now: at }).finally(() => (watching = false));

      expect(sha(theirs.file)).toBe(theirs.hash);
      expect(outcome).toMatchObject({ kind: 'moved' });
      const moved = path.join(machineDir, DB_FILE);
      expect(linkAt(moved)).toBe(false);
      expect(pcIdOf(moved)).toBe(pcId);
      expect(inspectDatabaseFile(moved)).toMatchObject({ ok: true, counts: { users: 1 } });
    },
    60_000,
  );

  it.skipIf(process.platform === 'win32')(
    'another account watching the shared folder from its own process as fast as it can: whatever it swaps, the PC gets only the copy the move wrote, or the move is refused with the old database where it was',
    async () => {
      const { root, machineDir } = setup();
      const pristine = tempDir('wardkeep-move-pristine-');
      // 16 MB: the copy into the shared folder takes long enough for a watcher to see it.
      const pcId = await legacyDatabase(pristine, { fillerMb: 16 });
      const theirs = await mallory(root);
      mkdirSync(machineDir, { recursive: true });
      const swapper = spawnTs('test/unit/app/children/link-swapper.ts', [machineDir, theirs.file]);
      try {
        await waitFor(() => swapper.lines.includes('ready'), 30_000, 'the other account to watch', swapper);
        for (let round = 0; round < 3; round++) {
          const legacyDir = path.join(root, `user-${round}`);
          mkdirSync(legacyDir);
          copyFileSync(path.join(pristine, DB_FILE), path.join(legacyDir, DB_FILE));
          const outcome = await moveLegacyDatabase({ dir: machineDir, source: 'machine', configFile: path.join(root, 'x.json'), legacyDir }).catch((e: unknown) => e);
          expect(sha(theirs.file)).toBe(theirs.hash);
          const moved = path.join(machineDir, DB_FILE);
          expect(linkAt(moved)).toBe(false);
          if (outcome instanceof Error) {
            expect(outcome).toBeInstanceOf(DataMoveError);
            expect(outcome.message).toMatch(/was replaced by another file or a link while it was put in place/);
            expect(existsSync(moved)).toBe(false);
            expect(existsSync(path.join(legacyDir, DB_FILE))).toBe(true);
          } else {
            expect(outcome).toMatchObject({ kind: 'moved' });
            expect(pcIdOf(moved)).toBe(pcId);
            rmSync(moved);
          }
        }
      } finally {
        swapper.kill('SIGKILL');
        await exited(swapper);
      }
    },
    120_000,
  );

  it("a folder another account put in the shared folder under the copy's name does not stop Wardkeep starting", async () => {
    const { legacyDir, machineDir, choice } = setup();
    mkdirSync(path.join(machineDir, `${DB_FILE}.moving-4242`), { recursive: true });
    // Every start on the PC's folder looks for a move's leftovers, whether or not there is anything to move.
    expect(await moveLegacyDatabase(choice)).toEqual({ kind: 'none' });
    await legacyDatabase(legacyDir);
    expect(await moveLegacyDatabase(choice)).toMatchObject({ kind: 'moved' });
    expect(inspectDatabaseFile(path.join(machineDir, DB_FILE))).toMatchObject({ ok: true, counts: { users: 1 } });
  });
});
