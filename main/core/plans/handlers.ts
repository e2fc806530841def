import type { categoryPlanChannels } from '../../../shared/contract/category-plans';
import type { planChannels } from '../../../shared/contract/plans';
import type { taskTypeChannels } from '../../../shared/contract/task-types';
import type { HandlersFor } from '../dispatcher/handler';
import { addCategoryPlan, applyCategoryDefaultsToAll, listCategoryPlans, removeCategoryPlan } from './category-plans';
import { createPlan, deactivatePlan, listPlansForEquipment, listTaskTypes, reactivatePlan, updatePlan } from './service';
import { createTaskType, updateTaskType } from './task-types';

/** Task types, plans and category default plans. */
export const planHandlers: HandlersFor<keyof typeof taskTypeChannels | keyof typeof planChannels | keyof typeof categoryPlanChannels> = {
  'taskTypes.list': (_input, { core }) => listTaskTypes(core),
  'taskTypes.create': (input, { core, actor }) => createTaskType(core, actor, input),
  'taskTypes.update': (input, { core, actor }) => updateTaskType(core, actor, input),
  'plans.list': ({ equipmentId }, { core }) => listPlansForEquipment(core, equipmentId),
  'plans.create': (input, { core, actor }) => createPlan(core, actor, input),
  'plans.update': (input, { core, actor }) => updatePlan(core, actor, input),
  'plans.deactivate': ({ id }, { core, actor }) => deactivatePlan(core, actor, id),
  'plans.reactivate': ({ id }, { core, actor }) => reactivatePlan(core, actor, id),
  'categoryPlans.list': ({ categoryId }, { core }) => listCategoryPlans(core, categoryId),
  'categoryPlans.add': (input, { core, actor }) => addCategoryPlan(core, actor, input),
  'categoryPlans.remove': ({ id }, { core, actor }) => removeCategoryPlan(core, actor, id),
  'categoryPlans.applyToDevices': ({ categoryId }, { core, actor }) => applyCategoryDefaultsToAll(core, actor, categoryId),
};
