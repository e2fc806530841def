import { inject } from 'vitest';
import { verifyAuditChain } from '../../../main/core/audit';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import type { Core } from '../../../main/core/context';
import { AppError } from '../../../main/core/errors';
import { createEquipment, setEquipmentStatus, updateEquipment } from '../../../main/core/equipment/service';
import { updateSettings } from '../../../main/core/settings/service';
import { adjustStock } from '../../../main/core/stock/ledger';
import { createStockLocation, createSupplyItem, setStockLevel } from '../../../main/core/stock/catalog';
import { insertUser, setUserActive, userRowByName } from '../../../main/core/users/service';
import { openWorkOrderOf } from '../../../main/core/repairs/store';
import { retireWorkOrder, takeWorkOrder, waitWorkOrder } from '../../../main/core/repairs/work-orders';
import { recomputeAllDerived } from '../../../main/core/sync/derived';
import { enrolPc, SyncClient, SyncError } from '../../../main/core/sync/engine';
import type { Change } from '../../../main/core/sync/protocol';
import { getState } from '../../../main/core/sync/state';
import type { SyncTable } from '../../../main/core/sync/tables';
import { mergeUnits, SYNC_TABLES } from '../../../main/core/sync/tables';
import { createEnrolCode } from '../../../main/hub/pcs';
import type { HubContext } from '../../../main/hub/server';
import { openHub } from '../../../main/hub/server';
import { EquipmentFields } from '../../../shared/domain/equipment';
import type { EquipmentStatus } from '../../../shared/domain/equipment';
import { createDatabase } from '../../helpers/pg';
import { fixedClock, testActor, testCore } from '../../helpers/core';
import { done, place, plan } from '../plans/fixtures';
import { DirectTransport } from './harness';
import type { Fault } from './network';
import { FaultyNetwork } from './network';

/**
 * A hospital for the property tests: N PCs, each with its own SQLite database and its own clock
 * (days off, stepping backwards), one or two hub processes on one real PostgreSQL database, and a
 * network that misbehaves. Steps are plain data, so fast-check can shrink a failing run.
 */

export const DAY = 24 * 3600 * 1000;
/** The one who steps work orders, on every PC (a supervisor: retiring a device is theirs). */
const TECHNICIAN = 'Wendy Works';

export type Step =
  | { kind: 'device'; pc: number; tag: number }
  | { kind: 'rename'; pc: number; device: number; name: number }
  | { kind: 'status'; pc: number; device: number; status: number }
  | { kind: 'record'; pc: number; device: number; fail: boolean; minutesAgo: number }
  | { kind: 'user'; pc: number; name: number }
  | { kind: 'deactivate'; pc: number; user: number }
  | { kind: 'setting'; pc: number; value: number }
  | { kind: 'stock'; pc: number; delta: number }
  /** A step on a device's open work order (a failed safety test opens one): take it, put it to wait for parts, or retire the device. */
  | { kind: 'workOrder'; pc: number; device: number; action: number }
  | { kind: 'sync'; pc: number; faults: Fault[] }
  | { kind: 'together' }
  | { kind: 'clock'; pc: number; minutes: number }
  | { kind: 'partition'; pc: number; on: boolean }
  | { kind: 'deliver'; count: number };

const STATUSES: EquipmentStatus[] = ['in_service', 'out_of_service', 'missing', 'retired'];
const NAMES = ['Defibrillator', 'Defibrillator, adult', 'AED', 'Monitor'];
const USERS = ['Ana Silva', 'Bo Chen'];
const HOSPITAL = ['St Elsewhere', 'General', 'County'];

export interface SimPc {
  index: number;
  core: Core & { close(): void };
  clock: ReturnType<typeof fixedClock>;
  client: SyncClient;
}

export class World {
  readonly net = new FaultyNetwork();
  readonly pcs: SimPc[] = [];
  /** Every change any PC ever sent, by replica and seq: the oracle's input. */
  readonly sent = new Map<string, Change>();
  private picks = 0;
  readonly errors: string[] = [];

  private constructor(
    readonly hubs: (HubContext & { close(): Promise<void> })[],
    private readonly drop: () => Promise<void>,
  ) {}

