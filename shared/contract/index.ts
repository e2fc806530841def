import type { z } from 'zod';
import type { Result } from '../result';
import type { Channel } from './channel';
import { authChannels } from './auth';
import { backupChannels } from './backups';
import { equipmentChannels } from './equipment';
import { loggingChannels } from './logging';
import { planChannels } from './plans';
import { procedureChannels } from './procedures';
import { stockChannels } from './stock';
import { reportChannels } from './reports';
import { systemChannels } from './system';

/**
 * THE IPC contract: channel name → input schema, access and result type. The preload, the
 * ipcMain wiring, the renderer's client and the e2e harness are all derived from this map.
 * Adding a channel is one entry here plus its handler in main/core/handlers.
 */
export const contract = {
  ...systemChannels,
  ...authChannels,
  ...backupChannels,
  ...equipmentChannels,
  ...loggingChannels,
  ...planChannels,
  ...procedureChannels,
  ...stockChannels,
  ...reportChannels,
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
