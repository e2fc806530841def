import type { PoolClient } from 'pg';
import { uuidv7 } from '../core/ids';
import type { FieldType, SyncTable } from '../core/sync/tables';
import { SYNC_TABLES } from '../core/sync/tables';
import { HubSetupError } from './errors';

/**
 * The hub's PostgreSQL schema. The hospital's data is in ordinary tables named as on the PCs
 * (equipment, plans, completions, …), one column per synced field, so IT can report on it with SQL
 * and back it up with pg_dump; columns starting with `_` are the hub's own (the row's key as text,
 * its field clocks, whether it exists, the hash of a permanent row). The sync machinery is in
 * tables starting with `hub_`. The data tables follow the table list of main/core/sync/tables.ts at
 * every start (new tables and columns are added, nothing is dropped); the machinery has numbered
 * migrations. Two hub processes may start at once: the migration holds an advisory lock.
 */

const MIGRATION_LOCK = 0x57415244; // 'WARD'

const PG_TYPE: Record<FieldType, string> = { text: 'text', int: 'bigint', real: 'double precision', bool: 'boolean' };

const q = (name: string) => `"${name}"`;

export function pgType(t: SyncTable, column: string): string {
  return PG_TYPE[t.fields[column]?.type ?? t.keyTypes?.[column] ?? 'text'];
}

/**
 * Refuses a change to a permanent row (a record, a signature, an audit entry…) made in the hub's
 * database by anything but the hub, which only ever adds them: someone with psql turning a failed
 * test into a pass there would hand the pass to every PC that joins later, while the PCs that hold
 * the record keep the fail. Made (again) at every start, like the data tables. A trigger dropped by
 * someone who owns the database is beyond it: `wardkeep verify` on a PC then names the row.
 */
const PERMANENT_GUARD = `
CREATE OR REPLACE FUNCTION hub_permanent_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'The rows of % are permanent: the hub only adds them, and one changed or removed here would reach no PC that holds it. Correct a record in Wardkeep on a PC (a correction is a new record).', TG_TABLE_NAME
    USING ERRCODE = 'restrict_violation';
END $$`;

function permanentGuardDdl(t: SyncTable): string[] {
  if (t.kind !== 'append') return [];
  return [
    `CREATE OR REPLACE TRIGGER ${q(`${t.name}_permanent`)} BEFORE UPDATE OR DELETE ON ${q(t.name)} FOR EACH ROW EXECUTE FUNCTION hub_permanent_row()`,
    `CREATE OR REPLACE TRIGGER ${q(`${t.name}_permanent_truncate`)} BEFORE TRUNCATE ON ${q(t.name)} FOR EACH STATEMENT EXECUTE FUNCTION hub_permanent_row()`,
  ];
}

function tableDdl(t: SyncTable): string[] {
  const own =
    t.kind === 'merge' ? ["_clocks jsonb NOT NULL DEFAULT '{}'", '_exists boolean NOT NULL DEFAULT true'] : ['_hash text NOT NULL'];
  const cols = [`_pk text COLLATE "C" PRIMARY KEY`, ...t.key.map((k) => `${q(k)} ${pgType(t, k)} NOT NULL`), ...own, '_pos bigint'];
  return [
    `CREATE TABLE IF NOT EXISTS ${q(t.name)} (${cols.join(', ')})`,
    ...Object.keys(t.fields).map((f) => `ALTER TABLE ${q(t.name)} ADD COLUMN IF NOT EXISTS ${q(f)} ${pgType(t, f)}`),
    `CREATE UNIQUE INDEX IF NOT EXISTS ${q(`${t.name}_key`)} ON ${q(t.name)} (${t.key.map(q).join(', ')})`,
  ];
}

