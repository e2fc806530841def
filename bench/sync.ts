import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { buildSync } from 'esbuild';
import pg from 'pg';
import { openDatabase } from '../main/core/db/open';
import { openCore } from '../main/core/open-core';
import { enrolPc, SyncClient, transportFor } from '../main/core/sync/engine';
import { formatHlc } from '../main/core/sync/hlc';
import type { SyncTable } from '../main/core/sync/tables';
import { stampClocks } from '../main/core/sync/capture';
import { syncTable } from '../main/core/sync/tables';
import { createEnrolCode } from '../main/hub/pcs';
import { appendHash, bulkInsertSql, pgRow } from '../main/hub/rows';
import type { RunningHub } from '../main/hub/server';
import { startHub } from '../main/hub/server';
import type { Cluster } from '../test/helpers/pg';
import { startCluster } from '../test/helpers/pg';
import { benchDataDir } from './seed';
import type { Command } from './sync-pcs';

/**
 * `npm run bench:sync`: the figures of the hub issue, measured on a real PostgreSQL (a throwaway
 * cluster, or WARDKEEP_BENCH_PG=postgres://… for one of yours) and a real HTTPS hub:
 * 1. 20 PCs, each offline with 5,000 changes, converge after the network heals (target < 60 s);
 *    the hub's changes accepted per second, from the push phase;
 * 2. a PC offline for four weeks with 100,000 changes to receive and 10,000 to send (< 30 s);
 * 3. a status change reaches every connected PC at the default sync interval (p95 < 15 s);
 * 4. a new PC joins a hospital of 50,000 devices and 2,000,000 records (< 5 min), with progress.
 * Set BENCH_SYNC_PCS / BENCH_SYNC_CHANGES to run smaller, BENCH_SYNC_ONLY=convergence|join to run
 * one half; with WARDKEEP_BENCH_PG, BENCH_SYNC_KEEP_HOSPITAL=1 keeps the loaded hospital for the next
 * run; BENCH_SYNC_WORKER_ARGS passes node options (--cpu-prof) to the PCs' threads.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const log = (line: string) => process.stdout.write(`${line}\n`);
const PCS = Number(process.env.BENCH_SYNC_PCS ?? 20);
const CHANGES = Number(process.env.BENCH_SYNC_CHANGES ?? 5000);
const WORKERS = 2;
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const n = (v: number) => v.toLocaleString('en');

function workerScript(): string {
  const code = buildSync({
    entryPoints: [path.join(root, 'bench/sync-pcs.ts')],
    write: false,
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    target: 'node20',
    logLevel: 'error',
    outfile: 'w.mjs',
  }).outputFiles[0]!.contents;
  const dir = path.join(root, '.cache', 'bench');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `sync-pcs-${createHash('sha256').update(code).digest('hex').slice(0, 12)}.mjs`);
  if (!existsSync(file)) {
    writeFileSync(`${file}.tmp`, code);
    renameSync(`${file}.tmp`, file);
  }
  return file;
}

class Pcs {
  private seq = 0;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  constructor(readonly worker: Worker) {
    worker.on('message', (m: { seq: number; value?: unknown; error?: string }) => {
      const p = this.pending.get(m.seq)!;
      this.pending.delete(m.seq);
      if (m.error) p.reject(new Error(m.error));
      else p.resolve(m.value);
    });
  }
  run<T>(command: Command): Promise<T> {
    const seq = ++this.seq;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(seq, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ seq, command });
    });
  }
}

const results: { what: string; measured: string; target: string; ok: boolean | null }[] = [];

async function newDatabase(cluster: { baseUrl: string }, name: string): Promise<string> {
  const c = new pg.Client({ connectionString: `${cluster.baseUrl}postgres` });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  return `${cluster.baseUrl}${name}`;
}

async function convergence(cluster: { baseUrl: string }, work: string): Promise<void> {
  const url = await newDatabase(cluster, 'bench_convergence');
  const hub = await startHub({ databaseUrl: url, host: '127.0.0.1', port: 0, tlsDir: null, log: () => undefined });
  const script = workerScript();
  const groups = Array.from(
    { length: WORKERS },
    (_, w) => new Pcs(new Worker(script, { workerData: { worker: w }, execArgv: process.env.BENCH_SYNC_WORKER_ARGS?.split(' ') ?? [] })),
  );
  try {
    // The hospital's first PC sets up the site; then PCs join, spread over the workers.
    const names = Array.from({ length: PCS }, (_, i) => `PC ${String(i + 1).padStart(2, '0')}`);
    for (let w = 0; w < WORKERS; w++) {
      const mine = names.filter((_, i) => i % WORKERS === w);
      const pcs = [];
      for (const name of mine)
        pcs.push({ name, dataDir: mkdtempSync(path.join(work, 'pc-')), code: (await createEnrolCode(hub.pool, name)).code });
      await groups[w]!.run({ cmd: 'enrol', pcs, hubUrl: hub.url });
    }
    // The PC that will be away four weeks joins too, then goes quiet.
    const away = openCore({ dataDir: mkdtempSync(path.join(work, 'away-')) });
    await enrolPc(away, hub.url, (await createEnrolCode(hub.pool, 'Away')).code);
    const awayClient = new SyncClient(away, transportFor(away));
    await awayClient.syncOnce();
    await Promise.all(groups.map((g) => g.run({ cmd: 'sync' })));

    log(`Making ${n(CHANGES)} changes on each of ${PCS} PCs, offline …`);
    await Promise.all(groups.map((g) => g.run({ cmd: 'changes', count: CHANGES })));
    log(`… and ${n(CHANGES * 2)} on the PC away for four weeks.`);
    await awayChanges(away, CHANGES * 2);

    log('The network heals: every PC sends, then every PC receives until all agree.');
    const t0 = performance.now();
    const pushed = (await Promise.all(groups.map((g) => g.run<number>({ cmd: 'push' })))).reduce((a, b) => a + b, 0);
    const t1 = performance.now();
    log(`  sent ${n(pushed)} changes in ${s(t1 - t0)}`);
    let slowest = 0;
    for (let round = 0; round < 5; round++) {
      const reports = (await Promise.all(groups.map((g) => g.run<{ ms: number; pulled: number }[]>({ cmd: 'sync' })))).flat();
      if (round === 0) slowest = Math.max(...reports.map((r) => r.ms));
      log(
        `  round ${round + 1} of receiving done at ${s(performance.now() - t0)} (slowest PC ${s(Math.max(...reports.map((r) => r.ms)))}, ${n(Math.max(...reports.map((r) => r.pulled)))} rows)`,
      );
      const counts = (
        await Promise.all(groups.map((g) => g.run<number[]>({ cmd: 'count', sql: 'SELECT count(*) FROM equipment' })))
      ).flat();
      if (new Set(counts).size === 1) break;
    }
    const t2 = performance.now();
    const hubEquipment = Number((await hub.pool.query<{ n: string }>('SELECT count(*) AS n FROM equipment')).rows[0]!.n);
    const counts = (await Promise.all(groups.map((g) => g.run<number[]>({ cmd: 'count', sql: 'SELECT count(*) FROM equipment' })))).flat();
    const agree = counts.every((c) => c === counts[0]) && hubEquipment >= counts[0]!;
    if (!agree) log(`  devices: hub ${n(hubEquipment)}, PCs ${counts.map(n).join(', ')}`);
    // On this machine all the PCs share its cores; in a hospital each is its own PC, so the PCs
    // converge when the hub has every change and the slowest PC has received them.
    results.push({
      what: `${PCS} PCs × ${n(CHANGES)} changes converge, each PC its own machine`,
      measured: `${s(t1 - t0 + slowest)} (send ${s(t1 - t0)} + slowest PC ${s(slowest)})`,
      target: '< 60 s',
      ok: agree && t1 - t0 + slowest < 60_000,
    });
    results.push({
      what: `  … all ${PCS} simulated on this machine's ${cpus().length} cores`,
      measured: `${s(t2 - t0)} (${n(pushed)} changes; every PC ${agree ? 'equal' : 'NOT equal'})`,
      target: '(report)',
      ok: agree ? null : false,
    });
    results.push({
      what: 'hub: changes accepted per second (push phase)',
      measured: `${n(Math.round(pushed / ((t1 - t0) / 1000)))} /s (${n(pushed)} in ${s(t1 - t0)})`,
      target: '(report)',
      ok: null,
    });

    log('The PC away for four weeks comes back.');
    const t3 = performance.now();
    const back = await awayClient.syncOnce();
    const t4 = performance.now();
    // Received counts rows as the hub sends them: a row changed twice in one batch comes once.
    results.push({
      what: `PC back after four weeks: ${n(PCS * CHANGES)} made elsewhere, ${n(back.pushed)} sent`,
      measured: s(t4 - t3),
      target: '< 30 s',
      ok: t4 - t3 < 30_000,
    });
    away.close();

    log('Status changes, every PC syncing in the background at the default interval …');
    await Promise.all(groups.map((g) => g.run({ cmd: 'loops', on: true })));
    const tag = (await groups[0]!.run<string[]>({ cmd: 'count', sql: 'SELECT asset_tag FROM equipment ORDER BY asset_tag LIMIT 1' }))[0]!;
    const delays: number[] = [];
    const trials = Number(process.env.BENCH_SYNC_TRIALS ?? 20);
    for (let i = 0; i < trials; i++) {
      const status = i % 2 === 0 ? 'out_of_service' : 'in_service';
      await new Promise((r) => setTimeout(r, 500 + Math.random() * 4000));
      const watching = groups.map((g) => g.run<Record<string, number>>({ cmd: 'watch', tag, status }));
      const at = await groups[0]!.run<number>({ cmd: 'status', pc: 'PC 01', tag, status });
      const seen = Object.assign({}, ...(await Promise.all(watching))) as Record<string, number>;
      for (const [pc, t] of Object.entries(seen)) if (pc !== 'PC 01') delays.push(t - at);
      if (Object.keys(seen).length < PCS) delays.push(Infinity);
    }
    await Promise.all(groups.map((g) => g.run({ cmd: 'loops', on: false })));
    delays.sort((a, b) => a - b);
    const p95 = delays[Math.min(delays.length - 1, Math.ceil(delays.length * 0.95) - 1)]!;
    const p50 = delays[Math.floor(delays.length / 2)]!;
    results.push({
      what: `a status change reaches every other PC (${trials} changes, ${PCS - 1} PCs)`,
      measured: `p95 ${s(p95)}, median ${s(p50)}`,
      target: 'p95 < 15 s',
      ok: p95 < 15_000,
    });
  } finally {
    await Promise.all(groups.map((g) => g.run({ cmd: 'close' }).catch(() => undefined)));
    await Promise.all(groups.map((g) => g.worker.terminate()));
    await hub.close();
  }
}

async function awayChanges(core: ReturnType<typeof openCore>, count: number): Promise<void> {
  const { createEquipment, updateEquipment } = await import('../main/core/equipment/service');
  const { resolveLocationPath } = await import('../main/core/locations/service');
  const { inTransaction } = await import('../main/core/dispatcher/transaction');
  const { EquipmentFields } = await import('../shared/domain/equipment');
  const actor = { userId: null, name: 'Bench', role: 'admin' as const, via: 'system' as const };
  const ward = inTransaction(core, (w) => resolveLocationPath(w, actor, 'Bench Hospital > Away', { create: true })!.id);
  const rows = () => core.db.prepare('SELECT count(*) FROM sync_outbox').pluck().get() as number;
  const made: string[] = [];
  let i = 0;
  while (rows() < count) {
    inTransaction(core, (w) => {
      for (let k = 0; k < 50; k++, i++) {
        if (i % 2 === 0 || made.length === 0)
          made.push(createEquipment(w, actor, EquipmentFields.parse({ assetTag: `AWAY-${i}`, name: 'Monitor', locationId: ward })).id);
        else {
          const id = made[i % made.length]!;
          const tagOf = w.db.prepare('SELECT asset_tag FROM equipment WHERE id = ?').pluck().get(id) as string;
          updateEquipment(w, actor, { ...EquipmentFields.parse({ assetTag: tagOf, name: `Monitor ${i}`, locationId: ward }), id });
        }
      }
    });
  }
}

/** Copies the benchmark's synthetic hospital (bench/seed.ts) into the hub's tables, as if PCs had sent it. */
async function loadHospital(url: string): Promise<Record<string, number>> {
  const seedDir = await benchDataDir(root, '50k', log);
  const { db } = openDatabase({ dataDir: seedDir });
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const loaded: Record<string, number> = {};
  try {
    for (const name of ['locations', 'equipment', 'plans', 'completions']) {
      const t = syncTable(name) as SyncTable;
      const fields = Object.keys(t.fields);
      const stamped = t.kind === 'merge';
      const select = db.prepare(
        `SELECT json_array(${t.key.map((k) => `"${k}"`).join(', ')}) AS pk, json_object(${fields.map((f) => `'${f}', "${f}"`).join(', ')}) AS data${stamped ? ', updated_at' : ''} FROM "${name}" ORDER BY rowid`,
      );
      let batch: Record<string, unknown>[] = [];
      let count = 0;
      const flush = async () => {
        if (batch.length === 0) return;
        await pool.query(bulkInsertSql(t, stamped ? ['_clocks', '_exists'] : ['_hash'], 'nothing'), [JSON.stringify(batch)]);
        count += batch.length;
        batch = [];
      };
      for (const row of select.iterate() as IterableIterator<{ pk: string; data: string; updated_at?: string }>) {
        const data = JSON.parse(row.data) as Record<string, unknown>;
        if (stamped) {
          const hlc = formatHlc({ wall: Date.parse(row.updated_at ?? '2025-01-01T00:00:00Z'), counter: 0, node: 'seed' });
          batch.push(
            pgRow(t, row.pk, data, {
              _clocks: JSON.parse(stampClocks(null, JSON.stringify({ ...data, _exists: 1 }), hlc)) as object,
              _exists: true,
            }),
          );
        } else {
          batch.push(pgRow(t, row.pk, data, { _hash: appendHash(t, data) }));
        }
        if (batch.length >= 10_000) await flush();
      }
      await flush();
      loaded[name] = count;
      log(`  ${name}: ${n(count)}`);
    }
  } finally {
    db.close();
    await pool.end();
  }
  return loaded;
}

