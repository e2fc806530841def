import { closeSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import { backupToFolder } from '../../../main/core/backup/folder';
import { DB_FILE } from '../../../main/core/db/open';
import { stopWorker } from '../../../main/core/worker/run';
import { loggingWorld, threePoints } from '../completions/fixture';
import { dropPermanentTriggers, rehashFrom } from './helpers';

const fake = vi.hoisted(() => ({ boxes: [] as { message: string; detail?: string; buttons: string[] }[], errors: [] as string[], answer: 0 }));
vi.mock('electron', () => ({
  dialog: {
    showMessageBox: (options: { message: string; detail?: string; buttons: string[] }) => {
      fake.boxes.push(options);
      return Promise.resolve({ response: fake.answer, checkboxChecked: false });
    },
    showErrorBox: (_title: string, message: string) => fake.errors.push(message),
  },
}));
const { openCoreOrRecover } = await import('../../../main/app/recovery');

/**
 * Attack: a backup in the backups folder is edited (a failed calibration made a pass, its entry
 * too, the chain hashed again, and the head it stored rewritten to its new end: without the key
 * its signature no longer matches). Then the live database is damaged (or damages itself), and the
 * start-up recovery offers "the newest good backup".
 */
describe('start-up recovery and an edited backup', () => {
  it('does not offer or restore a backup edited since it was made (a failed calibration made a pass), and says why', async () => {
    const w = await loggingWorld();
    const failed = await w.as(w.tom)('completions.log', {
      planId: w.pumpPlan.id,
      performedAt: '2026-11-25T09:30:00Z',
      result: threePoints([[12, null], [100, null], [500, null]], w.analyser.id, w.calibration.id),
      secret: '1357',
    });
    expect(failed.outcome).toBe('fail');
    const made = await backupToFolder(w.core, 'manual');
    const dir = w.core.dataDir;
    await stopWorker(w.core);
    w.core.close();

    const edited = new BetterSqlite3(made.file);
    dropPermanentTriggers(edited);
    edited.prepare("UPDATE completions SET outcome = 'pass' WHERE id = ?").run(failed.id);
    const seq = edited.prepare("SELECT seq FROM audit_log WHERE entity = 'completion' AND action = 'create' AND entity_id = ?").pluck().get(failed.id) as number;
    edited.prepare("UPDATE audit_log SET new_value = json_set(new_value, '$.outcome', 'pass') WHERE seq = ?").run(seq);
    rehashFrom(edited, seq);
    const stored = JSON.parse(edited.prepare("SELECT value FROM meta WHERE key = 'backup_head'").pluck().get() as string) as Record<string, unknown>;
    const end = edited.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string };
    edited.prepare("UPDATE meta SET value = ? WHERE key = 'backup_head'").run(JSON.stringify({ ...stored, ...end }));
    edited.close();

    // The live database's header overwritten.
    const fd = openSync(path.join(dir, DB_FILE), 'r+');
    writeSync(fd, Buffer.alloc(100, 0xa5), 0, 100, 0);
    closeSync(fd);

    const core = await openCoreOrRecover({ dataDir: dir });
    // Before, the dialog offered "the newest good backup" and the edited pass became the live record.
    expect(core).toBeNull();
    expect(fake.boxes).toHaveLength(1);
    expect(fake.boxes[0]!.message).toBe('The database on this PC is damaged, and there is no good backup to restore.');
    expect(fake.boxes[0]!.detail).toContain(`The newest backup does not pass its check (${path.basename(made.file)}: Anchor: `);
  });
});
