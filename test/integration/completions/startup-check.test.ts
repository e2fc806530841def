import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { describe, expect, it } from 'vitest';
import { appendAudit, verifyAuditChain, verifyAuditChainAsync } from '../../../main/core/audit';
import { runStartupChecks } from '../../../main/core/system/startup-checks';
import { testActor, testBackend } from '../../helpers/core';
import { changeRole } from '../../helpers/users';

describe('the start-up check of the audit trail', () => {
  it('gives the same verdict as wardkeep verify, in batches', async () => {
    const { core } = testBackend();
    for (let i = 0; i < 25; i++) inTransaction(core, (core) => appendAudit(core, testActor, { action: 'create', entity: 'thing', entityId: String(i) }));
    expect(await verifyAuditChainAsync(core.db, { batch: 7 })).toEqual(verifyAuditChain(core.db));
    core.db.exec('DROP TRIGGER audit_log_no_update');
    core.db.prepare("UPDATE audit_log SET actor_name = 'someone' WHERE seq = 17").run();
    expect(await verifyAuditChainAsync(core.db, { batch: 7 })).toEqual(verifyAuditChain(core.db));
    expect(verifyAuditChain(core.db)).toMatchObject({ ok: false, seq: 17 });
  });

  it('reports a broken chain to supervisors through app.health, not to technicians', async () => {
    const { core, backend, session } = testBackend('supervisor');
    for (let i = 0; i < 3; i++) inTransaction(core, (core) => appendAudit(core, testActor, { action: 'create', entity: 'thing', entityId: String(i) }));
    core.db.exec('DROP TRIGGER audit_log_no_delete');
    core.db.prepare('DELETE FROM audit_log WHERE seq = 2').run();
    expect(await backend.invoke(session, 'app.health', {})).toEqual({ ok: true, value: { auditChain: { state: 'checking' }, anchors: { state: 'checking' }, integrity: { state: 'checking' }, stock: { state: 'checking' } } });
    await runStartupChecks(backend);
    expect(await backend.invoke(session, 'app.health', {})).toMatchObject({
      ok: true,
      value: { auditChain: { state: 'broken', seq: 3, message: 'audit entry 2 is missing (the next entry is 3)' } },
    });
    changeRole(core, session.user!, 'technician');
    expect(await backend.invoke(session, 'app.health', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});