/** Numbered migrations of the machinery; each runs once, in order, in one transaction. */
const MIGRATIONS: readonly string[] = [
  // 1: the machinery.
  `
CREATE TABLE hub_meta (key text PRIMARY KEY, value text NOT NULL);

-- PCs of the hospital: enrolled with a one-time code, each with its own Ed25519 key.
CREATE TABLE hub_pcs (
  pc_id text PRIMARY KEY,
  name text NOT NULL,
  public_key text NOT NULL,
  enrolled_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  last_seen_at timestamptz,
  last_push_at timestamptz,
  last_pull_at timestamptz
);
CREATE TABLE hub_enrol_codes (
  code_id text PRIMARY KEY,
  code_key text NOT NULL,
  pc_name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  used_by text
);
-- Requests already seen (replay protection), kept for a week of hub time.
CREATE TABLE hub_nonces (pc_id text NOT NULL, nonce text NOT NULL, seen_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (pc_id, nonce));

-- Each history a PC writes (its id, and a new one after a restore from backup): the last change
-- the hub has, and every change's hash, so a batch sent twice is taken once and a rewrite is seen.
CREATE TABLE hub_replicas (
  replica text PRIMARY KEY,
  pc_id text NOT NULL REFERENCES hub_pcs (pc_id),
  head_seq bigint NOT NULL DEFAULT 0,
  head_hash text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE hub_received (
  replica text NOT NULL,
  seq bigint NOT NULL,
  hash text NOT NULL,
  quarantined boolean NOT NULL DEFAULT false,
  PRIMARY KEY (replica, seq)
);

-- What the hub made of each change, in the order PCs follow it. A PC's cursor is (xid, pos): an
-- entry is only handed out once every transaction that began before it has ended, so an entry
-- whose transaction commits late is never passed over.
CREATE TABLE hub_log (
  pos bigserial PRIMARY KEY,
  xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
  tbl text NOT NULL,
  pk text NOT NULL,
  entry text NOT NULL,
  origin_replica text,
  origin_seq bigint,
  echo boolean NOT NULL DEFAULT true,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX hub_log_order ON hub_log (xid, pos);

-- Changes the hub could not take, with why; reported back to the PC that sent them.
CREATE TABLE hub_quarantine (
  id bigserial PRIMARY KEY,
  replica text NOT NULL,
  seq bigint NOT NULL,
  tbl text NOT NULL,
  pk text NOT NULL,
  op text NOT NULL,
  data text NOT NULL,
  reason text NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);

-- The newest entry of each PC's audit chain the hub has checked: the anchor of its receipts.
CREATE TABLE hub_audit_heads (
  chain_id text PRIMARY KEY,
  seq bigint NOT NULL,
  hash text NOT NULL,
  pc_id text,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- The hub's TLS key and self-signed certificate, made at first start, shared by every hub process.
CREATE TABLE hub_tls (id int PRIMARY KEY CHECK (id = 1), key_pem text NOT NULL, cert_pem text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
`,
  // 2: the log's order key is the transaction id plus an offset the hub keeps (hub_meta
  // 'log_offset', moved on at every start: keepLogAhead), so that a database restored into another
  // cluster, or a standby promoted while behind, still orders new entries after every stored one.
  `
CREATE FUNCTION hub_log_offset() RETURNS bigint LANGUAGE sql STABLE
  AS $$ SELECT coalesce((SELECT value::bigint FROM hub_meta WHERE key = 'log_offset'), 0) $$;
-- The order key of an entry this transaction writes.
CREATE FUNCTION hub_log_key() RETURNS xid8 LANGUAGE sql VOLATILE
  AS $$ SELECT (pg_current_xact_id()::text::bigint + hub_log_offset())::text::xid8 $$;
-- Entries below this key belong to transactions older than every one still running.
CREATE FUNCTION hub_log_horizon() RETURNS xid8 LANGUAGE sql STABLE
  AS $$ SELECT (pg_snapshot_xmin(pg_current_snapshot())::text::bigint + hub_log_offset())::text::xid8 $$;
ALTER TABLE hub_log ALTER COLUMN xid SET DEFAULT hub_log_key();
`,
  // 3: the entries about a user (or a device, a record…), found without reading the whole audit
  // log, the hub's biggest table: a join's or a resend's push looks up the entries the hub took
  // before about the users it sends (store.ts, USER_ENTRIES_SQL). Built in the migration's
  // transaction, not CONCURRENTLY (which no transaction may hold): the version and the index are
  // then made together or not at all, never a version 3 with an index left invalid. Meanwhile
  // pushes wait (the build holds a SHARE lock on audit_log) while pulls go on; a few seconds a
  // million entries, once. IF NOT EXISTS: one IT made by hand under that name is kept.
  `
CREATE INDEX IF NOT EXISTS audit_log_entity ON audit_log (entity, entity_id);
`,
  // 4: a user change refused for want of its audit entry is kept whole (its clock stamp and base
  // too, which the merge needs), so a later push bringing the entry has it taken then (store.ts,
  // retakeAwaiting); found by the user's key, among those still waiting only. A refusal kept
  // before this version holds no stamp and stays as it was. IF NOT EXISTS: a database taken back
  // to an older version number by hand keeps what it has.
  `
ALTER TABLE hub_quarantine ADD COLUMN IF NOT EXISTS hlc text, ADD COLUMN IF NOT EXISTS base text,
  ADD COLUMN IF NOT EXISTS awaits_entry boolean NOT NULL DEFAULT false;
CREATE INDEX IF NOT EXISTS hub_quarantine_awaiting ON hub_quarantine (pk) WHERE awaits_entry;
`,
  // 5: a refused change the hub took later (4) leaves hub_quarantine for this table, so the PC that
  // sent it, which lists the refusal, is told (store.ts: the push's answer, and the status answer
  // to a PC asking about the refusals it lists). Found by its history and number, as the PC names
  // it. A change a hub of version 4 took before the upgrade is not in it: its PC keeps listing it.
  `
CREATE TABLE IF NOT EXISTS hub_quarantine_taken (
  replica text NOT NULL,
  seq bigint NOT NULL,
  tbl text NOT NULL,
  pk text NOT NULL,
  hlc text,
  reason text NOT NULL,
  refused_at timestamptz NOT NULL,
  taken_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (replica, seq)
);
`,
  // 6: the pull's horizon counts this database's transactions only. The horizon of 2 is the
  // snapshot's oldest running transaction, and a snapshot lists the running transactions of every
  // database on the server, none of which ever writes this log: a hub sharing a PostgreSQL server
  // with another application held back every PC's pull while any write of that application ran
  // (an overnight batch: hours). This database's sessions and prepared transactions are looked at
  // after the snapshot is taken, so a transaction of this database older than the horizon has
  // ended by then: a statement after this one (never the same statement, nor the same REPEATABLE
  // READ transaction) sees everything it logged. The sessions come from the function behind
  // pg_stat_activity (the view's joins cost a warm call 2-3 ms instead of 1): the hub's role sees
  // its own sessions' transaction ids, and only it writes the log (PostgreSQL 15 shows every
  // role's). 32-bit ids are placed against the snapshot's next id; one given out since is at or
  // past it. hub_log_horizon() stays as it was, for a hub process of version 5 still running
  // meanwhile. OR REPLACE: a database taken back to an older version number by hand is brought up
  // again.
  `
CREATE OR REPLACE FUNCTION hub_log_pull_horizon() RETURNS xid8 LANGUAGE sql VOLATILE
  AS $$
  SELECT pg_stat_clear_snapshot();
  WITH n AS (SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS next_id)
  SELECT (least(n.next_id, (
      SELECT min(n.next_id - d) FROM (
        SELECT ((n.next_id % 4294967296) - x::text::bigint + 4294967296) % 4294967296 AS d FROM (
          SELECT a.backend_xid AS x FROM pg_stat_get_activity(NULL) a
           WHERE a.backend_xid IS NOT NULL AND a.datid = (SELECT oid FROM pg_database WHERE datname = current_database())
          UNION ALL
          SELECT p.transaction FROM pg_prepared_xacts p WHERE p.database = current_database()) ids) ds
       WHERE d < 2147483648)) + hub_log_offset())::text::xid8
  FROM n
  $$;
`,
];

