import { z } from 'zod';
import { id } from '../domain/common';
import type {
  CategoryPlan,
  CompletionRecorded,
  DueRow,
  EquipmentPlans,
  PlanView,
  TaskType,
  TodayView,
  UrgentPlan,
  WardCount,
} from '../domain/plan';
import { CategoryPlanFields, CompletionFields, DueQuery, PlanFields, PlanUpdate } from '../domain/plan';
import { isoDate } from '../domain/common';
import { channel } from './channel';

const none = z.object({}).strict();

/** Plans, the scheduler's lists, category default plans, and the minimal completion write. */
export const planChannels = {
  'taskTypes.list': channel<TaskType[]>()({ input: none, access: 'technician', writes: false }),
  /** A device's plans (active and not) with their status today. */
  'plans.list': channel<EquipmentPlans>()({
    input: z.object({ equipmentId: id }).strict(),
    access: 'technician',
    writes: false,
  }),
  'plans.create': channel<PlanView>()({ input: PlanFields.strict(), access: 'supervisor', writes: true }),
  /** Changes the rule; the next due date is recomputed from the history in the same transaction. */
  'plans.update': channel<PlanView>()({ input: PlanUpdate.strict(), access: 'supervisor', writes: true }),
  /** Plans are never deleted: a deactivated plan keeps its history and leaves every due list. */
  'plans.deactivate': channel<PlanView>()({
    input: z.object({ id }).strict(),
    access: 'supervisor',
    writes: true,
  }),
  /** Each listed device's most urgent plan (devices with no active plan are left out). */
  'plans.urgent': channel<UrgentPlan[]>()({
    input: z.object({ equipmentIds: z.array(id).max(1000) }).strict(),
    access: 'technician',
    writes: false,
  }),
  'due.list': channel<DueRow[]>()({ input: DueQuery.strict(), access: 'technician', writes: false }),
  'due.counts': channel<WardCount[]>()({
    input: z.object({ asOf: isoDate.optional(), locationIds: z.array(id).max(500).optional() }).strict(),
    access: 'technician',
    writes: false,
  }),
  /**
   * The home screen. `locationId` absent: the user's home ward, else this PC's ward, else all;
   * null: all locations.
   */
  'due.today': channel<TodayView>()({
    input: z.object({ locationId: id.nullable().optional(), limit: z.number().int().min(1).max(5000).optional() }).strict(),
    access: 'technician',
    writes: false,
  }),
  'categoryPlans.list': channel<CategoryPlan[]>()({
    input: z.object({ categoryId: id }).strict(),
    access: 'technician',
    writes: false,
  }),
  'categoryPlans.add': channel<CategoryPlan>()({ input: CategoryPlanFields.strict(), access: 'supervisor', writes: true }),
  'categoryPlans.remove': channel<{ id: string }>()({ input: z.object({ id }).strict(), access: 'supervisor', writes: true }),
  /** Gives every device of the category the default plans it lacks, in one transaction. */
  'categoryPlans.applyToDevices': channel<{ devices: number; created: number }>()({
    input: z.object({ categoryId: id }).strict(),
    access: 'supervisor',
    writes: true,
  }),
  /** Minimal completion; the logging issue replaces it with the full signed form. */
  'completions.record': channel<CompletionRecorded>()({ input: CompletionFields.strict(), access: 'technician', writes: true }),
};
