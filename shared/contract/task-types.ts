import { z } from 'zod';
import type { TaskType } from '../domain/plan';
import { TaskTypeFields, TaskTypeUpdate } from '../domain/plan';
import { channel } from './channel';

const none = z.object({}).strict();

export const taskTypeChannels = {
  'taskTypes.list': channel<TaskType[]>()({ input: none, access: 'ward_staff', writes: false }),
  /** A task type of the hospital's own: its label, its form, what a fail and an overdue plan mean (administrators). */
  'taskTypes.create': channel<TaskType>()({ input: TaskTypeFields.strict(), access: 'admin', writes: true }),
  /**
   * Its label, what a fail and an overdue plan mean, and whether it is still in use; a built-in type
   * keeps its form. `expected`: the task type as the change dialog opened with it. When it no longer
   * is (someone else changed it meanwhile), the save is refused in a sentence saying what changed, on
   * field `expected.<field>`.
   */
  'taskTypes.update': channel<TaskType>()({ input: TaskTypeUpdate.strict(), access: 'admin', writes: true }),
};
