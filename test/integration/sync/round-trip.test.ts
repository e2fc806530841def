import { createPublicKey, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { receiptText } from '../../../main/core/sync/protocol';
import { getState } from '../../../main/core/sync/state';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { openWorkOrderOf } from '../../../main/core/repairs/store';
import { retireWorkOrder } from '../../../main/core/repairs/work-orders';
import { insertUser, userRowByName } from '../../../main/core/users/service';
import { recomputeAllDerived } from '../../../main/core/sync/derived';
import { testActor } from '../../helpers/core';
import { device, done, plan } from '../plans/fixtures';
import { testHub, testPc } from './harness';

describe('two PCs and a hub', () => {
  it('carry a device, its plan and a failed safety test from one PC to the other, which tags it out', async () => {
    const hub = await testHub();
    const a = await testPc(hub, 'Ward 4B');
    const id = device(a.core, 'DF-0001', { name: 'Defibrillator' });
    const p = plan(a.core, id, 'electrical_safety', '1y', '2025-01-01');
    await a.sync();
    // The hub checked A's audit chain and signed a receipt for its head, which A kept.
    const head = a.core.db
      .prepare('SELECT chain_id, seq, hash FROM audit_log WHERE chain_id = ? ORDER BY seq DESC LIMIT 1')
      .get(a.core.pcId) as { chain_id: string; seq: number; hash: string };
    const receipts = JSON.parse(getState(a.core, 'audit_receipts')!) as Record<string, { seq: number; hash: string; signature: string }>;
    expect(receipts[a.core.pcId]).toMatchObject({ seq: head.seq, hash: head.hash });
    const signed = receiptText({
      chain: head.chain_id,
      seq: head.seq,
      hash: head.hash,
      hubTime: (receipts[a.core.pcId] as unknown as { hubTime: string }).hubTime,
    });
    expect(
      verify('sha256', Buffer.from(signed), createPublicKey(hub.tls.publicKeyPem), Buffer.from(receipts[a.core.pcId]!.signature, 'base64')),
    ).toBe(true);
    const b = await testPc(hub, 'Emergency');
    await b.sync();
    expect(b.core.db.prepare('SELECT asset_tag, name, status FROM equipment WHERE id = ?').get(id)).toEqual({
      asset_tag: 'DF-0001',
      name: 'Defibrillator',
      status: 'in_service',
    });
    expect(b.core.db.prepare('SELECT next_due FROM plans WHERE id = ?').pluck().get(p.id)).toBe('2025-01-01');

    const failed = done(b.core, p.id, '2025-03-01T10:00:00Z', 'fail');
    await b.sync();
    await a.sync();
    expect(a.core.db.prepare('SELECT status, status_reason, tagged_out_by_plan_id FROM equipment WHERE id = ?').get(id)).toEqual({
      status: 'out_of_service',
      status_reason: 'Tagged out: failed electrical safety test on 2025-03-01. Do not use.',
      tagged_out_by_plan_id: p.id,
    });

    // The fail opened a work order on B (issue 16); it is on A too, so a person's decision on A goes through it and comes back to B.
    const wo = openWorkOrderOf(a.core, id)!;
    expect(wo).toMatchObject({ number: 1, state: 'reported', opened_by_completion_id: failed.id });
    inTransaction(a.core, (w) =>
      insertUser(w, testActor, { name: 'Sue Super', role: 'supervisor', homeLocationId: null, pinHash: null, passwordHash: null, mustSetPin: true }),
    );
    inTransaction(a.core, (w) => retireWorkOrder(w, userRowByName(w, 'Sue Super')!, { id: wo.id, reason: 'Cracked casing' }));
    await a.sync();
    await b.sync();
    expect(b.core.db.prepare('SELECT status, status_reason FROM equipment WHERE id = ?').get(id)).toEqual({
      status: 'retired',
      status_reason: 'Beyond repair (WO-0001): Cracked casing',
    });
    expect(b.core.db.prepare('SELECT state FROM work_orders WHERE id = ?').pluck().get(wo.id)).toBe('retired');
    expect(b.core.db.prepare('SELECT count(*) FROM sync_outbox').pluck().get()).toBe(0);

    // Everything derived, worked out again at once (as after a new PC's download), comes out the same.
    const derived = () =>
      b.core.db
        .prepare('SELECT p.next_due, p.due_from, p.last_done_on, e.status FROM plans p JOIN equipment e ON e.id = p.equipment_id')
        .all();
    const before = derived();
    b.core.db.prepare("UPDATE plans SET next_due = '2000-01-01', due_from = '2000-01-01', last_done_on = NULL").run();
    b.core.db.prepare("UPDATE equipment SET status = 'in_service'").run();
    inTransaction(b.core, (w) => recomputeAllDerived(w));
    expect(derived()).toEqual(before);
  });
});
