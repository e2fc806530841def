import { hashKey } from '@tanstack/react-query';
import type { ChannelInput, ChannelName, ChannelOutput, WardkeepApi } from '../../../shared/contract';
import type { Result } from '../../../shared/result';
import { isAffected, topicsWritten } from './invalidation';

declare global {
  interface Window {
    api: WardkeepApi;
  }
}

/**
 * Questions asked at start, before the first screen is drawn (its data, alongside "who is signed
 * in"), each answer taken once by the first call with the same channel and input. Forgotten as
 * soon as anything could make them wrong: a write that affects them (data.changed, as the query
 * cache decides), a restore, a lock, or any sign-in, sign-out or switch of user (every auth.*
 * call but the status).
 */
const early = new Map<string, { channel: ChannelName; answer: Promise<Result<unknown>> }>();
let forgetting = false;

function forgetEarly(): void {
  early.clear();
}

/** Asks now what the first screen will ask once it is drawn (main.tsx); a refused answer is simply asked again then. */
export function askEarly<C extends ChannelName>(channel: C, input: ChannelInput<C>): void {
  if (!forgetting) {
    forgetting = true;
    window.api.subscribe('data.changed', ({ channel: wrote }) => {
      const written = topicsWritten(wrote);
      for (const [key, e] of early) if (isAffected(e.channel, written)) early.delete(key);
    });
    window.api.subscribe('database.restored', forgetEarly);
    window.api.subscribe('session.locked', forgetEarly);
  }
  early.set(hashKey([channel, input]), { channel, answer: invoke(channel, input) });
}

async function invoke<C extends ChannelName>(channel: C, input: ChannelInput<C>): Promise<Result<ChannelOutput<C>>> {
  try {
    return await window.api.invoke(channel, input);
  } catch {
    return { ok: false, error: { code: 'internal', message: 'Wardkeep could not reach its back end. Restart the app.' } };
  }
}

/** Calls the back end. Never throws: a broken bridge becomes an error value like any other. */
export async function call<C extends ChannelName>(channel: C, input: ChannelInput<C>): Promise<Result<ChannelOutput<C>>> {
  if (early.size > 0) {
    if (channel.startsWith('auth.') && channel !== 'auth.status') forgetEarly();
    const key = hashKey([channel, input]);
    const asked = early.get(key);
    if (asked) {
      early.delete(key);
      const res = (await asked.answer) as Result<ChannelOutput<C>>;
      if (res.ok) return res;
    }
  }
  return invoke(channel, input);
}
