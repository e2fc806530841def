import type { Core } from '../../../main/core/context';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { createCategory } from '../../../main/core/categories/service';
import { recordCompletion } from '../../../main/core/completions/record';
import { insertEquipment } from '../../../main/core/equipment/service';
import { resolveLocationPath } from '../../../main/core/locations/service';
import { createPlan } from '../../../main/core/plans/service';
import type { EquipmentStatus, Risk } from '../../../shared/domain/equipment';
import { EquipmentFields } from '../../../shared/domain/equipment';
import type { PlanView } from '../../../shared/domain/plan';
import { PlanFields } from '../../../shared/domain/plan';
import type { Outcome } from '../../../shared/scheduling';
import { testActor } from '../../helpers/core';

/** The location of `path`, created with its parents if missing. */
export function place(core: Core, path: string): string {
  return inTransaction(core, (core) => resolveLocationPath(core, testActor, path, { create: true })!.id);
}

export function category(core: Core, name: string): string {
  return inTransaction(core, (core) => createCategory(core, testActor, { name, defaultRisk: null, notes: null }).id);
}

/** A device at `location` (a path), in service unless told otherwise. Returns its id. */
export function device(
  core: Core,
  tag: string,
  options: { name?: string; location?: string; status?: EquipmentStatus; risk?: Risk; categoryId?: string } = {},
): string {
  const locationId = place(core, options.location ?? 'General Hospital > Ward 4B > Bay 1');
  const fields = EquipmentFields.parse({
    assetTag: tag,
    name: options.name ?? `Device ${tag}`,
    locationId,
    risk: options.risk ?? null,
    categoryId: options.categoryId ?? null,
  });
  return inTransaction(core, (core) => insertEquipment(core, testActor, fields, { status: options.status ?? 'in_service' }));
}

/**
 * A plan as the form sends it (window and grace blank unless given), its start date confirmed: the
 * fixtures seed plans of any date against any clock (start-date-question.test.ts tests the question).
 */
export function plan(
  core: Core,
  equipmentId: string,
  task: string,
  every: string,
  startDate: string,
  extra: { mode?: 'fixed' | 'floating'; windowDays?: number | null; graceDays?: number | null } = {},
): PlanView {
  const input = PlanFields.parse({ equipmentId, task, every, startDate, ...extra });
  return inTransaction(core, (core) => createPlan(core, testActor, { ...input, confirmDates: true }));
}

export function done(core: Core, planId: string, performedAt: string, outcome: Outcome = 'pass') {
  return inTransaction(core, (core) => recordCompletion(core, testActor, { planId, performedAt, outcome, source: 'app' }));
}

export const planRow = (core: Core, id: string) =>
  core.db.prepare('SELECT next_due, due_from, last_done_on FROM plans WHERE id = ?').get(id) as {
    next_due: string;
    due_from: string;
    last_done_on: string | null;
  };

export const equipmentRow = (core: Core, id: string) =>
  core.db.prepare('SELECT status, status_reason, tagged_out_by_plan_id FROM equipment WHERE id = ?').get(id) as {
    status: EquipmentStatus;
    status_reason: string | null;
    tagged_out_by_plan_id: string | null;
  };
