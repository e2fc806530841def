import type { ChannelInput, ChannelName, ChannelOutput, WardkeepApi } from '../../../shared/contract';
import type { Result } from '../../../shared/result';

declare global {
  interface Window {
    api: WardkeepApi;
  }
}

/** Calls the back end. Never throws: a broken bridge becomes an error value like any other. */
export async function call<C extends ChannelName>(channel: C, input: ChannelInput<C>): Promise<Result<ChannelOutput<C>>> {
  try {
    return await window.api.invoke(channel, input);
  } catch {
    return { ok: false, error: { code: 'internal', message: 'Wardkeep could not reach its back end. Restart the app.' } };
  }
}
