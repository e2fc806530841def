import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { HUB_SCHEMA_VERSION } from '../../../main/hub/schema';
import { USER_ENTRIES_SQL } from '../../../main/hub/store';
import { fileDatabases } from './file-databases';
import { testHub } from './harness';

/**
 * The hub's audit log is its biggest table (every sign-in, test and change of every PC, for
 * years). A join's or a resend's push looks up the entries the hub took before about the users it
 * sends (store.ts, auditedUserChanges): through the index on (entity, entity_id) that hub schema
 * version 3 adds, not by reading the whole table once per push.
 */

const { fresh: freshDatabase } = fileDatabases();

type Hub = Awaited<ReturnType<typeof testHub>>;

const USERS = 500;
const ROWS = 120_000;

/**
 * A year of a hospital's audit log at the hub: entries about devices, records and plans, and one
 * in four about one of 500 users (their sign-ins, mostly). Analysed, as autovacuum would have.
 */
async function seedAuditLog(url: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(
      `INSERT INTO audit_log (_pk, id, _hash, chain_id, seq, at, actor_user_id, actor_name, via, pc_id, action, entity, entity_id, old_value, new_value, prev_hash, hash)
       SELECT '["e' || g || '"]', 'e' || g, md5(g::text), 'chain-' || (g % 7), g, '2026-01-01T00:00:00.000Z', 'u' || (g % ${USERS}), 'Someone', 'app', 'pc-' || (g % 7),
              CASE WHEN g % 4 = 0 THEN 'sign_in' ELSE 'update' END,
              CASE g % 4 WHEN 0 THEN 'user' WHEN 1 THEN 'equipment' WHEN 2 THEN 'completion' ELSE 'plan' END,
              CASE WHEN g % 4 = 0 THEN 'u' || ((g / 4) % ${USERS}) ELSE 'x' || g END,
              NULL, '{"with":"pin"}', md5((g - 1)::text), md5(g::text)
       FROM generate_series(1, ${ROWS}) g`,
    );
    await c.query('ANALYZE audit_log');
  } finally {
    await c.end();
  }
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

const nodesOf = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodesOf)];

/** How PostgreSQL reads the audit log for the lookup of two users' earlier entries. */
async function lookupPlan(hub: Hub): Promise<string[]> {
  const r = await hub.pool.query<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(`EXPLAIN (FORMAT JSON) ${USER_ENTRIES_SQL}`, [['u7', 'u8']]);
  return nodesOf(r.rows[0]!['QUERY PLAN'][0]!.Plan)
    .filter((n) => n['Relation Name'] === 'audit_log' || n['Index Name'] !== undefined)
    .map((n) => `${n['Node Type']} ${n['Index Name'] ?? n['Relation Name'] ?? ''}`.trim());
}

const indexes = async (hub: Hub) =>
  (await hub.pool.query<{ indexname: string; indexdef: string }>("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'audit_log' ORDER BY 1")).rows;

const version = async (hub: Hub) => (await hub.pool.query<{ version: number }>('SELECT version FROM hub_schema')).rows[0]!.version;

describe("the hub's lookup of a user's earlier audit entries", () => {
  it('a new hub reads them through the index on (entity, entity_id), never the whole audit log', async () => {
    const hub = await testHub({ databaseUrl: await freshDatabase() });
    await seedAuditLog(hub.databaseUrl);
    const plan = await lookupPlan(hub);
    expect(plan.some((n) => /^(Index Scan|Bitmap Index Scan) audit_log_entity$/.test(n)), plan.join(', ')).toBe(true);
    expect(plan.some((n) => n.startsWith('Seq Scan')), plan.join(', ')).toBe(false);
    const found = await hub.pool.query<{ entity_id: string }>(USER_ENTRIES_SQL, [['u7', 'u8']]);
    expect(found.rowCount).toBe((ROWS / 4 / USERS) * 2);
    expect(new Set(found.rows.map((r) => r.entity_id))).toEqual(new Set(['u7', 'u8']));
  });

  it('a hub of schema version 2 (no index) is upgraded at its next start (version 3 makes the index; later ones follow it): the index is made, every entry kept, and the lookup uses it', async () => {
    const url = await freshDatabase();
    const first = await testHub({ databaseUrl: url });
    // The database as version 2 left it, with a year of entries.
    await first.pool.query('DROP INDEX IF EXISTS audit_log_entity');
    await first.pool.query('UPDATE hub_schema SET version = 2');
    await first.close();
    await seedAuditLog(url);

    const upgraded = await testHub({ databaseUrl: url });
    expect(await version(upgraded)).toBe(HUB_SCHEMA_VERSION);
    expect(await indexes(upgraded)).toContainEqual({
      indexname: 'audit_log_entity',
      indexdef: 'CREATE INDEX audit_log_entity ON public.audit_log USING btree (entity, entity_id)',
    });
    const valid = await upgraded.pool.query<{ indisvalid: boolean }>("SELECT indisvalid FROM pg_index WHERE indexrelid = 'audit_log_entity'::regclass");
    expect(valid.rows).toEqual([{ indisvalid: true }]);
    expect((await upgraded.pool.query<{ n: number }>('SELECT count(*) AS n FROM audit_log')).rows[0]!.n).toBe(ROWS);
    const plan = await lookupPlan(upgraded);
    expect(plan.some((n) => /^(Index Scan|Bitmap Index Scan) audit_log_entity$/.test(n)), plan.join(', ')).toBe(true);
    expect(plan.some((n) => n.startsWith('Seq Scan')), plan.join(', ')).toBe(false);
    await upgraded.close();

    // A second start finds the newest version and changes nothing.
    const again = await testHub({ databaseUrl: url });
    expect(await version(again)).toBe(HUB_SCHEMA_VERSION);
    expect((await indexes(again)).filter((i) => i.indexname === 'audit_log_entity')).toHaveLength(1);
  });
});
