import { z } from 'zod';
import type { TaskType } from '../domain/plan';
import { channel } from './channel';

const none = z.object({}).strict();

export const taskTypeChannels = {
  'taskTypes.list': channel<TaskType[]>()({ input: none, access: 'technician', writes: false }),
};