  static async create(pcCount: number, hubCount: number, skews: readonly number[]): Promise<World> {
    const db = await createDatabase(inject('pgBaseUrl'));
    const hubs: (HubContext & { close(): Promise<void> })[] = [];
    for (let i = 0; i < hubCount; i++) {
      const h = await openHub(db.url, null, 3, () => undefined);
      hubs.push({ ...h, close: () => h.pool.end() });
    }
    const world = new World(hubs, db.drop);
    const now = Date.now();
    for (let i = 0; i < pcCount; i++) {
      const clock = fixedClock(new Date(now + (skews[i] ?? 0)).toISOString());
      const core = testCore({ clock });
      const identity = () => {
        const key = getState(core, 'pc_key');
        return key ? { pcId: core.pcId, privateKey: key } : null;
      };
      const direct = hubs.map((h) => new DirectTransport(h, identity));
      const recording = world.net.transport(i, direct, () => world.picks++);
      const transport = {
        post: async (path: string, body: unknown) => {
          if (path === '/v1/push')
            for (const c of (body as { replica: string; changes: Change[] }).changes)
              world.sent.set(`${(body as { replica: string }).replica}/${c.seq}`, c);
          return recording.post(path, body);
        },
      };
      const { code } = await createEnrolCode(hubs[0]!.pool, `PC ${i + 1}`);
      await enrolPc(core, 'https://hub.invalid', code, {
        peek: async () => ({ fingerprint: hubs[0]!.tls.fingerprint, pem: hubs[0]!.tls.certPem }),
        transport: () => direct[0]!,
      });
      world.pcs.push({ index: i, core, clock, client: new SyncClient(core, transport) });
    }
    // The first PC sets up a store; every PC starts from it.
    const first = world.pcs[0]!.core;
    const loc = place(first, 'General Hospital > Ward 4B');
    inTransaction(first, (w) => {
      const store = createStockLocation(w, testActor, { name: 'Crash cart', kind: 'crash_cart', locationId: loc, equipmentId: null });
      const item = createSupplyItem(w, testActor, { name: 'Pads', code: 'P1', unit: 'pair', defaultSupplier: null });
      setStockLevel(w, testActor, { stockLocationId: store.id, itemId: item.id, par: 10, minimum: 2 });
      insertUser(w, testActor, { name: TECHNICIAN, role: 'supervisor', homeLocationId: null, pinHash: null, passwordHash: null, mustSetPin: true });
    });
    for (const pc of world.pcs) await pc.client.syncOnce();
    return world;
  }

  async close(): Promise<void> {
    for (const pc of this.pcs) pc.core.close();
    for (const h of this.hubs) await h.close();
    await this.drop();
  }

  private devices(core: Core): string[] {
    return core.db.prepare('SELECT id FROM equipment ORDER BY id').pluck().all() as string[];
  }

