import { describe, expect, it } from 'vitest';
import { appendAudit, canonicalJson, verifyAuditChain } from '../../../main/core/audit';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { testActor, testCore } from '../../helpers/core';

describe('the audit trail', () => {
  it('serialises canonically: key order does not change the text', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: null } })).toBe(canonicalJson({ a: { c: null, d: [2, { e: 0, f: 1 }] }, b: 1 }));
  });

  it('chains every entry to the one before and verifies', () => {
    const core = testCore();
    inTransaction(core, (core) => {
      for (let i = 0; i < 5; i++) appendAudit(core, testActor, { action: 'create', entity: 'thing', entityId: String(i), new: { i } });
    });
    expect(verifyAuditChain(core.db)).toEqual({ ok: true, entries: 5, chains: 1 });
  });

  it('refuses UPDATE and DELETE on entries', () => {
    const core = testCore();
    inTransaction(core, (core) => appendAudit(core, testActor, { action: 'create', entity: 'thing', entityId: '1' }));
    expect(() => core.db.prepare("UPDATE audit_log SET actor_name = 'someone else'").run()).toThrow(/permanent/);
    expect(() => core.db.prepare('DELETE FROM audit_log').run()).toThrow(/permanent/);
  });

  it('names the first entry edited behind the app\'s back', () => {
    const core = testCore();
    for (let i = 0; i < 4; i++) inTransaction(core, (core) => appendAudit(core, testActor, { action: 'update', entity: 'thing', entityId: String(i), old: { v: i }, new: { v: i + 1 } }));
    // Someone with raw SQL access drops the guard and rewrites history:
    core.db.exec('DROP TRIGGER audit_log_no_update');
    core.db.prepare("UPDATE audit_log SET new_value = '{\"v\":99}' WHERE seq = 3").run();
    const check = verifyAuditChain(core.db);
    expect(check).toMatchObject({ ok: false, seq: 3 });
    expect(check.ok ? '' : check.message).toMatch(/entry 3 was changed/);
  });

  it('names a deleted entry', () => {
    const core = testCore();
    for (let i = 0; i < 4; i++) inTransaction(core, (core) => appendAudit(core, testActor, { action: 'update', entity: 'thing', entityId: String(i) }));
    core.db.exec('DROP TRIGGER audit_log_no_delete');
    core.db.prepare('DELETE FROM audit_log WHERE seq = 2').run();
    expect(verifyAuditChain(core.db)).toMatchObject({ ok: false, seq: 3 });
  });
});
