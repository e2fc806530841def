import BetterSqlite3 from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHAIN_HOLDING_SQL, chainHoldingEntry, chainLineage, startNewChain } from '../../../main/core/anchors/chain';
import { appendAudit, verifyAuditChain } from '../../../main/core/audit';
import { DB_FILE } from '../../../main/core/db/open';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { migrations } from '../../../main/core/migrations';
import { migration0016 } from '../../../main/core/migrations/0016-audit-without-hash-index';
import { testActor, testCore } from '../../helpers/core';
import { databaseAt } from '../../helpers/migrations';
import { queryPlan } from '../../helpers/query-plan';

/**
 * Migration 0016 (issue 17): the audit trail loses its index by hash, which cost every entry written
 * a random insert and every integrity check a look-up per entry. Its one question (which other chain
 * holds the entry a chain continues from: a restore's, a recovery's, another PC's) is answered by one
 * seek of the primary key per chain, with the same answers.
 */
const hashIndex = (db: BetterSqlite3.Database) => db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'audit_log_hash'").pluck().get();

function entries(core: ReturnType<typeof testCore>, n: number, tag: string): void {
  for (let i = 0; i < n; i++) inTransaction(core, (w) => appendAudit(w, testActor, { action: 'note', entity: 'test', entityId: `${tag}-${i}` }));
}

describe('migration 0016 (the audit trail without its index by hash)', () => {
  const before = migrations.indexOf(migration0016);
  it.each(migrations.slice(0, before).map((m) => m.version))('from version %i, the index is gone', (version) => {
    const dir = databaseAt(version);
    const raw = new BetterSqlite3(path.join(dir, DB_FILE), { readonly: true });
    // Made with the chains (version 7) and kept until now.
    expect(hashIndex(raw)).toBe(version >= 7 ? 1 : 0);
    raw.close();
    const core = testCore({ dataDir: dir });
    expect(hashIndex(core.db)).toBe(0);
    core.close();
  });

  it('finds the chain a chain continues from, by the entry and its hash, never its own, with one seek per chain', () => {
    const core = testCore();
    entries(core, 5, 'a');
    const first = inTransaction(core, (w) => startNewChain(w));
    entries(core, 3, 'b');
    const second = inTransaction(core, (w) => startNewChain(w));
    entries(core, 2, 'c');
    const [a, b, c] = chainLineage(core.db);
    expect([b, c]).toEqual([first.chain, second.chain]);
    expect(first.from).toMatchObject({ chain: a, seq: 5 });
    expect(second.from).toMatchObject({ chain: b });

    expect(chainHoldingEntry(core.db, { ...second.from!, chain: c! })).toBe(b);
    expect(chainHoldingEntry(core.db, { ...first.from!, chain: b! })).toBe(a);
    // Its own chain is not the one it continues from; nor is an entry with another hash.
    expect(chainHoldingEntry(core.db, { ...second.from!, chain: b! })).toBeNull();
    expect(chainHoldingEntry(core.db, { ...second.from!, hash: first.from!.hash, chain: c! })).toBeNull();
    expect(chainHoldingEntry(core.db, { seq: 999, hash: second.from!.hash, chain: c! })).toBeNull();
    expect(verifyAuditChain(core.db)).toMatchObject({ ok: true, chains: 3, entries: 10 });

    expect(queryPlan(core.db, CHAIN_HOLDING_SQL, { seq: 1, hash: '', chain: '' })).toContainEqual(expect.stringMatching(/^SEARCH a USING INDEX sqlite_autoindex_audit_log_\d \(chain_id=\? AND seq=\?\)$/));
    core.close();
  });
});
