import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { backupFolder, backupToFolder } from '../../../main/core/backup/folder';
import { testBackend } from '../../helpers/core';
import { exited, spawnTs, waitFor } from '../safety/child';
import { seedEquipment } from '../safety/helpers';

const tags = (file: string) => {
  const db = new BetterSqlite3(file, { readonly: true });
  const out = new Set(db.prepare("SELECT asset_tag FROM equipment WHERE asset_tag LIKE 'W-%'").pluck().all() as string[]);
  db.close();
  return out;
};

/**
 * Issue 13, item 4: a restore loses no write another process was told was saved. A second process
 * adds devices as fast as it can, printing each after its commit, while the admin restores a
 * backup three times: every printed device must be in the live database or in the safety backup
 * the restore took of what it replaced.
 */
describe('restore while another process writes (item 4)', () => {
  it('keeps every confirmed write in the live database or the safety backup', async () => {
    const t = testBackend('admin');
    // Big enough that a copy takes a while: the window a lost write would fall in.
    await seedEquipment(t.backend, t.session, 1500, 'OLD');
    const backup = path.basename((await backupToFolder(t.core, 'manual')).file);
    const writer = spawnTs('test/integration/safety/children/steady-writer.ts', [t.core.dataDir]);
    try {
      await waitFor(() => writer.lines.length > 30, 30_000, 'the writer to start writing', writer);
      const safety: string[] = [];
      const admin = { ...t.session.user! };
      for (let i = 0; i < 3; i++) {
        const seen = writer.lines.length;
        const res = await t.backend.invoke(t.session, 'backups.restore', { fileName: backup, confirm: true });
        expect(res, JSON.stringify(res)).toMatchObject({ ok: true });
        safety.push((res as { value: { safetyBackup: string } }).value.safetyBackup);
        // A restore signs everyone out; the admin (in the backup too) signs in again.
        t.session.user = { ...admin };
        await waitFor(() => writer.lines.length > seen + 30, 30_000, 'the writer to go on writing', writer);
      }
      writer.kill('SIGKILL');
      await exited(writer);
      const confirmed = writer.lines.filter((l) => l.startsWith('W-'));
      expect(confirmed.length).toBeGreaterThan(90);
      const kept = new Set([...tags(t.core.file), ...safety.flatMap((name) => [...tags(path.join(backupFolder(t.core.dataDir), name))])]);
      const lost = confirmed.filter((tag) => !kept.has(tag));
      expect(lost, `${lost.length} confirmed writes were lost`).toEqual([]);
    } finally {
      if (writer.exitCode === null && writer.signalCode === null) writer.kill('SIGKILL');
    }
  });
});
