import { z } from 'zod';
import { id } from '../domain/common';
import type { CategoryPlan } from '../domain/plan';
import { CategoryPlanFields } from '../domain/plan';
import { channel } from './channel';

/** The plans a category gives its devices by default. */
export const categoryPlanChannels = {
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
};