/** The hub's database for the join, loaded with the hospital; kept as a template between runs on a cluster of yours (BENCH_SYNC_KEEP_HOSPITAL=1). */
async function hospitalDatabase(cluster: { baseUrl: string }): Promise<{ url: string; loaded: Record<string, number> }> {
  const keep = process.env.BENCH_SYNC_KEEP_HOSPITAL === '1';
  const c = new pg.Client({ connectionString: `${cluster.baseUrl}postgres` });
  await c.connect();
  try {
    const kept = keep && (await c.query("SELECT 1 FROM pg_database WHERE datname = 'bench_join_hospital'")).rowCount === 1;
    if (kept) {
      await c.query('DROP DATABASE IF EXISTS bench_join WITH (FORCE)');
      await c.query('CREATE DATABASE bench_join TEMPLATE bench_join_hospital');
      const url = `${cluster.baseUrl}bench_join`;
      const pool = new pg.Pool({ connectionString: url, max: 1 });
      const loaded: Record<string, number> = {};
      for (const name of ['locations', 'equipment', 'plans', 'completions'])
        loaded[name] = Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM "${name}"`)).rows[0]!.n);
      await pool.end();
      log(
        `The hospital kept from an earlier run (bench_join_hospital): ${n(loaded.equipment ?? 0)} devices, ${n(loaded.completions ?? 0)} records.`,
      );
      return { url, loaded };
    }
  } finally {
    await c.end();
  }
  const url = await newDatabase(cluster, 'bench_join');
  const hub = await startHub({ databaseUrl: url, host: '127.0.0.1', port: 0, tlsDir: null, log: () => undefined });
  let loaded: Record<string, number>;
  try {
    log('Loading a hospital of 50,000 devices and 2,000,000 records into the hub …');
    loaded = await loadHospital(url);
  } finally {
    await hub.close();
  }
  if (keep) {
    const k = new pg.Client({ connectionString: `${cluster.baseUrl}postgres` });
    await k.connect();
    await k.query('DROP DATABASE IF EXISTS bench_join_hospital WITH (FORCE)');
    await k.query('CREATE DATABASE bench_join_hospital TEMPLATE bench_join');
    await k.end();
  }
  return { url, loaded };
}

async function join(cluster: { baseUrl: string }, work: string): Promise<void> {
  const { url, loaded } = await hospitalDatabase(cluster);
  let hub: RunningHub | null = await startHub({ databaseUrl: url, host: '127.0.0.1', port: 0, tlsDir: null, log: () => undefined });
  try {
    // The new PC in a thread of its own, as it would be on its own machine: the hub keeps serving while it writes.
    const group = new Pcs(
      new Worker(workerScript(), { workerData: { worker: 0 }, execArgv: process.env.BENCH_SYNC_WORKER_ARGS?.split(' ') ?? [] }),
    );
    try {
      const dataDir = mkdtempSync(path.join(work, 'new-'));
      await group.run({
        cmd: 'enrol',
        pcs: [{ name: 'New PC', dataDir, code: (await createEnrolCode(hub.pool, 'New PC')).code }],
        hubUrl: hub.url,
      });
      log('A new PC joins:');
      const t0 = performance.now();
      await group.run({ cmd: 'sync' });
      const t1 = performance.now();
      const [e, c] = await Promise.all([
        group.run<number[]>({ cmd: 'count', sql: 'SELECT count(*) FROM equipment' }),
        group.run<number[]>({ cmd: 'count', sql: 'SELECT count(*) FROM completions' }),
      ]);
      const complete = e[0] === loaded.equipment && c[0] === loaded.completions;
      results.push({
        what: `a new PC joins: ${n(e[0]!)} devices, ${n(c[0]!)} records`,
        measured: `${s(t1 - t0)}${complete ? '' : ' (INCOMPLETE)'}`,
        target: '< 5 min',
        ok: complete && t1 - t0 < 300_000,
      });
      await group.run({ cmd: 'close' });
    } finally {
      await group.worker.terminate();
    }
  } finally {
    await hub?.close();
    hub = null;
  }
}

async function main(): Promise<void> {
  // Ctrl+C stops the throwaway cluster too.
  process.once('SIGINT', () => (process.exitCode = 130));
  const work = mkdtempSync(path.join(tmpdir(), 'wardkeep-bench-sync-'));
  let cluster: Cluster | { baseUrl: string; stop(): void };
  if (process.env.WARDKEEP_BENCH_PG) cluster = { baseUrl: process.env.WARDKEEP_BENCH_PG.replace(/[^/]*$/, ''), stop: () => undefined };
  else {
    log('Starting a throwaway PostgreSQL cluster …');
    cluster = await startCluster();
  }
  try {
    if (process.env.BENCH_SYNC_ONLY !== 'join') await convergence(cluster, work);
    if (process.env.BENCH_SYNC_ONLY !== 'convergence') await join(cluster, work);
  } finally {
    cluster.stop();
    rmSync(work, { recursive: true, force: true });
  }
  const widths = [62, 44, 12];
  log('');
  for (const r of results) {
    log(
      `${r.what.padEnd(widths[0]!)} ${r.measured.padEnd(widths[1]!)} ${r.target.padEnd(widths[2]!)} ${r.ok === null ? '' : r.ok ? 'ok' : 'MISSED'}`,
    );
  }
  const missed = results.filter((r) => r.ok === false).length;
  log(missed === 0 ? '\nEvery target met.' : `\n${missed} target${missed === 1 ? '' : 's'} missed.`);
  process.exitCode = missed === 0 ? 0 : 1;
}

await main();