  /** Runs one step; what a person would be refused (a status it already has) is simply not done. */
  async run(step: Step): Promise<void> {
    if (step.kind === 'deliver') return this.net.deliverHeld(step.count);
    if (step.kind === 'together') {
      // Every PC at once, through both hubs: real concurrent transactions on PostgreSQL.
      await Promise.all(
        this.pcs.map((pc) =>
          pc.client.syncOnce().catch((err: unknown) => {
            if (!(err instanceof SyncError) || (err.kind !== 'unreachable' && err.kind !== 'refused')) throw err;
          }),
        ),
      );
      return;
    }
    const pc = this.pcs[step.pc % this.pcs.length]!;
    const core = pc.core;
    pc.clock.set(new Date(pc.clock.now().getTime() + 60_000).toISOString());
    const pick = (i: number, list: string[]) => (list.length ? list[i % list.length]! : null);
    try {
      switch (step.kind) {
        case 'device': {
          const locationId = place(core, 'General Hospital > Ward 4B');
          const fields = EquipmentFields.parse({ assetTag: `DF-${step.tag}`, name: 'Defibrillator', locationId });
          const { id } = inTransaction(core, (w) => createEquipment(w, testActor, fields));
          plan(core, id, 'electrical_safety', '1y', '2025-01-01');
          return;
        }
        case 'rename': {
          const id = pick(step.device, this.devices(core));
          if (!id) return;
          const e = core.db.prepare('SELECT asset_tag, location_id FROM equipment WHERE id = ?').get(id) as {
            asset_tag: string;
            location_id: string;
          };
          inTransaction(core, (w) =>
            updateEquipment(w, testActor, {
              ...EquipmentFields.parse({ assetTag: e.asset_tag, name: NAMES[step.name % NAMES.length]!, locationId: e.location_id }),
              id,
            }),
          );
          return;
        }
        case 'status': {
          const id = pick(step.device, this.devices(core));
          if (!id) return;
          inTransaction(core, (w) =>
            setEquipmentStatus(w, testActor, {
              id,
              status: STATUSES[step.status % STATUSES.length]!,
              reason: `Set on PC ${pc.index + 1}`,
            }),
          );
          return;
        }
        case 'record': {
          const id = pick(step.device, this.devices(core));
          if (!id) return;
          const p = core.db
            .prepare("SELECT id FROM plans WHERE equipment_id = ? AND task = 'electrical_safety' AND active = 1 ORDER BY id LIMIT 1")
            .pluck()
            .get(id) as string | undefined;
          if (!p) return;
          done(core, p, new Date(pc.clock.now().getTime() - step.minutesAgo * 60_000).toISOString(), step.fail ? 'fail' : 'pass');
          return;
        }
        case 'user':
          inTransaction(core, (w) =>
            insertUser(w, testActor, {
              name: USERS[step.name % USERS.length]!,
              role: 'technician',
              homeLocationId: null,
              pinHash: null,
              passwordHash: null,
              mustSetPin: true,
            }),
          );
          return;
        case 'deactivate': {
          const id = pick(step.user, core.db.prepare('SELECT id FROM users ORDER BY id').pluck().all() as string[]);
          if (!id) return;
          const active = core.db.prepare('SELECT active FROM users WHERE id = ?').pluck().get(id) === 1;
          inTransaction(core, (w) => setUserActive(w, testActor, id, !active));
          return;
        }
        case 'setting':
          inTransaction(core, (w) => updateSettings(w, testActor, { hospitalName: HOSPITAL[step.value % HOSPITAL.length]! }));
          return;
        case 'stock': {
          const level = core.db.prepare('SELECT stock_location_id, item_id FROM stock_levels LIMIT 1').get() as
            { stock_location_id: string; item_id: string } | undefined;
          if (!level) return;
          inTransaction(core, (w) =>
            adjustStock(w, testActor, {
              stockLocationId: level.stock_location_id,
              itemId: level.item_id,
              lotId: null,
              delta: step.delta,
              reason: 'Found more',
            }),
          );
          return;
        }
        case 'workOrder': {
          const id = pick(step.device, this.devices(core));
          const wo = id ? openWorkOrderOf(core, id) : undefined;
          const signer = userRowByName(core, TECHNICIAN);
          if (!wo || !signer) return;
          inTransaction(core, (w) => {
            if (step.action % 3 === 0) takeWorkOrder(w, signer, { id: wo.id, note: null });
            else if (step.action % 3 === 1) waitWorkOrder(w, signer, { id: wo.id, waitingFor: 'parts', note: `Parts ordered on PC ${pc.index + 1}`, vendor: null, vendorTicket: null });
            else retireWorkOrder(w, signer, { id: wo.id, reason: `Beyond repair, said PC ${pc.index + 1}` });
          });
          return;
        }
        case 'sync':
          this.net.schedule(step.faults);
          await pc.client.syncOnce().catch((err: unknown) => {
            if (!(err instanceof SyncError) || (err.kind !== 'unreachable' && err.kind !== 'refused')) throw err;
          });
          return;
        case 'clock':
          pc.clock.set(new Date(pc.clock.now().getTime() + step.minutes * 60_000).toISOString());
          return;
        case 'partition':
          if (step.on) this.net.partitioned.add(pc.index);
          else this.net.partitioned.delete(pc.index);
          return;
      }
    } catch (err) {
      if (err instanceof AppError) return;
      throw err;
    }
  }

