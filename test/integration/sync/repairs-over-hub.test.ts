import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { Core } from '../../../main/core/context';
import { migrate } from '../../../main/core/db/migrate';
import { applyPragmas, DB_FILE } from '../../../main/core/db/open';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { migrations } from '../../../main/core/migrations';
import { openCore } from '../../../main/core/open-core';
import { checkPermanentRows } from '../../../main/core/permanent/check';
import { reportFault, retireWorkOrder } from '../../../main/core/repairs/work-orders';
import { captureProblems, installCapture } from '../../../main/core/sync/capture';
import { recomputeAllDerived } from '../../../main/core/sync/derived';
import { insertUser, userRowByName } from '../../../main/core/users/service';
import { tempDir, testActor } from '../../helpers/core';
import { device } from '../plans/fixtures';
import { testHub, testPc } from './harness';

/**
 * Repairs (issue 16) on PCs in a hub (issue 19): a status decided by a fault report or a work
 * order is a person's decision, kept where the hub merges it, so the other PCs show it and no
 * re-derivation of rule 12 on any PC puts the device back in service.
 */
describe('repairs across a hub', () => {
  it('a fault reported on one PC is DO NOT USE on the other after one sync each, and stays so on both', async () => {
    const hub = await testHub();
    const a = await testPc(hub, 'Ward 4B');
    const b = await testPc(hub, 'Emergency');
    const id = device(a.core, 'IP-7', { name: 'Infusion pump' });
    const nurse = inTransaction(a.core, (core) =>
      insertUser(core, testActor, { name: 'Nia Nurse', role: 'ward_staff', homeLocationId: null, pinHash: null, passwordHash: null, mustSetPin: true }),
    );
    const signer = userRowByName(a.core, 'Nia Nurse')!;
    inTransaction(a.core, (core) => reportFault(core, signer, { equipmentId: id, problem: 'Occlusion alarm with the line clear', takeOutOfUse: true, secret: '' }));
    const statusOf = (core: typeof a.core) => core.db.prepare('SELECT status, status_reason FROM equipment WHERE id = ?').get(id) as { status: string; status_reason: string };

    await a.sync();
    await b.sync();
    expect(statusOf(b.core)).toEqual({ status: 'out_of_service', status_reason: 'Fault reported (WO-0001): Occlusion alarm with the line clear. Do not use.' });
    // The ward staff role travels too: the nurse can be found on the other PC.
    expect(b.core.db.prepare('SELECT role FROM users WHERE id = ?').pluck().get(nurse.id)).toBe('ward_staff');
    // Re-deriving every device's status from the merged data (what a download does) keeps the decision.
    for (const pc of [a, b]) {
      inTransaction(pc.core, (core) => recomputeAllDerived(core));
      expect(statusOf(pc.core).status).toBe('out_of_service');
    }
    await a.sync();
    expect(statusOf(a.core).status).toBe('out_of_service');
    // Verify on B, which holds none of A's status history: healthy, until the pump is put back in service in the file.
    expect(checkPermanentRows(b.core.db).findings).toEqual([]);
    const file = new BetterSqlite3(b.core.file);
    file.prepare("UPDATE equipment SET status = 'in_service', status_reason = NULL WHERE id = ?").run(id);
    file.close();
    expect(checkPermanentRows(b.core.db).findings.map((f) => f.message)).toEqual([
      'Device IP-7 is "in service" in the database, but the hospital\'s records and decisions make it "out of service": its status was changed outside Wardkeep.',
    ]);
  });

  it('a device retired as beyond repair through its work order is retired on the other PC', async () => {
    const hub = await testHub();
    const a = await testPc(hub, 'Ward 4B');
    const b = await testPc(hub, 'Emergency');
    const id = device(a.core, 'IP-8', { name: 'Infusion pump' });
    inTransaction(a.core, (core) =>
      insertUser(core, testActor, { name: 'Sue Super', role: 'supervisor', homeLocationId: null, pinHash: null, passwordHash: null, mustSetPin: true }),
    );
    const sue = userRowByName(a.core, 'Sue Super')!;
    const { workOrder } = inTransaction(a.core, (core) => reportFault(core, sue, { equipmentId: id, problem: 'Dropped', takeOutOfUse: true, secret: '' }));
    await a.sync();
    await b.sync();
    expect(b.core.db.prepare('SELECT status FROM equipment WHERE id = ?').pluck().get(id)).toBe('out_of_service');
    inTransaction(a.core, (core) => retireWorkOrder(core, sue, { id: workOrder.id, reason: 'Cracked casing' }));
    expect(a.core.db.prepare('SELECT status FROM equipment WHERE id = ?').pluck().get(id)).toBe('retired');
    await a.sync();
    await b.sync();
    expect(b.core.db.prepare('SELECT status, status_reason FROM equipment WHERE id = ?').get(id)).toEqual({
      status: 'retired',
      status_reason: 'Beyond repair (WO-0001): Cracked casing',
    });
  });

  it('a PC that joined a hub at version 7 keeps counting every write after the upgrade rebuilds its users table', () => {
    const dir = tempDir();
    const db = new BetterSqlite3(path.join(dir, DB_FILE));
    applyPragmas(db);
    migrate(db, { migrations: migrations.filter((m) => m.version <= 7) });
    db.prepare("INSERT INTO meta (key, value) VALUES ('pc_id', 'pc-one') ON CONFLICT (key) DO NOTHING").run();
    const atVersion7: Core = { db, pcId: 'pc-one', clock: { now: () => new Date() }, file: path.join(dir, DB_FILE), dataDir: dir };
    inTransaction(atVersion7, (w) => installCapture(w));
    const before = db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'users' AND name LIKE 'sync%' ORDER BY name").all();
    expect(before.length).toBeGreaterThan(0);
    db.close();

    const core = openCore({ dataDir: dir, anchors: false });
    expect(core.db.pragma('user_version', { simple: true })).toBe(migrations.at(-1)!.version);
    expect(core.db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'users' AND name LIKE 'sync%' ORDER BY name").all()).toEqual(before);
    expect(captureProblems(core)).toEqual([]);
    core.close();
  });
});
