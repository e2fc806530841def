import { chainId } from '../main/core/anchors/chain';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { addDays, addMonths, addWeeks, addYears } from 'date-fns';
import { canonicalJson, GENESIS_HASH, hashEntry } from '../main/core/audit';
import { createBackend } from '../main/core/backend';
import { inTransaction } from '../main/core/dispatcher/transaction';
import { uuidv7 } from '../main/core/ids';
import { openCore } from '../main/core/open-core';
import { serialiseRow } from '../main/core/permanent/bind';
import { permanentTable } from '../main/core/permanent/tables';
import { newSession } from '../main/core/session';
import type { AuditRow } from '../main/core/sql/rows';
import { assetTagKey } from '../shared/domain/equipment';
import type { CompletionFact, Interval, Outcome, PlanMode } from '../shared/scheduling';
import {
  addDaysTo,
  defaultWindowDays,
  dueFrom,
  localDateOf,
  nextDue,
  nominalDays,
  occurrence,
  toDate,
  toIsoDate,
} from '../shared/scheduling';

/**
 * A synthetic hospital for the benchmark, written with plain SQL in big transactions (the app's
 * services would take hours): 4 sites, 40 wards of 6 rooms, devices (95% in service) with 3 plans
 * each (a fifth of them fixed) and their history. On the bench's "today" about 4% of plans are
 * overdue (by up to two months), 5% are inside their window (due) and the rest are scheduled
 * within one interval, as in a hospital that mostly keeps up. Each plan's history runs back from
 * its last completion, one per interval (done inside the window, with the odd fail and not-done),
 * and its next due date comes from the shared rules, as the app would store it.
 *
 * Unlike a bare table fill, the database is one the app would have written: every device, plan and
 * record has its audit entry on one hash chain (records held whole, as the trust work binds them),
 * the last two years' records were signed in the app by the administrator and older ones imported,
 * there is an administrator to sign in as (Ada Admin, PIN 2468), and the data folder has its head
 * log and key. `wardkeep verify` passes on it.
 */

export const BENCH_TODAY = '2025-11-25';
export const ADMIN = { name: 'Ada Admin', password: 'correct horse battery', pin: '2468' };

export type BenchSize = 'tenth' | '5k' | '50k' | '200k';
/**
 * 5k keeps the 50k hospital's 2,000,000 records (deep history), so what grows with history shows
 * apart from what grows with devices. `tenth` is the 50k hospital's layout at a tenth of its size
 * (about 13 records a plan, as at 50k): minutes to seed, for trying a change and its floor side by
 * side on a busy machine before the long 50k run.
 */
export const SIZES: Record<BenchSize, { devices: number; completions: number }> = {
  tenth: { devices: 5_000, completions: 200_000 },
  '5k': { devices: 5_000, completions: 2_000_000 },
  '50k': { devices: 50_000, completions: 2_000_000 },
  '200k': { devices: 200_000, completions: 8_000_000 },
};
const LAYOUT = { plansPerDevice: 3, sites: 4, wardsPerSite: 10, roomsPerWard: 6 };
/** Bump when the data generated changes, or the schema it is written in (7: migration 0018), so a stale cache is rebuilt. */
const SEED_VERSION = 7;
/** Records performed on or after this day were signed in the app; older ones were imported. */
const SIGNED_SINCE = addDaysTo(BENCH_TODAY, -730);

/** Deterministic pseudo-random numbers (mulberry32), so every machine benchmarks the same hospital. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface PlanSpec {
  task: string;
  interval: Interval;
}

/** What each risk class gets (three plans a device, one per task). */
const PLAN_SETS: Record<'high' | 'medium' | 'low', PlanSpec[]> = {
  high: [
    { task: 'calibration', interval: { n: 1, unit: 'year' } },
    { task: 'electrical_safety', interval: { n: 1, unit: 'year' } },
    { task: 'inspection', interval: { n: 6, unit: 'month' } },
  ],
  medium: [
    { task: 'inspection', interval: { n: 6, unit: 'month' } },
    { task: 'electrical_safety', interval: { n: 1, unit: 'year' } },
    { task: 'cleaning', interval: { n: 1, unit: 'month' } },
  ],
  low: [
    { task: 'inspection', interval: { n: 1, unit: 'year' } },
    { task: 'electrical_safety', interval: { n: 2, unit: 'year' } },
    { task: 'cleaning', interval: { n: 1, unit: 'week' } },
  ],
};