/** The newest schema version of the hub's machinery (a database is migrated to it at the hub's start). */
export const HUB_SCHEMA_VERSION = MIGRATIONS.length;

/**
 * How far above every stored key the log's next key is put at a start whose clock cannot be
 * trusted (it is not past every stored key: the server's clock was set back): more transactions
 * than a cluster runs between a backup and its restore (or than a standby lags).
 */
export const LOG_MARGIN = 2 ** 32;

/**
 * Keys a millisecond of the server's clock is worth: the log's next key at a start is at least the
 * start's time × this, so a hub started later keys its entries after every key any hub of that
 * database gave before (a PostgreSQL cluster runs nowhere near 2²⁰ transactions a millisecond).
 * 2⁶³ keys last until the year 2248.
 */
export const LOG_KEYS_PER_MS = 2 ** 20;

/**
 * At each start: the next key of the log after every key this database's hub gave, here or on
 * the server it was copied from. Above every stored key is not enough: a hub restarted after the
 * dump it is restored from went on past the dump's keys, and the PCs that followed it hold cursors
 * there, which a restored hub keying from the dump's keys would hand its first entries below (they
 * would never receive them). So the next key is at least the start's time (LOG_KEYS_PER_MS), which
 * is past every key given before it; when the clock is not past every stored key (it was set back,
 * or an earlier start's margin is still ahead of it), LOG_MARGIN above the highest. Never lower
 * than this cluster would give without it. The log's writers are waited for and held off meanwhile
 * (SHARE mode), so no entry is written under the old offset after one under the new.
 */
