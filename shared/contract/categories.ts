import { z } from 'zod';
import type { Category, CategoryListing } from '../domain/category';
import { CategoryFields, CategoryUpdate } from '../domain/category';
import { id } from '../domain/common';
import { channel } from './channel';

/** Categories of equipment: default risk, default plans and procedures hang on them. */
export const categoryChannels = {
  'categories.list': channel<CategoryListing[]>()({
    input: z.object({}).strict(),
    access: 'technician',
    writes: false,
  }),
  'categories.create': channel<Category>()({
    input: CategoryFields.strict(),
    access: 'supervisor',
    writes: true,
  }),
  /**
   * Its name, default risk and notes; `active` false takes it out of use (not offered for devices),
   * true brings it back; `active` alone changes nothing else. `expected`: the name, default risk and
   * notes the edit dialog opened with. When the category no longer has them (someone else changed it
   * meanwhile), the save is refused in a sentence saying what changed, on field `expected.<field>`.
   */
  'categories.update': channel<Category>()({
    input: CategoryUpdate,
    access: 'supervisor',
    writes: true,
  }),
  /**
   * Only a category no device or default plan uses (nor, on a PC alone, a procedure). On a PC of a
   * hospital hub nothing is deleted: the category is taken out of use instead (`outOfUse`).
   */
  'categories.delete': channel<{ id: string; outOfUse?: true }>()({
    input: z.object({ id }).strict(),
    access: 'supervisor',
    writes: true,
  }),
};
