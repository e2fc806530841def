import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { openDatabase } from '../main/core/db/open';
import { inTransaction } from '../main/core/dispatcher/transaction';
import { uuidv7 } from '../main/core/ids';
import { assetTagKey } from '../shared/domain/equipment';
import type { CompletionFact, Interval, Outcome, PlanMode } from '../shared/scheduling';
import { addDays, addMonths, addWeeks, addYears } from 'date-fns';
import { addDaysTo, defaultWindowDays, dueFrom, nextDue, localDateOf, nominalDays, occurrence, toDate, toIsoDate } from '../shared/scheduling';

/**
 * A synthetic hospital for the benchmark, written with plain SQL in big transactions (the app's
 * services would audit every row and take hours): 4 sites, 40 wards of 6 rooms, 50,000 devices
 * (95% in service), 3 plans each (150,000; a fifth of them fixed) and 2,000,000 completions.
 * On the bench's "today" about 4% of plans are overdue (by up to two months), 5% are inside their
 * window (due) and the rest are scheduled within one interval, as in a hospital that mostly keeps
 * up. Each plan's history runs back from its last completion, one per interval (done inside the
 * window, with the odd fail and not-done), and its next due date comes from the shared rules,
 * as the app would store it.
 */

export const BENCH_TODAY = '2025-11-25';
export const SIZES = { devices: 50_000, plansPerDevice: 3, completions: 2_000_000, sites: 4, wardsPerSite: 10, roomsPerWard: 6 };
/** Bump when the data generated changes, so a stale cache is rebuilt. */
const SEED_VERSION = 2;

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

const NAMES = ['Infusion pump', 'Syringe driver', 'Defibrillator', 'Patient monitor', 'ECG machine', 'Suction unit', 'Patient scale', 'Bladder scanner', 'Pulse oximeter', 'Ventilator'];

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

function seed(dataDir: string): void {
  const { db, pcId } = openDatabase({ dataDir });
  // A throwaway copy: speed over durability while it is built.
  db.pragma('synchronous = OFF');
  const rand = random(20251125);
  const now = `${BENCH_TODAY}T12:00:00.000Z`;
  const stamps = { created_at: now, updated_at: now, pc_id: pcId };

  const rooms: string[] = [];
  const wards: string[] = [];
  inTransaction({ db }, () => {
    const loc = db.prepare(
      `INSERT INTO locations (id, parent_id, name, name_key, kind, created_at, updated_at, pc_id)
       VALUES (@id, @parent_id, @name, lower(@name), @kind, @created_at, @updated_at, @pc_id)`,
    );
    for (let s = 1; s <= SIZES.sites; s++) {
      const site = uuidv7();
      loc.run({ id: site, parent_id: null, name: `Site ${s}`, kind: 'site', ...stamps });
      for (let w = 1; w <= SIZES.wardsPerSite; w++) {
        const ward = uuidv7();
        wards.push(ward);
        loc.run({ id: ward, parent_id: site, name: `Ward ${s}${String.fromCharCode(64 + w)}`, kind: 'ward', ...stamps });
        for (let r = 1; r <= SIZES.roomsPerWard; r++) {
          const room = uuidv7();
          rooms.push(room);
          loc.run({ id: room, parent_id: ward, name: `Room ${r}`, kind: 'room', ...stamps });
        }
      }
    }
  });

  const devices: { id: string; risk: 'high' | 'medium' | 'low' }[] = [];
  inTransaction({ db }, () => {
    const insert = db.prepare(
      `INSERT INTO equipment (id, asset_tag, asset_tag_key, name, location_id, risk, status, created_at, updated_at, pc_id)
       VALUES (@id, @tag, @key, @name, @location_id, @risk, @status, @created_at, @updated_at, @pc_id)`,
    );
    for (let i = 1; i <= SIZES.devices; i++) {
      const x = rand();
      const risk = x < 0.3 ? 'high' : x < 0.7 ? 'medium' : 'low';
      const y = rand();
      const status = y < 0.95 ? 'in_service' : y < 0.98 ? 'out_of_service' : y < 0.99 ? 'retired' : 'missing';
      // Most devices live in a room; one in ten on the ward itself.
      const location_id = rand() < 0.1 ? wards[Math.floor(rand() * wards.length)]! : rooms[Math.floor(rand() * rooms.length)]!;
      const tag = `EQ-${String(i).padStart(6, '0')}`;
      const id = uuidv7();
      insert.run({ id, tag, key: assetTagKey(tag), name: NAMES[i % NAMES.length]!, location_id, risk, status, ...stamps });
      devices.push({ id, risk });
    }
  });

  const planCount = SIZES.devices * SIZES.plansPerDevice;
  const base = Math.floor(SIZES.completions / planCount);
  const extra = SIZES.completions - base * planCount; // the first `extra` plans get one more
  const insertPlan = db.prepare(
    `INSERT INTO plans (id, equipment_id, task, interval_n, interval_unit, mode, start_date, window_days, grace_days,
       last_done_on, next_due, due_from, created_at, updated_at, pc_id)
     VALUES (@id, @equipment_id, @task, @interval_n, @interval_unit, @mode, @start_date, @window_days, @grace_days,
       @last_done_on, @next_due, @due_from, @created_at, @updated_at, @pc_id)`,
  );
  const insertCompletion = db.prepare(
    `INSERT INTO completions (id, plan_id, equipment_id, task, performed_at, performed_on, outcome, performed_by_name, source, created_at, pc_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'Bench', 'import', ?, ?)`,
  );
  let planIndex = 0;
  const batch = 5_000;
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
            for (let k = 1; k <= count; k++) days.push(addDaysTo(occurrence(startDate, spec.interval, k), -Math.floor(rand() * (windowDays + 1))));
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
          insertPlan.run({
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
            ...stamps,
          });
          for (const f of facts) {
            insertCompletion.run(uuidv7(Date.parse(f.performedAt)), id, d.id, spec.task, f.performedAt, f.performedOn, f.outcome, f.performedAt, pcId);
          }
        }
      }
    });
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

/** The seeded database's folder: built once, then reused from .cache/bench/. */
export function benchDataDir(root: string, log: (line: string) => void): string {
  const dir = path.join(root, '.cache', 'bench', `hospital-v${SEED_VERSION}`);
  const ready = path.join(dir, 'READY');
  if (existsSync(ready)) return dir;
  // An older seed is of no use any more: a copy is over a gigabyte.
  const cache = path.dirname(dir);
  if (existsSync(cache)) for (const old of readdirSync(cache)) if (old.startsWith('hospital-v')) rmSync(path.join(cache, old), { recursive: true, force: true });
  const building = `${dir}.building`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building, { recursive: true });
  log(`Seeding a synthetic hospital in ${path.relative(root, dir)} (once; it is cached) …`);
  const started = Date.now();
  seed(building);
  writeFileSync(path.join(building, 'READY'), JSON.stringify({ ...SIZES, today: BENCH_TODAY }) + '\n');
  rmSync(dir, { recursive: true, force: true });
  renameSync(building, dir);
  log(`Seeded in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
  return dir;
}

export function counts(db: Database): Record<string, number> {
  const n = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  return { locations: n('locations'), equipment: n('equipment'), plans: n('plans'), completions: n('completions') };
}