const NAMES = [
  'Infusion pump',
  'Syringe driver',
  'Defibrillator',
  'Patient monitor',
  'ECG machine',
  'Suction unit',
  'Patient scale',
  'Bladder scanner',
  'Pulse oximeter',
  'Ventilator',
];

/** `date − k·interval`, added at once (as rule 3 adds). */
function back(date: string, interval: Interval, k: number): string {
  const d = toDate(date);
  const by = -k * interval.n;
  const moved = { day: addDays, week: addWeeks, month: addMonths, year: addYears }[interval.unit](d, by);
  return toIsoDate(moved);
}

/** Where a plan stands today: 4% overdue, 5% due, the rest scheduled within one interval. */
function targetDue(rand: () => number, nominal: number, windowDays: number, graceDays: number): string {
  const x = rand();
  if (x < 0.04) return addDaysTo(BENCH_TODAY, -(graceDays + 1 + Math.floor(rand() * 60)));
  if (x < 0.09) return addDaysTo(BENCH_TODAY, Math.floor(rand() * (windowDays + 1)));
  return addDaysTo(BENCH_TODAY, windowDays + 1 + Math.floor(rand() * Math.max(1, nominal - windowDays)));
}

function outcomeFor(rand: () => number, last: boolean): Outcome {
  if (last) return rand() < 0.08 ? 'pass_adjusted' : 'pass';
  const x = rand();
  if (x < 0.03) return 'fail';
  if (x < 0.045) return 'not_done_in_use';
  if (x < 0.05) return 'not_done_other';
  if (x < 0.12) return 'pass_adjusted';
  return 'pass';
}

/** The audit trail, continued from its head with one prepared INSERT and the app's own hash. */
function chainWriter(db: Database, pcId: string) {
  const chain = chainId(db);
  const last = db.prepare('SELECT seq, hash FROM audit_log WHERE chain_id = ? ORDER BY seq DESC LIMIT 1').get(chain) as { seq: number; hash: string } | undefined;
  let seq = last?.seq ?? 0;
  let prev = last?.hash ?? GENESIS_HASH;
  const insert = db.prepare(
    `INSERT INTO audit_log (chain_id, seq, id, at, actor_user_id, actor_name, via, pc_id, action, entity, entity_id, old_value, new_value, prev_hash, hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)`,
  );
  return (
    at: string,
    actor: { id: string | null; name: string; via: 'app' | 'cli' },
    action: string,
    entity: string,
    entityId: string,
    value: unknown,
  ) => {
    const row: Omit<AuditRow, 'hash' | 'chain_id'> = {
      seq: ++seq,
      id: uuidv7(Date.parse(at)),
      at,
      actor_user_id: actor.id,
      actor_name: actor.name,
      via: actor.via,
      pc_id: pcId,
      action,
      entity,
      entity_id: entityId,
      old_value: null,
      new_value: canonicalJson(value),
      prev_hash: prev,
    };
    prev = hashEntry(row);
    insert.run(
      chain,
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
      row.new_value,
      row.prev_hash,
      prev,
    );
  };
}

