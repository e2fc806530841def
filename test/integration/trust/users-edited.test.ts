import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../../main/core/backend';
import { openCore } from '../../../main/core/open-core';
import { newSession } from '../../../main/core/session';
import { runStartupChecks } from '../../../main/core/system/startup-checks';
import { stopWorker } from '../../../main/core/worker/run';
import { loggingWorld, threePoints } from '../completions/fixture';
import { cli } from './helpers';

/**
 * Attack: a technician at the ward PC edits the users table with sqlite3 (no trigger stops an
 * UPDATE of users): makes himself an administrator, or puts his own PIN hash on another user's row.
 */
async function closedWorld() {
  const w = await loggingWorld();
  await w.as(w.tom)('completions.log', {
    planId: w.pumpPlan.id,
    performedAt: '2026-11-25T09:30:00Z',
    result: threePoints([[12, null], [100, null], [500, null]], w.analyser.id, w.calibration.id),
    secret: '1357',
  });
  await runStartupChecks(w.backend);
  const dir = w.core.dataDir;
  await stopWorker(w.core);
  w.core.close();
  return { w, dir };
}

const sql = (dir: string, run: (db: BetterSqlite3.Database) => void) => {
  const db = new BetterSqlite3(path.join(dir, 'wardkeep.sqlite3'));
  run(db);
  db.close();
};

describe('the users table edited outside Wardkeep', () => {
  it('a technician who made himself administrator with sqlite3 cannot sign in with it, and wardkeep verify names it; the role set again on the Users screen ends it', async () => {
    const { w, dir } = await closedWorld();
    sql(dir, (db) => {
      db.prepare("UPDATE users SET role = 'admin' WHERE name = 'Tom Tech'").run();
    });
    // Before, the edit worked: Tom signed in with the administrator's channels and made an administrator.
    const core = openCore({ dataDir: dir, clock: w.clock });
    const backend = createBackend(core);
    const tom = newSession(w.clock.now().getTime());
    expect(await backend.invoke(tom, 'auth.signIn', { name: 'Tom Tech', secret: '1357' })).toEqual({
      ok: false,
      error: {
        code: 'forbidden',
        message: "Tom Tech's account was changed outside Wardkeep (the database file was edited): it cannot sign in until an administrator sets its role again on the Users screen. Ask IT to run wardkeep verify.",
      },
    });
    expect(tom.user).toBeNull();
    await stopWorker(core);
    core.close();
    const res = await cli(['--data-dir', dir, 'verify']);
    expect(res.code).toBe(1);
    expect(res.stdout + res.stderr).toContain('Users: User "Tom Tech" is administrator in the database, but the audit trail last made them technician: the role was changed outside Wardkeep.');

    // The administrator sets Tom's role again (technician): recorded, and Tom signs in as a technician.
    const again = openCore({ dataDir: dir, clock: w.clock });
    const back = createBackend(again);
    const ada = newSession(w.clock.now().getTime());
    expect(await back.invoke(ada, 'auth.signIn', { name: 'Ada Admin', secret: '2468' })).toMatchObject({ ok: true });
    const id = again.db.prepare("SELECT id FROM users WHERE name = 'Tom Tech'").pluck().get() as string;
    expect(await back.invoke(ada, 'users.update', { id, name: 'Tom Tech', role: 'technician', homeLocationId: null })).toMatchObject({ ok: true });
    const tom2 = newSession(w.clock.now().getTime());
    expect(await back.invoke(tom2, 'auth.signIn', { name: 'Tom Tech', secret: '1357' })).toMatchObject({ ok: true, value: { name: 'Tom Tech', role: 'technician' } });
    await stopWorker(again);
    again.close();
    expect((await cli(['--data-dir', dir, 'verify'])).code).toBe(0);
  });

  it("another user's PIN hash replaced by the attacker's own is named by wardkeep verify", async () => {
    const { w, dir } = await closedWorld();
    sql(dir, (db) => {
      const mine = db.prepare("SELECT pin_hash FROM users WHERE name = 'Tom Tech'").pluck().get();
      db.prepare("UPDATE users SET pin_hash = ? WHERE name = 'Ada Admin'").run(mine);
    });
    // Tom now signs as Ada with his own PIN.
    const core = openCore({ dataDir: dir, clock: w.clock });
    const backend = createBackend(core);
    const ada = newSession(w.clock.now().getTime());
    expect(await backend.invoke(ada, 'auth.signIn', { name: 'Ada Admin', secret: '1357' })).toMatchObject({ ok: true });
    await stopWorker(core);
    core.close();
    const res = await cli(['--data-dir', dir, 'verify']);
    expect(res.code).toBe(1);
    expect(res.stdout + res.stderr).toContain('Users: Users Ada Admin, Tom Tech have the same PIN hash: one was copied onto another account outside Wardkeep, so one can sign as the other.');
  });

  it('the accounts verify names are in the order the Users screen lists them, accents and case aside', async () => {
    const w = await loggingWorld();
    await w.call('users.create', { name: 'Zoe Ward', role: 'technician', temporaryPin: '2580', homeLocationId: null });
    await w.call('users.create', { name: 'Élodie Nurse', role: 'technician', temporaryPin: '2580', homeLocationId: null });
    await w.call('users.create', { name: 'Øyvind Tech', role: 'technician', temporaryPin: '2580', homeLocationId: null });
    const dir = w.core.dataDir;
    await stopWorker(w.core);
    w.core.close();
    sql(dir, (db) => {
      const mine = db.prepare("SELECT pin_hash FROM users WHERE name = 'Tom Tech'").pluck().get();
      db.prepare("UPDATE users SET pin_hash = ? WHERE name IN ('Zoe Ward', 'Élodie Nurse')").run(mine);
      db.prepare("UPDATE users SET role = 'admin' WHERE name IN ('Zoe Ward', 'Élodie Nurse', 'Øyvind Tech')").run();
    });
    const res = await cli(['--data-dir', dir, 'verify']);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('Users: Users Élodie Nurse, Tom Tech, Zoe Ward have the same PIN hash');
    const raised = res.stderr.split('\n').filter((l) => l.includes('is administrator in the database')).map((l) => /User "([^"]+)"/.exec(l)?.[1]);
    expect(raised).toEqual(['Élodie Nurse', 'Øyvind Tech', 'Zoe Ward']);
  });
});
