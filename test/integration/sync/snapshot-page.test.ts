import { describe, expect, it } from 'vitest';
import type { FieldSpec, SyncTable } from '../../../main/core/sync/tables';
import { SYNC_TABLES, syncTable } from '../../../main/core/sync/tables';
import { chainId } from '../../../main/core/anchors/chain';
import type { JoinProgress } from '../../../main/core/sync/engine';
import { SyncClient } from '../../../main/core/sync/engine';
import { getState } from '../../../main/core/sync/state';
import { HubRequestError } from '../../../main/core/sync/transport';
import { appendHash, bulkInsertSql, entryOfPgRow, pgRow } from '../../../main/hub/rows';
import { directTransport, testHub, testPc } from './harness';

const HLC = `${String(Date.parse('2026-01-10T09:00:00Z')).padStart(15, '0')}.000000.r1`;

/** A value of each kind a field holds, the awkward ones included (fractions, quotes, a line break, non-ASCII). */
function valueOf(spec: FieldSpec, i: number): unknown {
  if (i === 2 && !spec.required) return null;
  switch (spec.type) {
    case 'text':
      return spec.oneOf ? spec.oneOf[i % spec.oneOf.length] : ['plain', 'say "hi"\nthen \\ go', 'Señora Ñ 🩺'][i % 3];
    case 'int':
      return [7, -3, 9_007_199_254_740_991][i % 3];
    case 'real':
      return [0.1, -1e-7, 123456.789][i % 3];
    case 'bool':
      return i % 2 === 0 ? 1 : 0;
  }
}

describe("the hub's snapshot page", () => {
  it('gives every table the entries the rows stand for, written out by PostgreSQL, and leaves out rows held only for a lock', async () => {
    const hub = await testHub();
    const expected = new Map<SyncTable, unknown[]>();
    for (const t of SYNC_TABLES) {
      const rows: Record<string, unknown>[] = [];
      for (let i = 0; i < 3; i++) {
        const key = t.key.map((k) => (t.keyTypes?.[k] === 'int' ? i + 1 : `${t.name}-${i}`));
        const data = Object.fromEntries(Object.entries(t.fields).map(([f, spec]) => [f, valueOf(spec, i)]));
        const own =
          t.kind === 'merge'
            ? { _clocks: Object.fromEntries([...Object.keys(t.fields), '_exists'].map((f) => [f, HLC])), _exists: i !== 1 }
            : { _hash: 'h' };
        rows.push({ ...pgRow(t, JSON.stringify(key), data, own), _pos: null });
      }
      if (t.kind === 'merge')
        rows.push({
          ...pgRow(
            t,
            JSON.stringify(t.key.map((k) => (t.keyTypes?.[k] === 'int' ? 9 : `${t.name}-lock`))),
            {},
            { _clocks: {}, _exists: true },
          ),
          _pos: null,
        });
      await hub.pool.query(bulkInsertSql(t, t.kind === 'merge' ? ['_clocks', '_exists', '_pos'] : ['_hash', '_pos'], 'nothing'), [
        JSON.stringify(rows),
      ]);
      const stored = (await hub.pool.query(`SELECT * FROM "${t.name}" ORDER BY _pk`)).rows as Record<string, unknown>[];
      expected.set(
        t,
        stored.filter((r) => t.kind === 'append' || Object.keys(r._clocks as object).length > 0).map((r) => entryOfPgRow(t, r)),
      );
    }
    for (const t of SYNC_TABLES) {
      // Pages of two rows: each ends where the next begins.
      const got: unknown[] = [];
      let after: string | null = null;
      let pages = 0;
      do {
        const page = await hub.store.snapshotPage({ tbl: t.name, after, limit: 2 });
        got.push(...page.rows);
        after = page.after;
        pages++;
      } while (after !== null);
      expect(pages).toBeGreaterThan(1);
      expect(got).toEqual(expected.get(t));
      expect(JSON.stringify(got)).toBe(JSON.stringify(expected.get(t)));
    }
  });

  it('is downloaded from a hub that answers at most 20,000 rows a page (a hub older than the PC)', async () => {
    const hub = await testHub();
    const first = await testPc(hub, 'Ward 1');
    await first.sync();
    const pc = await testPc(hub, 'Ward 2');
    const asked: number[] = [];
    const direct = directTransport(hub, pc.core);
    const client = new SyncClient(pc.core, {
      post: (path, body) => {
        const limit = (body as { limit?: number }).limit;
        if (path === '/v1/snapshot/page' && limit !== undefined) {
          asked.push(limit);
          if (limit > 20_000) return Promise.reject(new HubRequestError('refused', 'The request does not fit: limit', 'bad_request', 400));
        }
        return direct.post(path, body);
      },
    });
    await client.syncOnce();
    expect(getState(pc.core, 'joined')).toBe('1');
    expect(asked[0]).toBeGreaterThan(20_000);
    expect(asked.slice(1).every((l) => l === 20_000)).toBe(true);
    // The first PC's audit trail (its joining) came down with the hospital.
    const chain = chainId(first.core.db);
    expect(pc.core.db.prepare('SELECT count(*) FROM audit_log WHERE chain_id = ?').pluck().get(chain)).toBeGreaterThan(0);
  });

  it('is written in parts when a page holds more rows than the PC writes in one transaction, each part moving the download on', async () => {
    const hub = await testHub();
    const t = syncTable('stock_transactions')!;
    const at = new Date(Date.parse('2026-01-10T09:00:00Z')).toISOString();
    const rows = Array.from({ length: 25_000 }, (_, i) => {
      const data = {
        stock_location_id: 'sl',
        item_id: 'item',
        lot_id: null,
        kind: 'use',
        delta: -1,
        counted: null,
        reason: null,
        completion_id: null,
        at,
        user_id: null,
        user_name: 'Ana',
        pc_id: 'pc',
      };
      return { ...pgRow(t, JSON.stringify([`tx-${String(i).padStart(6, '0')}`]), data, { _hash: appendHash(t, data) }), _pos: null };
    });
    await hub.pool.query(bulkInsertSql(t, ['_hash', '_pos'], 'nothing'), [JSON.stringify(rows)]);
    const pc = await testPc(hub, 'Ward 3');
    const seen: JoinProgress[] = [];
    pc.client.onEvent((e) => {
      if (e.kind === 'join' && e.progress.phase === 'download') seen.push(e.progress);
    });
    await pc.sync();
    expect(pc.core.db.prepare('SELECT count(*) FROM stock_transactions').pluck().get()).toBe(25_000);
    // The first part of the page: 10,000 rows, the download moved on to its last one.
    const part = seen.find((p) => p.after === JSON.stringify(['tx-009999']));
    expect(part).toBeDefined();
    expect(seen.every((p, i) => i === 0 || p.done >= seen[i - 1]!.done)).toBe(true);
  });
});