  /** The network heals and everyone syncs until nothing moves. */
  async heal(): Promise<void> {
    this.net.heal();
    await this.net.deliverHeld();
    for (let round = 0; round < 8; round++) {
      let moved = 0;
      for (const pc of this.pcs) {
        const r = await pc.client.syncOnce();
        moved += r.pushed + r.pulled;
      }
      if (moved === 0) return;
    }
    throw new Error('The PCs did not settle after eight rounds of syncing.');
  }
}

// -----------------------------------------------------------------------------------------------
// What must hold after healing.

type Rows = Map<string, Record<string, unknown>>;

export function pcRows(core: Core, t: SyncTable): Rows {
  const filter = t.rowFilter ? `WHERE ${t.rowFilter('NEW')}` : '';
  const cols = Object.keys(t.fields)
    .map((f) => `"${f}"`)
    .join(', ');
  const rows = core.db
    .prepare(`SELECT json_array(${t.key.map((k) => `NEW."${k}"`).join(', ')}) AS _pk, ${cols} FROM "${t.name}" AS NEW ${filter}`)
    .all() as Record<string, unknown>[];
  return new Map(rows.map(({ _pk, ...rest }) => [String(_pk), rest]));
}

export function derivedState(core: Core): unknown {
  return {
    equipment: core.db.prepare('SELECT id, status, status_reason, tagged_out_by_plan_id FROM equipment ORDER BY id').all(),
    plans: core.db.prepare('SELECT id, next_due, due_from, last_done_on FROM plans ORDER BY id').all(),
    levels: core.db.prepare('SELECT stock_location_id, item_id, on_hand FROM stock_levels ORDER BY 1, 2').all(),
    lots: core.db.prepare('SELECT id, on_hand FROM stock_lots ORDER BY id').all(),
    // Where each work order stands, folded from its signed steps (a failed safety test opens one).
    workOrders: core.db.prepare('SELECT id, state, assigned_user_id, assigned_name, waiting_for, waiting_note, closed_at FROM work_orders ORDER BY id').all(),
  };
}

/** The oracle: each merge unit's value is that of the write with the latest clock, for every field not decided by a rule. */
export function oracle(sent: Iterable<Change>): Map<string, Map<string, Record<string, unknown>>> {
  const latest = new Map<string, { hlc: string; values: Record<string, unknown> }>();
  const byTable = new Map<string, Map<string, Record<string, unknown>>>();
  for (const c of sent) {
    const t = SYNC_TABLES.find((x) => x.name === c.tbl)!;
    if (t.kind === 'append') {
      const rows = byTable.get(t.name) ?? new Map<string, Record<string, unknown>>();
      rows.set(c.pk, c.data);
      byTable.set(t.name, rows);
      continue;
    }
    const data: Record<string, unknown> = c.op === 'delete' ? { _exists: 0 } : { ...c.data, ...(c.op === 'insert' ? { _exists: 1 } : {}) };
    for (const unit of [...mergeUnits(t), ['_exists']]) {
      if (!unit.some((f) => f in data)) continue;
      if (t.restrictive && unit.includes(t.restrictive.field)) continue;
      const key = `${t.name}\u0000${c.pk}\u0000${unit.join(',')}`;
      const cur = latest.get(key);
      if (!cur || c.hlc > cur.hlc) latest.set(key, { hlc: c.hlc, values: Object.fromEntries(unit.map((f) => [f, data[f] ?? null])) });
    }
  }
  for (const [key, { values }] of latest) {
    const [tbl, pk] = key.split('\u0000') as [string, string];
    const rows = byTable.get(tbl) ?? new Map<string, Record<string, unknown>>();
    rows.set(pk, { ...(rows.get(pk) ?? {}), ...values });
    byTable.set(tbl, rows);
  }
  return byTable;
}

/**
 * Each losing value of a concurrent edit nobody built on is either the final value or in the
 * conflict log. An edit built on a concurrent twin (the same base, the same value: two PCs that
 * both deactivated a user) was made by someone who saw that value, so it builds on both twins: the
 * later edit is a person's decision about the state both twins wrote, not a lost one.
 */
