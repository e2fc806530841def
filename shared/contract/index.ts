import type { z } from 'zod';
import type { Result } from '../result';
import type { Channel } from './channel';
import { appChannels } from './app';
import { authChannels } from './auth';
import { backupChannels } from './backups';
import { categoryChannels } from './categories';
import { categoryPlanChannels } from './category-plans';
import { completionChannels } from './completions';
import { dueChannels } from './due';
import { equipmentChannels } from './equipment';
import { equipmentImportChannels } from './equipment-import';
import { locationChannels } from './locations';
import { logChannels } from './log';
import { planChannels } from './plans';
import { printChannels } from './print';
import { procedureChannels } from './procedures';
import { reportChannels } from './reports';
import { settingsChannels } from './settings';
import { stockChannels } from './stock';
import { syncChannels } from './sync';
import { taskTypeChannels } from './task-types';
import { userChannels } from './users';
import { workOrderChannels } from './work-orders';

/**
 * THE IPC contract: channel name → input schema, access and result type. The preload, the
 * ipcMain wiring, the renderer's client and the e2e harness are all derived from this map.
 * Each file here holds the channels of one prefix (`users.ts`: `users.*`). Adding a channel is one
 * entry in its file plus its handler in main/core/<feature>/handlers.ts.
 */
export const contract = {
  ...appChannels,
  ...authChannels,
  ...userChannels,
  ...settingsChannels,
  ...backupChannels,
  ...equipmentChannels,
  ...equipmentImportChannels,
  ...locationChannels,
  ...categoryChannels,
  ...logChannels,
  ...completionChannels,
  ...taskTypeChannels,
  ...planChannels,
  ...dueChannels,
  ...categoryPlanChannels,
  ...procedureChannels,
  ...stockChannels,
  ...reportChannels,
  ...printChannels,
  ...syncChannels,
  ...workOrderChannels,
};

export type Contract = typeof contract;
export type ChannelName = keyof Contract;
export type ChannelInput<C extends ChannelName> = z.input<Contract[C]['input']>;
export type ChannelParsed<C extends ChannelName> = z.output<Contract[C]['input']>;
export type ChannelOutput<C extends ChannelName> = Contract[C] extends Channel<z.ZodType, infer O> ? O : never;

export const CHANNEL_NAMES = Object.keys(contract) as ChannelName[];

export function isChannelName(name: unknown): name is ChannelName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);
}

/** What `window.api` offers the renderer. The preload implements it; the e2e harness too. */
export interface WardkeepApi {
  invoke<C extends ChannelName>(channel: C, input: ChannelInput<C>): Promise<Result<ChannelOutput<C>>>;
  subscribe<E extends import('./events').EventName>(
    event: E,
    listener: (payload: import('./events').EventMap[E]) => void,
  ): () => void;
}
