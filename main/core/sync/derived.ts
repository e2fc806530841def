import type { CompletionFact } from '../../../shared/scheduling';
import { dueFrom, nextDue } from '../../../shared/scheduling';
import type { WriteCore } from '../context';
import { recomputePlan, ruleOf } from '../plans/scheduler';
import { refreshHead } from '../repairs/head';
import type { PlanRuleRow } from '../plans/scheduler';
import { command, query, tuples } from '../sql/query';
import type { PlanRow, StockLotRow } from '../sql/rows';
import { recomputeItemStock } from '../stock/on-hand';
import { refreshAllServiceStatus, refreshServiceStatus } from './service-status';

/**
 * Derived state is recomputed from the merged rows, never synced as a value: after rows arrive,
 * each affected plan's next due date (docs/scheduling.md rules 4–8, whatever order its records came
 * in), each affected device's status in force (rule 12), what each plan shows of its device or
 * stock location on the due list, the stock on hand of each affected item and lot (its last count
 * plus the movements after it, stock/on-hand.ts), and where each affected work order stands (its signed steps, repairs/head.ts). The same functions the app uses when work is logged.
 */

export class Affected {
  readonly plans = new Set<string>();
  readonly equipment = new Set<string>();
  readonly stockLocations = new Set<string>();
  /** `stock_location_id` and `item_id`, as a JSON pair. */
  readonly levels = new Set<string>();
  readonly lots = new Set<string>();
  /** Work orders whose steps or head arrived: where each stands is folded again from its steps. */
  readonly workOrders = new Set<string>();
  /** A task type's "tags out on a fail" changed: every device is looked at again. */
  allEquipment = false;

  get size(): number {
    return this.plans.size + this.equipment.size + this.levels.size + this.lots.size + this.workOrders.size + (this.allEquipment ? 1 : 0);
  }
}

export interface DerivedCounts {
  plans: number;
  equipment: number;
  stock: number;
}

const planTarget = query<Pick<PlanRow, 'equipment_id'>, { id: string }>('SELECT equipment_id FROM plans WHERE id = @id');
/**
 * The due list's copy of a plan's target (migration 0005 keeps it by triggers on updates): a
 * device or stock location that arrives after its plans (rows from different PCs) is copied here.
 */
const equipmentTargets = command<{ id: string }>(
  `UPDATE plans SET target_in_service = (e.status = 'in_service'), target_location_id = e.location_id,
     target_tag = e.asset_tag, target_name = e.name, target_risk = e.risk
   FROM equipment e WHERE e.id = @id AND plans.equipment_id = e.id
     AND (plans.target_in_service IS NOT (e.status = 'in_service') OR plans.target_location_id IS NOT e.location_id
       OR plans.target_tag IS NOT e.asset_tag OR plans.target_name IS NOT e.name OR plans.target_risk IS NOT e.risk)`,
);
const stockTargets = command<{ id: string }>(
  `UPDATE plans SET target_in_service = s.active, target_location_id = s.location_id, target_tag = NULL, target_name = s.name, target_risk = NULL
   FROM stock_locations s WHERE s.id = @id AND plans.stock_location_id = s.id
     AND (plans.target_in_service IS NOT s.active OR plans.target_location_id IS NOT s.location_id OR plans.target_name IS NOT s.name)`,
);
const lotItem = query<Pick<StockLotRow, 'stock_location_id' | 'item_id'>, { id: string }>('SELECT stock_location_id, item_id FROM stock_lots WHERE id = @id');

/** Call inside the transaction that applied the rows. */
export function recomputeDerived(core: WriteCore, affected: Affected): DerivedCounts {
  let plans = 0;
  for (const id of affected.plans) {
    const row = planTarget.get(core, { id });
    // A record can arrive before its plan (rows from different PCs): the plan's own arrival recomputes it.
    if (!row) continue;
    if (recomputePlan(core, id).changed) plans++;
    if (row.equipment_id) affected.equipment.add(row.equipment_id);
  }
  let equipment = 0;
  if (affected.allEquipment) equipment = refreshAllServiceStatus(core);
  else for (const id of affected.equipment) if (refreshServiceStatus(core, id)) equipment++;
  for (const id of affected.equipment) equipmentTargets.run(core, { id });
  for (const id of affected.stockLocations) stockTargets.run(core, { id });
  let stock = 0;
  // A lot's figure depends on its item's count (stock/on-hand.ts): each affected lot's item is replayed whole.
  const items = new Set(affected.levels);
  for (const id of affected.lots) {
    const lot = lotItem.get(core, { id });
    if (lot) items.add(JSON.stringify([lot.stock_location_id, lot.item_id]));
  }
  for (const pair of items) {
    const [loc, item] = JSON.parse(pair) as [string, string];
    stock += recomputeItemStock(core, loc, item).changed;
  }
  for (const id of affected.workOrders) refreshHead(core, id);
  return { plans, equipment, stock };
}