export function lostValues(sent: Iterable<Change>, finals: Map<string, Rows>, conflicts: Rows): string[] {
  const writes = new Map<string, { hlc: string; base: string | undefined; value: string }[]>();
  for (const c of sent) {
    const t = SYNC_TABLES.find((x) => x.name === c.tbl)!;
    if (t.kind === 'append' || c.op === 'insert' || c.op === 'delete') continue;
    for (const unit of mergeUnits(t)) {
      if (!unit.some((f) => f in c.data)) continue;
      const key = `${t.name}\u0000${c.pk}\u0000${unit.join(',')}`;
      const list = writes.get(key) ?? [];
      list.push({
        hlc: c.hlc,
        base: c.base?.[unit[0]!],
        value: JSON.stringify(Object.fromEntries(unit.map((f) => [f, c.data[f] ?? null]))),
      });
      writes.set(key, list);
    }
  }
  const lost: string[] = [];
  for (const [key, list] of writes) {
    const [tbl, pk, unitText] = key.split('\u0000') as [string, string, string];
    const unit = unitText.split(',');
    const row = finals.get(tbl)?.get(pk);
    if (!row) continue;
    const final = JSON.stringify(Object.fromEntries(unit.map((f) => [f, row[f] ?? null])));
    const losers = new Set(
      [...conflicts.values()]
        .filter((k) => k.tbl === tbl && k.pk === pk && k.fields === unitText)
        .map((k) => canonicalValues(String(k.loser_value), unit)),
    );
    for (const w of list) {
      const twins = list.filter((o) => o.base === w.base && o.value === w.value);
      const builtOn = list.some((o) => twins.some((t) => o.base === t.hlc));
      const concurrent = list.some((o) => o !== w && o.base === w.base);
      if (!concurrent || builtOn || w.value === final || losers.has(w.value)) continue;
      lost.push(`${tbl} ${pk} ${unitText}: ${w.value}`);
    }
  }
  return lost;
}

/**
 * A unit decided by a rule (a person's service status: the more restrictive of two concurrent
 * values wins) ends as its latest write, unless a write made without knowing that one (not among
 * the writes it was built on) holds the final value: a status set knowingly after another is
 * never undone by the rule, whatever order or how often the changes arrive.
 */
export function overruledValues(sent: Iterable<Change>, finals: Map<string, Rows>): string[] {
  const writes = new Map<string, { hlc: string; base: string | undefined; value: string }[]>();
  for (const c of sent) {
    const t = SYNC_TABLES.find((x) => x.name === c.tbl)!;
    if (t.kind === 'append' || c.op === 'delete' || !t.restrictive) continue;
    for (const unit of mergeUnits(t)) {
      if (!unit.includes(t.restrictive.field) || !unit.some((f) => f in c.data)) continue;
      const key = `${t.name}\u0000${c.pk}\u0000${unit.join(',')}`;
      const list = writes.get(key) ?? [];
      list.push({ hlc: c.hlc, base: c.base?.[unit[0]!], value: JSON.stringify(Object.fromEntries(unit.map((f) => [f, c.data[f] ?? null]))) });
      writes.set(key, list);
    }
  }
  const problems: string[] = [];
  for (const [key, list] of writes) {
    const [tbl, pk, unitText] = key.split('\u0000') as [string, string, string];
    const row = finals.get(tbl)?.get(pk);
    if (!row) continue;
    const unit = unitText.split(',');
    const final = JSON.stringify(Object.fromEntries(unit.map((f) => [f, row[f] ?? null])));
    const byClock = new Map(list.map((w) => [w.hlc, w]));
    const latest = list.reduce((a, b) => (b.hlc > a.hlc ? b : a));
    if (latest.value === final) continue;
    const knew = new Set<string>();
    for (let at = latest.base; at !== undefined && !knew.has(at); at = byClock.get(at)?.base) knew.add(at);
    if (list.some((w) => w !== latest && w.value === final && !knew.has(w.hlc))) continue;
    problems.push(`${tbl} ${pk} ${unitText} is ${final}, though the latest write ${latest.value} was made knowing every write that set it`);
  }
  return problems;
}

function canonicalValues(json: string, unit: string[]): string {
  const v = JSON.parse(json) as Record<string, unknown>;
  return JSON.stringify(Object.fromEntries(unit.map((f) => [f, v[f] ?? null])));
}

export interface Verdict {
  problems: string[];
}

