import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { appendAudit, canonicalJson, hashEntry, verifyAuditChain, withBulkAudit } from '../../../main/core/audit';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { fullHealth } from '../../../main/core/health';
import type { AuditRow } from '../../../main/core/sql/rows';
import { testActor, testCore } from '../../helpers/core';
import { importText } from '../equipment/fixtures';

/** canonicalJson as it was written before its fast path: a sorted copy, then JSON.stringify. */
function sortedCopy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedCopy);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortedCopy((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

const entries = (core: ReturnType<typeof testCore>) =>
  core.db.prepare('SELECT * FROM audit_log ORDER BY chain_id, seq').all() as AuditRow[];

describe('audit entries written in bulk (issue 17)', () => {
  it('writes a row as the sorted copy does, whatever its values', () => {
    const rows: unknown[] = [
      { b: 1, a: 'x', c: null, d: true, e: undefined, f: -0, g: Number.NaN, h: 'quote " and \\ and \u2028', Z: 1.5e300 },
      { 'key with "quotes"': 1, '': 'empty key', é: 'accent' },
      JSON.parse('{"__proto__": 1, "a": 2}'),
      { nested: { b: 1, a: 2 }, list: [{ d: 1, c: 2 }] },
      { details: { b: { d: 1, c: null, e: undefined }, a: 'x' }, id: 'r' },
      { details: { when: new Date(0) }, id: 'r' },
      { b: 1, '10': 2, '9': 3, '4294967295': 4, '01': 5 },
      { details: { '2': 'two', '10': 'ten' }, id: 'r' },
      { when: new Date('2025-01-01T00:00:00Z') },
      Object.assign(Object.create(null) as object, { b: 1, a: 2 }),
      {},
    ];
    for (const row of rows) expect(canonicalJson(row)).toBe(JSON.stringify(sortedCopy(row)));
  });

  it('hashes an entry as the canonical text of its fields', () => {
    const row = {
      seq: 7,
      id: 'i',
      at: '2025-01-01T00:00:00.000Z',
      actor_user_id: null,
      actor_name: 'N',
      via: 'cli' as const,
      pc_id: 'p',
      action: 'a',
      entity: 'e',
      entity_id: null,
      old_value: null,
      new_value: '{"a":1}',
      prev_hash: '0'.repeat(64),
    };
    const fields = [
      row.seq,
      row.id,
      row.at,
      row.actor_user_id,
      row.actor_name,
      row.via,
      row.pc_id,
      row.action,
      row.entity,
      row.entity_id,
      row.old_value,
      row.new_value,
      row.prev_hash,
    ];
    expect(hashEntry(row)).toBe(createHash('sha256').update(canonicalJson(fields)).digest('hex'));
  });

  it('chains entries written in bulk, across its flushes, between entries written one by one, and verifies', () => {
    const core = testCore();
    inTransaction(core, (w) => appendAudit(w, testActor, { action: 'create', entity: 'thing', entityId: 'before' }));
    inTransaction(core, (w) => {
      withBulkAudit(w, () => {
        for (let i = 0; i < 2500; i++)
          appendAudit(w, testActor, { action: 'create', entity: 'thing', entityId: String(i), new: { i, name: `thing ${i}` } });
      });
      appendAudit(w, testActor, { action: 'import', entity: 'thing', entityId: null });
    });
    inTransaction(core, (w) => appendAudit(w, testActor, { action: 'create', entity: 'thing', entityId: 'after' }));
    expect(verifyAuditChain(core.db)).toEqual({ ok: true, entries: 2503, chains: 1 });
    const all = entries(core);
    expect(all.map((e) => e.seq)).toEqual(all.map((_, i) => i + 1));
    // Each entry is readable by its entity id, as a device's history reads it.
    const one = core.db.prepare("SELECT new_value FROM audit_log WHERE entity = 'thing' AND entity_id = '1234'").all() as {
      new_value: string;
    }[];
    expect(one.map((e) => JSON.parse(e.new_value) as unknown)).toEqual([{ i: 1234, name: 'thing 1234' }]);
  });

  it('writes nothing when the work fails, and the chain goes on from where it was', () => {
    const core = testCore();
    inTransaction(core, (w) => appendAudit(w, testActor, { action: 'create', entity: 'thing', entityId: 'kept' }));
    expect(() =>
      inTransaction(core, (w) =>
        withBulkAudit(w, () => {
          for (let i = 0; i < 1500; i++) appendAudit(w, testActor, { action: 'create', entity: 'thing', entityId: String(i) });
          throw new Error('row 1501 is wrong');
        }),
      ),
    ).toThrow(/row 1501/);
    expect(entries(core).map((e) => e.entity_id)).toEqual(['kept']);
    inTransaction(core, (w) => withBulkAudit(w, () => appendAudit(w, testActor, { action: 'create', entity: 'thing', entityId: 'next' })));
    expect(verifyAuditChain(core.db)).toEqual({ ok: true, entries: 2, chains: 1 });
  });

  it('is refused outside a transaction', () => {
    const core = testCore();
    expect(() => withBulkAudit({ ...core, writable: true }, () => 1)).toThrow(/inside a transaction/);
  });

  it('an import writes one entry per device in bulk: verify is clean, and an entry edited afterwards is named', async () => {
    const core = testCore();
    const rows = ['Tag,Name,Location,Status'];
    for (let i = 1; i <= 1200; i++) rows.push(`B-${i},Pump ${i},Site > Ward ${i % 3},${i % 10 === 0 ? 'out of service' : 'in service'}`);
    importText(core, rows.join('\n'));
    const health = await fullHealth(core.db);
    expect(health.problems).toEqual([]);
    expect(health.audit.ok).toBe(true);
    // Every device has its own entry, found by its id.
    const devices = core.db.prepare('SELECT id FROM equipment').pluck().all() as string[];
    expect(devices).toHaveLength(1200);
    const byDevice = core.db
      .prepare("SELECT count(*) FROM audit_log WHERE entity = 'equipment' AND entity_id = ? AND action = 'create'")
      .pluck();
    expect(devices.every((id) => byDevice.get(id) === 1)).toBe(true);

    const victim = core.db
      .prepare("SELECT seq, new_value FROM audit_log WHERE entity = 'equipment' AND action = 'create' ORDER BY seq LIMIT 1 OFFSET 700")
      .get() as {
      seq: number;
      new_value: string;
    };
    core.db.exec('DROP TRIGGER audit_log_no_update');
    core.db.prepare('UPDATE audit_log SET new_value = ? WHERE seq = ?').run(victim.new_value.replace('"Pump', '"Pimp'), victim.seq);
    const check = verifyAuditChain(core.db);
    expect(check).toMatchObject({ ok: false, seq: victim.seq });
    expect(check.ok ? '' : check.message).toMatch(new RegExp(`entry ${victim.seq} was changed`));
  });
});
