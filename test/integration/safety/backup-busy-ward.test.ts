import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { EventMap } from '../../../shared/contract/events';
import { createBackup } from '../../../main/core/backup/create';
import type { BackupProgress } from '../../../main/core/backup/create';
import { backupWithProgress } from '../../../main/core/backup/progress';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { createLocation } from '../../../main/core/locations/service';
import { testActor, testBackend, tempDir } from '../../helpers/core';
import { snapshot } from './helpers';

function csv(rows: number): string {
  return [
    'asset_tag,name,location,serial',
    ...Array.from({ length: rows }, (_, i) => `BUSY-${i},Volumetric infusion pump number ${i} of the busy ward,Site > Ward ${i % 20},SERIAL-${i}-ABCDEFGHIJKLMNOP`),
  ].join('\n');
}

/** A ward PC with a few thousand devices: a database of some hundreds of pages, copied in several steps. */
async function busyWard() {
  const world = testBackend('admin');
  const res = await world.backend.invoke(world.session, 'equipment.import.commit', { source: { text: csv(1500) } });
  if (!res.ok) throw new Error(res.error.message);
  world.core.db.pragma('wal_checkpoint(TRUNCATE)');
  return world;
}

/**
 * What the copying progress shows of the copy starting again: between two steps of one pass the
 * pages copied only grow, so a step that reports no more than the one before began a new pass
 * (`restarts`); `fellBack`: the times the bar went back ("Copying… 80%" falling to "Copying… 2%").
 */
function progressSeen(progress: readonly { phase: string; done: number }[]): { steps: number; restarts: number; fellBack: number } {
  const copying = progress.filter((p) => p.phase === 'copying').map((p) => p.done);
  return {
    steps: copying.length,
    restarts: copying.filter((done, i) => i > 0 && done <= copying[i - 1]!).length,
    fellBack: copying.filter((done, i) => i > 0 && done < copying[i - 1]!).length,
  };
}

/**
 * docs/data.md, "How a backup is made": the backup runs in the worker thread, on a connection of its
 * own, so every write the ward makes meanwhile is another connection's to SQLite, and restarted the
 * copy from its first page (94 restarts in a busy minute; at 5 GB it might never finish). The copy
 * now starts again at most once, then copies the rest in one step (a read snapshot in WAL mode).
 */
describe('a backup while the ward keeps working', () => {
  it('starts again at most once however often the ward saves, and the progress never goes back', async () => {
    const { core } = await busyWard();
    // The backup's own connection, as the worker thread has; the ward writes on the app's.
    const own = new BetterSqlite3(core.file);
    own.pragma('busy_timeout = 5000');
    try {
      const before = snapshot(core.db).counts.locations!;
      const progress: BackupProgress[] = [];
      let writes = 0;
      const dest = path.join(tempDir(), 'busy.sqlite3');
      // A save between every two steps of the copy (the first 30): each one, to SQLite, restarts the copy.
      const result = await createBackup({ ...core, db: own }, dest, (p) => {
        progress.push(p);
        if (p.phase === 'copying' && writes < 30) {
          writes++;
          inTransaction(core, (w) => createLocation(w, testActor, { name: `Room ${writes}`, parentId: null }));
        }
      });
      const copying = progress.filter((p) => p.phase === 'copying');
      const seen = { ...progressSeen(progress), writes, reported: result.restarts };
      // It had to start again (the ward did write during the copy), but only once: then it copied the rest in one go.
      expect(seen, JSON.stringify(seen)).toMatchObject({ restarts: 1, fellBack: 0, reported: 1 });
      expect(writes).toBeGreaterThan(1);
      expect(copying.every((p) => p.done <= p.total)).toBe(true);
      // The copy is whole and of one moment: every room saved before its last step, the one that copied the rest.
      expect(result.check.ok).toBe(true);
      const copy = new BetterSqlite3(dest, { readonly: true });
      const copied = snapshot(copy);
      copy.close();
      expect(copied.chainOk).toBe(true);
      expect(copied.counts.locations).toBe(before + writes);
      expect(copied.counts.equipment).toBe(1500);
    } finally {
      own.close();
    }
  });

  it('from the Backups screen (in the worker thread) it finishes while the ward saves at every step, and the bar never goes back', async () => {
    const { core, backend, session } = await busyWard();
    const events: EventMap['backup.progress'][] = [];
    let writes = 0;
    const pending: Promise<unknown>[] = [];
    backend.onEvent((e, p) => {
      if (e !== 'backup.progress') return;
      const prog = p as EventMap['backup.progress'];
      events.push(prog);
      // The ward saves something whenever the bar moves (the first 40 times).
      if (prog.phase === 'copying' && writes < 40) {
        writes++;
        pending.push(backend.invoke(session, 'locations.create', { name: `Ward room ${writes}` }));
      }
    });
    const result = await backupWithProgress(core, backend, 'manual');
    await Promise.all(pending);
    expect(result.check.ok).toBe(true);
    // Counted from what the screen was told, not from the clock: at most once, and the bar never went back.
    const seen = { ...progressSeen(events), writes };
    expect(seen.restarts, JSON.stringify(seen)).toBeLessThanOrEqual(1);
    expect(seen.fellBack, JSON.stringify(seen)).toBe(0);
    expect(events.at(-1)).toMatchObject({ phase: 'done', reason: 'manual' });
  });
});
