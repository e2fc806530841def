import { mkdirSync, renameSync, rmdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { anchorKeyProtectors } from '../../../main/app/anchor-key';
import { anchorsOf } from '../../../main/core/anchors';
import type { AnchorCheck } from '../../../main/core/anchors/check';
import { KEY_FOLDER } from '../../../main/core/anchors/key';
import { LEGACY_VERIFIED_FILE, verifiedFile } from '../../../main/core/anchors/position';
import { appendAudit } from '../../../main/core/audit';
import { createBackend } from '../../../main/core/backend';
import { backupToFolder } from '../../../main/core/backup/folder';
import type { Core } from '../../../main/core/context';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { openCore } from '../../../main/core/open-core';
import { runStartupChecks } from '../../../main/core/system/startup-checks';
import { runJob, stopWorker } from '../../../main/core/worker/run';
import { fixedClock, tempDir, testActor } from '../../helpers/core';

/**
 * The data folder belongs to the PC, shared by every account on it (docs/data.md), and each
 * account's anchor key is wrapped by its own safeStorage: no account can check what another
 * signed. Nurses and technicians each sign in to Windows as themselves, so the app starts under
 * one account, then another. Each start must go on from where that account's last check left off,
 * not run the deep check (every page, the whole trail) again because the last check was another
 * account's.
 */

/**
 * One account's safeStorage, as Electron's on Windows (DPAPI): it decrypts only what it encrypted,
 * and throws for another account's data. The app's own protectors are made from it.
 */
function safeStorageOf(account: string) {
  return {
    isEncryptionAvailable: () => true,
    encryptString: (text: string) => Buffer.from(JSON.stringify({ account, text })),
    decryptString: (data: Buffer) => {
      const v = JSON.parse(data.toString('utf8')) as { account: string; text: string };
      if (v.account !== account) throw new Error('The data was encrypted by another user.');
      return v.text;
    },
  };
}

function wardPc() {
  const dataDir = tempDir();
  const clock = fixedClock('2026-11-23T08:00:00Z');
  /** The app started by `account` on `day`, `entries` written, then the start-up checks and `then`; closed after. */
  const start = async (account: string, day: string, entries: number, then?: (core: Core) => Promise<unknown>) => {
    clock.set(`${day}T08:00:00Z`);
    // As the app: the account's safeStorage first, then the command line's file key (main/app/anchor-key.ts).
    const core = openCore({ dataDir, clock, keyProtectors: anchorKeyProtectors(safeStorageOf(account), 'win32') });
    try {
      for (let i = 0; i < entries; i++)
        inTransaction(core, (w) => appendAudit(w, { ...testActor, name: account }, { action: 'create', entity: 'thing', entityId: `${account}-${i}`, new: { n: i } }));
      const health = await runStartupChecks({ core, emit: createBackend(core).emit });
      const head = core.db.prepare('SELECT max(seq) FROM audit_log').pluck().get() as number;
      const after = await then?.(core);
      return { health, head, key: anchorsOf(core)!.ring.signing!.id, after };
    } finally {
      core.close();
    }
  };
  return { dataDir, start };
}

describe('a data folder shared by the accounts of one ward PC', () => {
  it("goes on from each account's own last check, whoever started the app in between", async () => {
    const pc = wardPc();
    const alice = await pc.start('alice', '2026-11-23', 20);
    // Each account's first start is a deep check.
    expect(alice.health.integrity).toEqual({ state: 'ok', checkedAt: '2026-11-23T08:00:00.000Z' });
    const bob = await pc.start('bob', '2026-11-24', 5);
    expect(bob.key).not.toBe(alice.key);
    expect(bob.health.integrity).toEqual({ state: 'ok', checkedAt: '2026-11-24T08:00:00.000Z' });

    // Alice again: only what was written since her last check (Bob's five entries and her three),
    // and her deep check of Monday stands.
    const again = await pc.start('alice', '2026-11-25', 3);
    expect(again.health.auditChain).toMatchObject({ ok: true, from: alice.head + 1, entries: 8 });
    expect(again.health.integrity).toEqual({ state: 'ok', checkedAt: '2026-11-23T08:00:00.000Z' });
    const anchors = again.health.anchors as AnchorCheck;
    expect(anchors).toMatchObject({ ok: true, findings: [] });
    // Bob's lines are his key's: Alice cannot check their signatures, and says so.
    expect(anchors.notes.join(' ')).toContain('signed with a key this account does not hold (not checked)');

    const bobAgain = await pc.start('bob', '2026-11-26', 2);
    expect(bobAgain.health.auditChain).toMatchObject({ ok: true, from: bob.head + 1, entries: 3 + 2 });
    expect(bobAgain.health.integrity).toEqual({ state: 'ok', checkedAt: '2026-11-24T08:00:00.000Z' });
  });

  it("takes the lines of an account whose key file it cannot read (owner-only, on macOS and Linux) as that account's, not a stranger's", async () => {
    const pc = wardPc();
    const alice = await pc.start('alice', '2026-11-23', 4);
    // Alice's key file as Bob meets it there: he may not read it. (The tests run as root, whom no
    // file mode stops: a folder in its place fails to read as the owner-only file does.)
    const file = path.join(pc.dataDir, KEY_FOLDER, `${alice.key}.json`);
    renameSync(file, `${file}.aside`);
    mkdirSync(file);
    // Bob's start, and a backup he makes: it is checked against the head log before it is kept.
    const bob = await pc.start('bob', '2026-11-24', 1, (core) => backupToFolder(core, 'manual'));
    const anchors = bob.health.anchors as AnchorCheck;
    expect(anchors.findings).toEqual([]);
    expect(anchors.notes.join(' ')).toContain('signed with a key this account does not hold (not checked)');
    expect(bob.after).toMatchObject({ file: expect.stringMatching(/-manual\.sqlite3$/) });
    // Alice, who can read her own file, checks her lines and Bob's as before.
    rmdirSync(file);
    renameSync(`${file}.aside`, file);
    const again = await pc.start('alice', '2026-11-25', 1);
    expect(again.health.anchors).toMatchObject({ ok: true, findings: [] });
  });

  it("keeps the backups each account's app makes in its worker thread, with the other accounts' lines in the log", async () => {
    const pc = wardPc();
    await pc.start('alice', '2026-11-23', 3);
    await pc.start('bob', '2026-11-24', 2);
    // Alice's app again: the schedule's backup and one from the Backups screen run in the worker,
    // and so does a restore, which checks the backup against the head log before it is put in place.
    const alice = await pc.start('alice', '2026-11-25', 1, async (core) => {
      try {
        const backup = await runJob(core, 'backup.folder', { reason: 'auto' });
        const restored = await runJob(core, 'restore', { origin: 'backups.restore', actor: testActor, file: backup.file });
        return { backup, restored };
      } finally {
        await stopWorker(core);
      }
    });
    expect(alice.after).toMatchObject({ backup: { file: expect.stringMatching(/-auto\.sqlite3$/) }, restored: expect.anything() });
  });

  it("keeps Alice's backups when Bob uses Wardkeep for the first time while her app is open (switching users)", async () => {
    const pc = wardPc();
    await pc.start('alice', '2026-11-23', 3, async (alicesApp) => {
      try {
        await runJob(alicesApp, 'backup.folder', { reason: 'auto' });
        // Bob signs in to Windows beside her and starts Wardkeep: his key is made, his lines written.
        await pc.start('bob', '2026-11-23', 2);
        const later = await runJob(alicesApp, 'backup.folder', { reason: 'manual' });
        expect(later.file).toMatch(/-manual\.sqlite3$/);
        // Her app's check of the head log (at a start, or its weekly deep check) takes Bob's lines as his too.
        const checked = await runStartupChecks({ core: alicesApp, emit: createBackend(alicesApp).emit });
        expect(checked.anchors).toMatchObject({ ok: true, findings: [] });
      } finally {
        await stopWorker(alicesApp);
      }
    });
  });

  it('goes on from the one position file an older Wardkeep kept, once, then from its own', async () => {
    const pc = wardPc();
    const alice = await pc.start('alice', '2026-11-23', 10);
    // What Wardkeep wrote until this version: the same signed position, in one file for every account.
    renameSync(verifiedFile(pc.dataDir, alice.key), path.join(pc.dataDir, LEGACY_VERIFIED_FILE));
    const upgraded = await pc.start('alice', '2026-11-24', 2);
    expect(upgraded.health.auditChain).toMatchObject({ ok: true, from: alice.head + 1, entries: 2 });
    expect(upgraded.health.integrity).toEqual({ state: 'ok', checkedAt: '2026-11-23T08:00:00.000Z' });
    const next = await pc.start('alice', '2026-11-25', 1);
    expect(next.health.auditChain).toMatchObject({ ok: true, from: upgraded.head + 1, entries: 1 });
  });

  it("does not take another account's position as this account's (a file renamed to its name): the whole trail is checked", async () => {
    const pc = wardPc();
    const alice = await pc.start('alice', '2026-11-23', 10);
    const bob = await pc.start('bob', '2026-11-24', 1);
    // Bob's position put where Alice's is kept: signed with a key Alice does not hold.
    renameSync(verifiedFile(pc.dataDir, bob.key), verifiedFile(pc.dataDir, alice.key));
    const again = await pc.start('alice', '2026-11-25', 1);
    expect(again.health.auditChain).toMatchObject({ ok: true, entries: again.head });
    expect(again.health.integrity).toEqual({ state: 'ok', checkedAt: '2026-11-25T08:00:00.000Z' });
  });
});
