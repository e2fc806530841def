import { useCallback, useEffect, useRef, useState } from 'react';
import type { ChannelInput, ChannelName, ChannelOutput, WardkeepApi } from '../../../shared/contract';
import type { AppErrorValue, Result } from '../../../shared/result';

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

export interface Query<T> {
  data: T | undefined;
  error: AppErrorValue | undefined;
  loading: boolean;
  reload: () => void;
}

/**
 * Reads from a channel, and reads again whenever anything is written (the 'data.changed'
 * event), so every screen stays current without a reload.
 */
export function useQuery<C extends ChannelName>(channel: C, input: ChannelInput<C>, options: { enabled?: boolean } = {}): Query<ChannelOutput<C>> {
  const enabled = options.enabled ?? true;
  const key = JSON.stringify(input);
  const [state, setState] = useState<{ data?: ChannelOutput<C>; error?: AppErrorValue; loading: boolean }>({ loading: enabled });
  const generation = useRef(0);
  const run = useCallback(() => {
    if (!enabled) return;
    const mine = ++generation.current;
    setState((s) => ({ ...s, loading: true }));
    void call(channel, JSON.parse(key) as ChannelInput<C>).then((res) => {
      if (mine !== generation.current) return; // a newer request superseded this one
      setState(res.ok ? { data: res.value, loading: false } : { error: res.error, loading: false });
    });
  }, [channel, key, enabled]);
  useEffect(() => {
    run();
    return window.api.subscribe('data.changed', () => run());
  }, [run]);
  return { data: state.data, error: state.error, loading: state.loading, reload: run };
}