async function seed(dataDir: string, size: BenchSize, log: (line: string) => void): Promise<void> {
  const { devices: deviceCount, completions: completionCount } = SIZES[size];
  // The administrator through the app's own first-run channel (a real PIN hash, audited).
  let adminId: string;
  {
    const core = openCore({ dataDir, clock: { now: () => new Date(`${BENCH_TODAY}T07:00:00Z`) } });
    const backend = createBackend(core);
    const session = newSession(core.clock.now().getTime());
    const res = await backend.invoke(session, 'auth.setupFirstAdmin', ADMIN);
    if (!res.ok) throw new Error(`The administrator could not be made: ${res.error.message}`);
    adminId = (core.db.prepare('SELECT id FROM users WHERE name = ?').get(ADMIN.name) as { id: string }).id;
    core.close();
  }
  const core = openCore({ dataDir });
  const { db, pcId } = core;
  // A throwaway copy: speed over durability while it is built.
  db.pragma('synchronous = OFF');
  // The record and audit indexes take keys out of order; at 200,000 devices they outgrow the default
  // cache many times over, and each insert would then read its pages back from disk.
  db.pragma('cache_size = -3000000');
  const rand = random(20251125);
  const now = `${BENCH_TODAY}T07:00:00.000Z`;
  const stamps = { created_at: now, updated_at: now, pc_id: pcId };
  const audit = chainWriter(db, pcId);
  const cli = { id: null, name: 'Bench import', via: 'cli' as const };
  const admin = { id: adminId, name: ADMIN.name, via: 'app' as const };

  const rooms: string[] = [];
  const wards: string[] = [];
  inTransaction({ db }, () => {
    const loc = db.prepare(
      `INSERT INTO locations (id, parent_id, name, name_key, kind, created_at, updated_at, pc_id)
       VALUES (@id, @parent_id, @name, lower(@name), @kind, @created_at, @updated_at, @pc_id)`,
    );
    const add = (id: string, parent_id: string | null, name: string, kind: string) => {
      loc.run({ id, parent_id, name, kind, ...stamps });
      audit(now, cli, 'create', 'location', id, { id, parent_id, name, kind });
    };
    for (let s = 1; s <= LAYOUT.sites; s++) {
      const site = uuidv7();
      add(site, null, `Site ${s}`, 'site');
      for (let w = 1; w <= LAYOUT.wardsPerSite; w++) {
        const ward = uuidv7();
        wards.push(ward);
        add(ward, site, `Ward ${s}${String.fromCharCode(64 + w)}`, 'ward');
        for (let r = 1; r <= LAYOUT.roomsPerWard; r++) {
          const room = uuidv7();
          rooms.push(room);
          add(room, ward, `Room ${r}`, 'room');
        }
      }
    }
  });

  const devices: { id: string; risk: 'high' | 'medium' | 'low' }[] = [];
  inTransaction({ db }, () => {
    const insert = db.prepare(
      `INSERT INTO equipment (id, asset_tag, asset_tag_key, name, location_id, risk, status, created_at, updated_at, pc_id)
       VALUES (@id, @asset_tag, @asset_tag_key, @name, @location_id, @risk, @status, @created_at, @updated_at, @pc_id)`,
    );
    const statusSpec = permanentTable('status_changes');
    const insertStatus = db.prepare(
      `INSERT INTO status_changes (${statusSpec.columns.join(', ')}) VALUES (${statusSpec.columns.map((c) => `@${c}`).join(', ')})`,
    );
    for (let i = 1; i <= deviceCount; i++) {
      const x = rand();
      const risk = x < 0.3 ? 'high' : x < 0.7 ? 'medium' : 'low';
      const y = rand();
      const status = y < 0.95 ? 'in_service' : y < 0.98 ? 'out_of_service' : y < 0.99 ? 'retired' : 'missing';
      // Most devices live in a room; one in ten on the ward itself.
      const location_id = rand() < 0.1 ? wards[Math.floor(rand() * wards.length)]! : rooms[Math.floor(rand() * rooms.length)]!;
      const asset_tag = `EQ-${String(i).padStart(6, '0')}`;
      const id = uuidv7();
      const row = { id, asset_tag, asset_tag_key: assetTagKey(asset_tag), name: NAMES[i % NAMES.length]!, location_id, risk, status };
      insert.run({ ...row, ...stamps });
      audit(now, cli, 'create', 'equipment', id, { ...row, via: 'import' });
      // A device imported out of service starts its status history there, as the import writes it
      // (else `wardkeep verify` finds its status changed outside Wardkeep).
      if (status !== 'in_service') {
        const change = {
          id: uuidv7(Date.parse(now)),
          equipment_id: id,
          at: now,
          from_status: null,
          to_status: status,
          reason: null,
          cause: 'import',
          work_order_id: null,
          completion_id: null,
          user_id: null,
          user_name: cli.name,
          pc_id: pcId,
        };
        insertStatus.run(change);
        audit(now, cli, 'create', 'status_change', change.id, serialiseRow(statusSpec, change));
      }
      devices.push({ id, risk });
    }
  });

  const completionSpec = permanentTable('completions');
  const planCount = deviceCount * LAYOUT.plansPerDevice;
  const base = Math.floor(completionCount / planCount);
  const extra = completionCount - base * planCount; // the first `extra` plans get one more
  const insertPlan = db.prepare(
    `INSERT INTO plans (id, equipment_id, task, interval_n, interval_unit, mode, start_date, window_days, grace_days,
       last_done_on, next_due, due_from, created_at, updated_at, pc_id)
     VALUES (@id, @equipment_id, @task, @interval_n, @interval_unit, @mode, @start_date, @window_days, @grace_days,
       @last_done_on, @next_due, @due_from, @created_at, @updated_at, @pc_id)`,
  );
  const completionColumns = completionSpec.columns;
  const insertCompletion = db.prepare(
    `INSERT INTO completions (${completionColumns.join(', ')}) VALUES (${completionColumns.map((c) => `@${c}`).join(', ')})`,
  );
  let planIndex = 0;
  const batch = 2_000;
  let done = 0;
  for (let start = 0; start < devices.length; start += batch) {
    inTransaction({ db }, () => {
      for (const d of devices.slice(start, start + batch)) {
        for (const spec of PLAN_SETS[d.risk]) {
          const nominal = nominalDays(spec.interval);
          const mode: PlanMode = rand() < 0.2 ? 'fixed' : 'floating';
          const windowDays = defaultWindowDays(spec.interval);
          const graceDays = rand() < 0.25 ? Math.min(7, Math.floor(nominal / 10)) : 0;
          const count = base + (planIndex < extra ? 1 : 0);
          planIndex++;
          const target = targetDue(rand, nominal, windowDays, graceDays);
          // Completions, oldest first, each done inside the window of the occurrence it was for.
          const days: string[] = [];
          let startDate: string;
          if (mode === 'fixed') {
            startDate = back(target, spec.interval, count + 1);
            for (let k = 1; k <= count; k++)
              days.push(addDaysTo(occurrence(startDate, spec.interval, k), -Math.floor(rand() * (windowDays + 1))));
          } else {
            let day = back(target, spec.interval, 1);
            for (let k = 0; k < count; k++) {
              days.unshift(day);
              day = addDaysTo(back(day, spec.interval, 1), Math.floor(rand() * (windowDays + 1)));
            }
            startDate = back(days[0]!, spec.interval, 1);
          }
          const facts: CompletionFact[] = days.map((day, k) => {
            const performedAt = `${day}T${String(8 + Math.floor(rand() * 9)).padStart(2, '0')}:${String(Math.floor(rand() * 60)).padStart(2, '0')}:00.000Z`;
            return { performedAt, performedOn: localDateOf(performedAt), outcome: outcomeFor(rand, k === days.length - 1) };
          });
          const rule = { interval: spec.interval, mode, startDate, windowDays, graceDays };
          const due = nextDue(rule, facts);
          const id = uuidv7(toDate(startDate).getTime());
          const plan = {
            id,
            equipment_id: d.id,
            task: spec.task,
            interval_n: spec.interval.n,
            interval_unit: spec.interval.unit,
            mode,
            start_date: startDate,
            window_days: windowDays,
            grace_days: graceDays,
            last_done_on: due.lastDoneOn,
            next_due: due.nextDue,
            due_from: dueFrom(due.nextDue, windowDays),
          };
          insertPlan.run({ ...plan, ...stamps });
          audit(now, cli, 'create', 'plan', id, plan);
          for (const f of facts) {
            const signed = f.performedOn >= SIGNED_SINCE;
            const row = {
              id: uuidv7(Date.parse(f.performedAt)),
              plan_id: id,
              equipment_id: d.id,
              stock_location_id: null,
              task: spec.task,
              performed_at: f.performedAt,
              performed_on: f.performedOn,
              outcome: f.outcome,
              outcome_override_reason: null,
              notes: null,
              details: '{}',
              minutes_spent: null,
              procedure_id: null,
              reference_equipment_id: null,
              reference_not_current: 0,
              amends_id: null,
              amend_reason: null,
              performed_by_user_id: signed ? adminId : null,
              performed_by_name: signed ? ADMIN.name : 'Bench import',
              source: signed ? 'app' : 'import',
              created_at: f.performedAt,
              pc_id: pcId,
              entered_at: f.performedAt,
              late_reason: null,
            };
            insertCompletion.run(row);
            audit(f.performedAt, signed ? admin : cli, 'create', 'completion', row.id, serialiseRow(completionSpec, row));
          }
          done += facts.length;
        }
      }
    });
    if ((start / batch) % 10 === 9)
      log(
        `  … ${devices.length === 0 ? 100 : Math.round(((start + batch) / devices.length) * 100)}% (${done.toLocaleString('en')} records)`,
      );
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  core.close();
}

function cacheDir(root: string, size: BenchSize): string {
  return path.join(root, '.cache', 'bench', `hospital-v${SEED_VERSION}-${size}`);
}

/** The seeded data folder: built once per size, then reused from .cache/bench/ (copy it before a test that writes). */
export async function benchDataDir(root: string, size: BenchSize, log: (line: string) => void): Promise<string> {
  const dir = cacheDir(root, size);
  const ready = path.join(dir, 'READY');
  if (existsSync(ready)) return dir;
  // Older seeds are of no use any more: a copy is over a gigabyte.
  const cache = path.dirname(dir);
  if (existsSync(cache)) {
    for (const old of readdirSync(cache)) {
      if (/^hospital-v\d+/.test(old) && !old.startsWith(`hospital-v${SEED_VERSION}-`))
        rmSync(path.join(cache, old), { recursive: true, force: true });
    }
  }
  const building = `${dir}.building`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building, { recursive: true });
  log(`Seeding a synthetic hospital (${size}) in ${path.relative(root, dir)} (once; it is cached) …`);
  const started = Date.now();
  await seed(building, size, log);
  const seconds = Math.round((Date.now() - started) / 1000);
  writeFileSync(
    path.join(building, 'READY'),
    JSON.stringify({ size, ...SIZES[size], today: BENCH_TODAY, seededInSeconds: seconds }) + '\n',
  );
  rmSync(dir, { recursive: true, force: true });
  renameSync(building, dir);
  log(`Seeded in ${seconds} s.`);
  return dir;
}

/** How long the seed of a size took, from its READY file (null if not seeded). */
export function seededIn(root: string, size: BenchSize): number | null {
  try {
    return (JSON.parse(readFileSync(path.join(cacheDir(root, size), 'READY'), 'utf8')) as { seededInSeconds: number }).seededInSeconds;
  } catch {
    return null;
  }
}

export function counts(db: Database): Record<string, number> {
  const n = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  return { locations: n('locations'), equipment: n('equipment'), plans: n('plans'), completions: n('completions'), audit: n('audit_log') };
}