const allRules = query<PlanRuleRow>(
  'SELECT id, interval_n, interval_unit, mode, start_date, window_days, grace_days, next_due, due_from, last_done_on FROM plans',
);
/**
 * Every plan's effective records in one pass, ordered by plan: the same choice of records as
 * plans/scheduler.ts's effectiveCompletions (imported history only before the plan's first record
 * signed in the app; a record some later record amends replaced by it; of several amendments the
 * newest). The join tests hold the two equal.
 */
const allEffective = tuples<[planId: string, performedAt: string, performedOn: string, outcome: CompletionFact['outcome']]>(
  `SELECT c.plan_id, c.performed_at, c.performed_on, c.outcome
   FROM completions c
   LEFT JOIN (SELECT plan_id, min(coalesce(entered_at, created_at)) AS first_signed FROM completions
              WHERE source <> 'import' AND plan_id IS NOT NULL GROUP BY plan_id) f ON f.plan_id = c.plan_id
   WHERE c.plan_id IS NOT NULL
     AND NOT (c.source = 'import' AND coalesce(c.entered_at, c.created_at) >= coalesce(f.first_signed, '9999'))
     AND NOT EXISTS (SELECT 1 FROM completions a WHERE a.amends_id = c.id)
     AND (c.amends_id IS NULL OR NOT EXISTS (
       SELECT 1 FROM completions s
       WHERE s.amends_id = c.amends_id AND (s.created_at > c.created_at OR (s.created_at = c.created_at AND s.id > c.id))))
   ORDER BY c.plan_id`,
);
const setDates = command<Pick<PlanRow, 'id' | 'next_due' | 'due_from' | 'last_done_on'>>(
  'UPDATE plans SET next_due = @next_due, due_from = @due_from, last_done_on = @last_done_on WHERE id = @id',
);
const allLevels = tuples<[string, string]>('SELECT stock_location_id, item_id FROM stock_levels');
const allLots = tuples<[string]>('SELECT id FROM stock_lots');
const allWorkOrders = tuples<[string]>('SELECT id FROM work_orders');
const allPlanTargets = command(
  `UPDATE plans SET target_in_service = (e.status = 'in_service'), target_location_id = e.location_id,
     target_tag = e.asset_tag, target_name = e.name, target_risk = e.risk
   FROM equipment e WHERE plans.equipment_id = e.id`,
);
const allStockTargets = command(
  `UPDATE plans SET target_in_service = s.active, target_location_id = s.location_id, target_tag = NULL, target_name = s.name, target_risk = NULL
   FROM stock_locations s WHERE plans.stock_location_id = s.id`,
);

/**
 * Every plan's next due date in one pass over the records (a new PC has just loaded hundreds of
 * thousands of plans), read in one query ordered by plan instead of one query a plan.
 */
function recomputeAllPlans(core: WriteCore): number {
  const rules = new Map(allRules.all(core).map((p) => [p.id, p]));
  // Written after the read (a connection cannot write while it is reading).
  const updates: Pick<PlanRow, 'id' | 'next_due' | 'due_from' | 'last_done_on'>[] = [];
  const settle = (planId: string, facts: CompletionFact[]) => {
    const row = rules.get(planId);
    if (!row) return;
    rules.delete(planId);
    const result = nextDue(ruleOf(row), facts);
    const from = dueFrom(result.nextDue, row.window_days);
    if (row.next_due !== result.nextDue || row.due_from !== from || row.last_done_on !== result.lastDoneOn)
      updates.push({ id: planId, next_due: result.nextDue, due_from: from, last_done_on: result.lastDoneOn });
  };
  let current: string | null = null;
  let facts: CompletionFact[] = [];
  for (const [planId, performedAt, performedOn, outcome] of allEffective.iterate(core)) {
    if (planId !== current) {
      if (current !== null) settle(current, facts);
      current = planId;
      facts = [];
    }
    facts.push({ performedAt, performedOn, outcome });
  }
  if (current !== null) settle(current, facts);
  for (const id of [...rules.keys()]) settle(id, []);
  for (const u of updates) setDates.run(core, u);
  return updates.length;
}

/** Everything derived, for every row: after a new PC has loaded the hospital. */
export function recomputeAllDerived(core: WriteCore): DerivedCounts {
  const plans = recomputeAllPlans(core);
  const affected = new Affected();
  affected.allEquipment = true;
  for (const r of allLevels.all(core)) affected.levels.add(JSON.stringify(r));
  for (const [id] of allLots.all(core)) affected.lots.add(id);
  for (const [id] of allWorkOrders.all(core)) affected.workOrders.add(id);
  const rest = recomputeDerived(core, affected);
  allPlanTargets.run(core);
  allStockTargets.run(core);
  return { ...rest, plans };
}
