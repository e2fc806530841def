import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { useHashCostForTests } from '../../../main/core/auth/passwords';
import { createBackend } from '../../../main/core/backend';
import { newSession } from '../../../main/core/session';
import { tempDir, testCore } from '../../helpers/core';
import { exited, spawnTs, waitFor } from '../safety/child';
import { answer } from './sign-in-answer';

afterEach(() => useHashCostForTests(1 << 12));

/**
 * Issue 13, item 7, across processes (docs/security.md, "Sign-in": "in one process or several").
 * Two processes, each with its own connection to the same database file, send twenty wrong PINs
 * for the same user at the same moment. The count lives in the database, not in either process:
 * together they get the configured five tries and no more, and every other attempt is refused
 * (and audited) as locked.
 */
describe('sign-in raced from two processes (item 7)', () => {
  it('lets forty attempts from two processes at once try no more than the lockout allows', async () => {
    // The real clock in both processes: the lock's end is compared with each one's own time.
    const core = testCore();
    const backend = createBackend(core);
    const admin = newSession();
    expect(await backend.invoke(admin, 'auth.setupFirstAdmin', { name: 'Ada Admin', password: 'correct horse battery', pin: '2468' })).toMatchObject({ ok: true });
    expect(await backend.invoke(admin, 'users.create', { name: 'Tom Tech', role: 'technician', temporaryPin: '2580' })).toMatchObject({ ok: true });
    // Tom's PIN hashed at a cost that takes a while to check, so the two processes' attempts overlap.
    useHashCostForTests(1 << 15);
    const tom = newSession();
    expect(await backend.invoke(tom, 'auth.signIn', { name: 'Tom Tech', secret: '2580' })).toMatchObject({ ok: true });
    expect(await backend.invoke(tom, 'auth.setOwnPin', { currentSecret: '2580', newPin: '1357' })).toMatchObject({ ok: true });
    const audit = (action: string) => core.db.prepare("SELECT count(*) FROM audit_log WHERE action = ? AND entity = 'user'").pluck().get(action) as number;
    const before = { failed: audit('sign_in_failed'), refused: audit('sign_in_refused_locked'), locked: audit('account_locked') };

    const go = path.join(tempDir(), 'go');
    const other = spawnTs('test/integration/trust/children/sign-in-guesser.ts', [core.dataDir, go, 'Tom Tech', '5000', '20']);
    try {
      await waitFor(() => other.lines.includes('ready'), 30_000, 'the second process to open the database', other);
      writeFileSync(go, '');
      const guesses = Array.from({ length: 20 }, (_, i) => String(2000 + i * 7).padStart(4, '0'));
      const mine = (await Promise.all(guesses.map((secret) => backend.invoke(newSession(), 'auth.signIn', { name: 'Tom Tech', secret })))).map(answer);
      await waitFor(() => other.lines.includes('done'), 60_000, 'the second process to finish', other);
      expect(await exited(other)).toMatchObject({ code: 0 });
      const theirs = other.lines.filter((l) => l !== 'ready' && l !== 'done');
      expect(theirs).toHaveLength(20);

      const all = [...mine, ...theirs];
      expect(all.filter((a) => a !== 'tried' && a !== 'refused')).toEqual([]);
      expect(all.filter((a) => a === 'tried')).toHaveLength(5);
      // Every attempt counted in the database: five tried (no more), each of the other 35 refused and audited as locked.
      expect(audit('sign_in_failed') - before.failed).toBe(5);
      expect(audit('sign_in_refused_locked') - before.refused).toBe(35);
      expect(audit('account_locked') - before.locked).toBe(1);
      // Both processes were in the race: each had guesses tried before the lock.
      expect(mine, "this process tried a guess").toContain('tried');
      expect(theirs, 'the second process tried a guess').toContain('tried');
      // Locked, for both: the right PIN waits out the lockout.
      expect(await backend.invoke(newSession(), 'auth.signIn', { name: 'Tom Tech', secret: '1357' })).toMatchObject({ ok: false, error: { code: 'locked' } });
    } finally {
      if (other.exitCode === null && other.signalCode === null) other.kill('SIGKILL');
    }
  });
});
