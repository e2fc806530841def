import type { planChannels } from '../../../shared/contract/plans';
import { inTransaction } from '../context';
import {
  addCategoryPlan,
  applyCategoryDefaultsToAll,
  listCategoryPlans,
  removeCategoryPlan,
} from '../services/category-plans';
import { dueCounts, dueList, todayView, urgentPlans } from '../services/due-list';
import { createPlan, deactivatePlan, listPlansForEquipment, listTaskTypes, today, updatePlan } from '../services/plans';
import { completionHandlers } from './completions';
import type { HandlersFor } from './types';

/** Plans, the due lists, category default plans and (from completions.ts) the minimal completion write. */
export const planHandlers: HandlersFor<keyof typeof planChannels> = {
  'taskTypes.list': (_input, { core }) => listTaskTypes(core),
  'plans.list': ({ equipmentId }, { core }) => listPlansForEquipment(core, equipmentId),
  'plans.create': (input, { core, actor }) => inTransaction(core, () => createPlan(core, actor, input)),
  'plans.update': (input, { core, actor }) => inTransaction(core, () => updatePlan(core, actor, input)),
  'plans.deactivate': ({ id }, { core, actor }) => inTransaction(core, () => deactivatePlan(core, actor, id)),
  'plans.urgent': ({ equipmentIds }, { core }) => [...urgentPlans(core, equipmentIds, today(core)).values()],
  'due.list': ({ asOf, sort, ...filter }, { core }) => dueList(core, { ...filter, asOf: asOf ?? today(core), sort: sort ?? 'status' }),
  'due.counts': ({ asOf, locationIds }, { core }) => dueCounts(core, { asOf: asOf ?? today(core), locationIds }),
  'due.today': (input, { core, session }) => todayView(core, session.user?.id ?? null, input),
  'categoryPlans.list': ({ categoryId }, { core }) => listCategoryPlans(core, categoryId),
  'categoryPlans.add': (input, { core, actor }) => inTransaction(core, () => addCategoryPlan(core, actor, input)),
  'categoryPlans.remove': ({ id }, { core, actor }) => inTransaction(core, () => removeCategoryPlan(core, actor, id)),
  'categoryPlans.applyToDevices': ({ categoryId }, { core, actor }) =>
    inTransaction(core, () => applyCategoryDefaultsToAll(core, actor, categoryId)),
  ...completionHandlers,
};