/** Every check of the issue, as sentences (empty when all hold). */
export async function check(world: World): Promise<string[]> {
  const problems: string[] = [];
  const hub = world.hubs[0]!;
  const hubRows = new Map<string, Rows>();
  for (const t of SYNC_TABLES) hubRows.set(t.name, await hub.store.rowData(t.name));
  for (const pc of world.pcs) {
    for (const t of SYNC_TABLES) {
      const mine = pcRows(pc.core, t);
      const theirs = hubRows.get(t.name)!;
      if (JSON.stringify([...mine].sort()) !== JSON.stringify([...theirs].sort())) {
        const diff = [...new Set([...mine.keys(), ...theirs.keys()])]
          .filter((k) => JSON.stringify(mine.get(k)) !== JSON.stringify(theirs.get(k)))
          .slice(0, 3);
        problems.push(
          `PC ${pc.index + 1} differs from the hub in ${t.name}: ${diff.map((k) => `${k} PC=${JSON.stringify(mine.get(k))} hub=${JSON.stringify(theirs.get(k))}`).join('; ')}`,
        );
      }
    }
    if (pc.core.db.prepare('SELECT count(*) FROM sync_outbox').pluck().get() !== 0)
      problems.push(`PC ${pc.index + 1} still has changes to send`);
    if (pc.core.db.prepare('SELECT count(*) FROM sync_quarantine').pluck().get() !== 0)
      problems.push(`PC ${pc.index + 1} had changes quarantined`);
    const chain = verifyAuditChain(pc.core.db);
    if (!chain.ok) problems.push(`PC ${pc.index + 1}'s audit trail does not verify: ${chain.message}`);
    const before = JSON.stringify(derivedState(pc.core));
    inTransaction(pc.core, (w) => recomputeAllDerived(w));
    const after = JSON.stringify(derivedState(pc.core));
    if (before !== after) problems.push(`PC ${pc.index + 1}'s derived state was not current: ${before} became ${after}`);
  }
  const first = JSON.stringify(derivedState(world.pcs[0]!.core));
  for (const pc of world.pcs.slice(1))
    if (JSON.stringify(derivedState(pc.core)) !== first)
      problems.push(`PC ${pc.index + 1}'s derived state (status, next due, stock on hand, where work orders stand) differs from PC 1's`);
  // The oracle, from every change sent.
  const expected = oracle(world.sent.values());
  for (const [tbl, rows] of expected) {
    const actual = hubRows.get(tbl)!;
    const t = SYNC_TABLES.find((x) => x.name === tbl)!;
    for (const [pk, values] of rows) {
      const row = actual.get(pk);
      if (t.kind === 'merge' && values._exists === 0) {
        if (row) problems.push(`${tbl} ${pk} was deleted last but the hub has it`);
        continue;
      }
      if (!row) {
        problems.push(`${tbl} ${pk} is missing at the hub`);
        continue;
      }
      for (const [f, v] of Object.entries(values)) {
        if (f === '_exists') continue;
        if (JSON.stringify(row[f] ?? null) !== JSON.stringify(v ?? null))
          problems.push(`${tbl} ${pk} ${f} is ${JSON.stringify(row[f])} at the hub, the latest edit wrote ${JSON.stringify(v)}`);
      }
    }
  }
  const records = (
    await hub.pool.query<{ n: number; d: number }>('SELECT count(*)::int AS n, count(DISTINCT id)::int AS d FROM completions')
  ).rows[0]!;
  const made = new Set([...world.sent.values()].filter((c) => c.tbl === 'completions').map((c) => c.pk)).size;
  if (records.n !== made || records.d !== made)
    problems.push(`the hub holds ${records.n} records (${records.d} distinct); ${made} were made`);
  const quarantine = (await hub.pool.query<{ reason: string }>('SELECT reason FROM hub_quarantine ORDER BY id')).rows;
  if (quarantine.length) problems.push(`the hub quarantined ${quarantine.length} changes, first because ${quarantine[0]!.reason}`);
  problems.push(...overruledValues(world.sent.values(), hubRows));
  const lost = lostValues(world.sent.values(), hubRows, hubRows.get('sync_conflicts')!);
  if (lost.length) problems.push(`concurrent edits lost without a conflict: ${lost.slice(0, 3).join('; ')}`);
  return problems;
}
