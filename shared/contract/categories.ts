import { z } from 'zod';
import type { Category } from '../domain/category';
import { CategoryFields, CategoryUpdate } from '../domain/category';
import { id } from '../domain/common';
import { channel } from './channel';

/** Categories of equipment: default risk, default plans and procedures hang on them. */
export const categoryChannels = {
  'categories.list': channel<Category[]>()({
    input: z.object({}).strict(),
    access: 'technician',
    writes: false,
  }),
  'categories.create': channel<Category>()({
    input: CategoryFields.strict(),
    access: 'supervisor',
    writes: true,
  }),
  'categories.update': channel<Category>()({
    input: CategoryUpdate.strict(),
    access: 'supervisor',
    writes: true,
  }),
  /** Only a category no device, plan template or procedure uses. */
  'categories.delete': channel<{ id: string }>()({
    input: z.object({ id }).strict(),
    access: 'supervisor',
    writes: true,
  }),
};