async function keepLogAhead(client: PoolClient): Promise<void> {
  await client.query('LOCK TABLE hub_log IN SHARE MODE');
  await client.query(
    `WITH k AS (
       SELECT coalesce(max(xid::text::bigint), 0) AS stored,
              floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint * $2 AS now_key,
              pg_current_xact_id()::text::bigint AS cur
       FROM hub_log)
     INSERT INTO hub_meta (key, value)
     SELECT 'log_offset', greatest(hub_log_offset(), CASE WHEN now_key > stored THEN now_key ELSE stored + $1 END - cur)::text FROM k
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
    [LOG_MARGIN, LOG_KEYS_PER_MS],
  );
}

/**
 * A database no hub has started on that already holds tables under the names the hub makes (a
 * mistyped --database pointing at another application's): refused before anything is made, since
 * the hub would add its columns to that application's tables.
 */
async function refuseForeignTables(client: PoolClient): Promise<void> {
  const names = [...SYNC_TABLES.map((t) => t.name), 'hub_meta', 'hub_pcs', 'hub_enrol_codes', 'hub_nonces', 'hub_replicas', 'hub_received', 'hub_log', 'hub_quarantine', 'hub_quarantine_taken', 'hub_audit_heads', 'hub_tls'];
  const found = (
    await client.query<{ name: string; db: string }>(
      `SELECT c.relname AS name, current_database() AS db FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND c.relname = ANY($1) ORDER BY 1`,
      [names],
    )
  ).rows;
  if (found.length === 0) return;
  const shown = found.slice(0, 5).map((f) => f.name).join(', ') + (found.length > 5 ? ', …' : '');
  throw new HubSetupError(
    `The database "${found[0]!.db}" is not a Wardkeep hub's: no hub was started on it, and it already holds tables of its own (${shown}). Give the hub a database of its own (createdb --owner wardkeep wardkeep). Nothing was changed.`,
  );
}

/**
 * A hub database a newer Wardkeep has migrated is never served, migrated or administered by this
 * one: its rows may have a shape this version would write wrongly.
 */
export function refuseNewerHub(version: number): void {
  if (version > MIGRATIONS.length)
    throw new HubSetupError(
      `This database was set up by a newer Wardkeep hub (schema version ${version}); this one knows version ${MIGRATIONS.length} at most. Update Wardkeep.`,
    );
}

export async function migrateHub(client: PoolClient): Promise<{ from: number; to: number }> {
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
  try {
    await client.query('BEGIN');
    await client.query('CREATE TABLE IF NOT EXISTS hub_schema (version int NOT NULL)');
    const r = await client.query<{ version: number }>('SELECT version FROM hub_schema');
    const from = r.rows[0]?.version ?? 0;
    if (from === 0) await refuseForeignTables(client);
    refuseNewerHub(from);
    // The data tables before the migrations, which may index them (3).
    for (const t of SYNC_TABLES) for (const sql of tableDdl(t)) await client.query(sql);
    for (let v = from; v < MIGRATIONS.length; v++) await client.query(MIGRATIONS[v]!);
    if (from === 0) {
      await client.query('INSERT INTO hub_schema (version) VALUES ($1)', [MIGRATIONS.length]);
      await client.query("INSERT INTO hub_meta (key, value) VALUES ('hub_id', $1)", [uuidv7()]);
    } else {
      await client.query('UPDATE hub_schema SET version = $1', [MIGRATIONS.length]);
    }
    // The nonces are let go of by age (pcs.ts, sweepNonces).
    await client.query('CREATE INDEX IF NOT EXISTS hub_nonces_seen ON hub_nonces (seen_at)');
    await client.query(PERMANENT_GUARD);
    for (const t of SYNC_TABLES) for (const sql of permanentGuardDdl(t)) await client.query(sql);
    await keepLogAhead(client);
    await client.query('COMMIT');
    return { from, to: MIGRATIONS.length };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
  }
}
