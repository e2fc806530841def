import { parentPort, workerData } from 'node:worker_threads';
import type { Core } from '../main/core/context';
import { inTransaction } from '../main/core/dispatcher/transaction';
import { openCore } from '../main/core/open-core';
import { createEquipment, setEquipmentStatus, updateEquipment } from '../main/core/equipment/service';
import { resolveLocationPath } from '../main/core/locations/service';
import { enrolPc, SyncClient, transportFor } from '../main/core/sync/engine';
import type { SyncReport } from '../main/core/sync/engine';
import { runSyncLoop } from '../main/core/sync/loop';
import { EquipmentFields } from '../shared/domain/equipment';
import type { EquipmentStatus } from '../shared/domain/equipment';

/**
 * Ward PCs for the sync benchmark, several to a worker thread (the machine has few cores, and a PC
 * spends most of a sync waiting for the hub). Driven by messages from bench/sync.ts.
 */

export type Command =
  | { cmd: 'enrol'; pcs: { name: string; dataDir: string; code: string }[]; hubUrl: string }
  | { cmd: 'sync'; only?: string[] }
  | { cmd: 'push' }
  | { cmd: 'changes'; count: number; only?: string[] }
  | { cmd: 'loops'; on: boolean }
  | { cmd: 'status'; pc: string; tag: string; status: EquipmentStatus }
  | { cmd: 'watch'; tag: string; status: EquipmentStatus }
  | { cmd: 'count'; sql: string }
  | { cmd: 'close' };

const actor = { userId: null, name: 'Bench', role: 'admin' as const, via: 'system' as const };

interface Pc {
  name: string;
  core: Core & { close(): void };
  client: SyncClient;
}

const pcs: Pc[] = [];
let loops: AbortController | null = null;
const running: Promise<unknown>[] = [];
const id = workerData as { worker: number };

function wardOf(pc: Pc): string {
  return inTransaction(pc.core, (w) => resolveLocationPath(w, actor, `Bench Hospital > ${pc.name}`, { create: true })!.id);
}

/** `count` changes on the PC's outbox: new devices and renames of them (each with its audit entry). */
function makeChanges(pc: Pc, count: number): void {
  const ward = wardOf(pc);
  const made: string[] = [];
  const rows = () => pc.core.db.prepare('SELECT count(*) FROM sync_outbox').pluck().get() as number;
  const target = rows() + count;
  let i = 0;
  while (rows() < target) {
    inTransaction(pc.core, (w) => {
      for (let k = 0; k < 50; k++, i++) {
        if (i % 2 === 0 || made.length === 0) {
          const tag = `${pc.name.replace(/\W/g, '')}-${String(made.length).padStart(6, '0')}-${Date.now() % 100000}`;
          made.push(createEquipment(w, actor, EquipmentFields.parse({ assetTag: tag, name: 'Infusion pump', locationId: ward })).id);
        } else {
          const eid = made[i % made.length]!;
          const tag = w.db.prepare('SELECT asset_tag FROM equipment WHERE id = ?').pluck().get(eid) as string;
          updateEquipment(w, actor, {
            ...EquipmentFields.parse({ assetTag: tag, name: `Infusion pump ${i}`, locationId: ward }),
            id: eid,
          });
        }
      }
    });
  }
}

async function handle(c: Command): Promise<unknown> {
  switch (c.cmd) {
    case 'enrol':
      for (const p of c.pcs) {
        const core = openCore({ dataDir: p.dataDir });
        await enrolPc(core, c.hubUrl, p.code);
        const client = new SyncClient(core, transportFor(core));
        let shown = 0;
        const began = Date.now();
        client.onEvent((e) => {
          // A big download shows its progress, as the app's join screen will.
          if (e.kind !== 'join' || e.progress.total < 100_000 || (e.progress.phase === 'download' && Date.now() - shown < 5000)) return;
          shown = Date.now();
          const pct = ((100 * e.progress.done) / e.progress.total).toFixed(1);
          process.stdout.write(
            `  ${((Date.now() - began) / 1000).toFixed(0).padStart(4)} s  ${e.progress.phase === 'download' ? `downloading: ${e.progress.done.toLocaleString('en')} of ${e.progress.total.toLocaleString('en')} rows (${pct}%)` : e.progress.phase === 'recompute' ? 'working out due dates and service status' : 'done'}\n`,
          );
        });
        pcs.push({ name: p.name, core, client });
      }
      return pcs.length;
    case 'changes':
      for (const pc of pcs) if (!c.only || c.only.includes(pc.name)) makeChanges(pc, c.count);
      return pcs.map((pc) => pc.core.db.prepare('SELECT count(*) FROM sync_outbox').pluck().get());
    case 'sync': {
      // One PC after another in this thread: each one's own time is what it would take on its own PC.
      const reports: (SyncReport & { ms: number })[] = [];
      for (const pc of pcs) {
        if (c.only && !c.only.includes(pc.name)) continue;
        const t = performance.now();
        const r = await pc.client.syncOnce();
        reports.push({ ...r, ms: performance.now() - t });
      }
      return reports;
    }
    case 'push': {
      let n = 0;
      for (const pc of pcs) n += (await pc.client.push()).count;
      return n;
    }
    case 'loops':
      if (c.on) {
        loops = new AbortController();
        for (const pc of pcs) running.push(runSyncLoop(pc.client, { signal: loops.signal, onError: () => undefined }));
      } else {
        loops?.abort();
        await Promise.all(running.splice(0));
      }
      return true;
    case 'status': {
      const pc = pcs.find((p) => p.name === c.pc)!;
      const eid = pc.core.db.prepare('SELECT id FROM equipment WHERE asset_tag = ?').pluck().get(c.tag) as string;
      inTransaction(pc.core, (w) => setEquipmentStatus(w, actor, { id: eid, status: c.status, reason: 'Bench' }));
      return Date.now();
    }
    case 'watch': {
      // Every PC of this worker: when it first shows the status (ms since the epoch).
      const seen = new Map<string, number>();
      const deadline = Date.now() + 60_000;
      while (seen.size < pcs.length && Date.now() < deadline) {
        for (const pc of pcs) {
          if (seen.has(pc.name)) continue;
          const s = pc.core.db.prepare('SELECT status FROM equipment WHERE asset_tag = ?').pluck().get(c.tag);
          if (s === c.status) seen.set(pc.name, Date.now());
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      return Object.fromEntries(seen);
    }
    case 'count':
      return pcs.map((pc) => pc.core.db.prepare(c.sql).pluck().get());
    case 'close':
      loops?.abort();
      await Promise.all(running.splice(0));
      for (const pc of pcs) pc.core.close();
      return true;
  }
}

parentPort!.on('message', (m: { seq: number; command: Command }) => {
  handle(m.command).then(
    (value) => parentPort!.postMessage({ seq: m.seq, value }),
    (err: unknown) =>
      parentPort!.postMessage({
        seq: m.seq,
        error: `worker ${id.worker}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
      }),
  );
});
