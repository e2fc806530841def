import type { QueryKey, UseQueryOptions } from '@tanstack/react-query';
import { keepPreviousData, QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect } from 'react';
import type { ChannelInput, ChannelName, ChannelOutput } from '../../../shared/contract';
import type { AppErrorValue, Result } from '../../../shared/result';
import { call } from './api';
import { isAffected, topicsWritten } from './invalidation';

/** A refused call, carried through TanStack Query as an error with the back end's value inside. */
export class ChannelError extends Error {
  readonly value: AppErrorValue;
  constructor(value: AppErrorValue) {
    super(value.message);
    this.name = 'ChannelError';
    this.value = value;
  }
}

/**
 * Server state. Answers are kept until main says a write changed them ('data.changed', see
 * invalidation.ts): never re-read on a timer, on focus or on remount, so a screen shows what the
 * database holds and asks again only when that changed.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { staleTime: Infinity, gcTime: 5 * 60_000, retry: false, refetchOnWindowFocus: false, refetchOnReconnect: false, networkMode: 'always' },
      mutations: { retry: false, networkMode: 'always' },
    },
  });
}

export const channelKey = <C extends ChannelName>(channel: C, input: ChannelInput<C>): QueryKey => [channel, input];

async function fetchChannel<C extends ChannelName>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
  const res = await call(channel, input);
  if (!res.ok) throw new ChannelError(res.error);
  return res.value;
}

/** The options of a channel's query, for useQueries and prefetching. */
export function channelQuery<C extends ChannelName>(channel: C, input: ChannelInput<C>): UseQueryOptions<ChannelOutput<C>, ChannelError> {
  return { queryKey: channelKey(channel, input), queryFn: () => fetchChannel(channel, input) };
}

export interface ChannelQuery<T> {
  data: T | undefined;
  error: AppErrorValue | undefined;
  /** True until the first answer (or while a new input's first answer is on its way). */
  loading: boolean;
  /** With `keepPrevious`: the answer shown is the last input's, while the new input's is on its way. */
  updating: boolean;
  refetch: () => void;
}

/**
 * Reads a channel. Calls with the same channel and input share one request and one answer.
 * `keepPrevious` shows the last input's answer while a new input's is on its way (a filter being typed).
 * `refreshEveryMs` re-reads on a timer: only what a worker moves on in the background (the sync
 * status; the Backups list while a backup is not checked yet).
 */
export function useChannelQuery<C extends ChannelName>(
  channel: C,
  input: ChannelInput<C>,
  options: { enabled?: boolean; keepPrevious?: boolean; refreshEveryMs?: number | false } = {},
): ChannelQuery<ChannelOutput<C>> {
  const q = useQuery<ChannelOutput<C>, ChannelError>({
    ...channelQuery(channel, input),
    enabled: options.enabled ?? true,
    // Only for what changes outside any write here (the background sync's status): never for data.
    ...(options.refreshEveryMs ? { refetchInterval: options.refreshEveryMs } : {}),
    ...(options.keepPrevious ? { placeholderData: keepPreviousData } : {}),
  });
  const { refetch } = q;
  const again = useCallback(() => void refetch(), [refetch]);
  return { data: q.data, error: q.error?.value, loading: q.isPending && q.fetchStatus !== 'idle', updating: q.isPlaceholderData, refetch: again };
}

/**
 * Writes through a channel. `run` resolves to the call's result (never throws), so a form can
 * place the error beside its fields; `pending` blocks a second submit while the first is on its way.
 * What the write changed is read again when main says so (WRITES in invalidation.ts).
 */
export function useChannelMutation<C extends ChannelName>(channel: C) {
  const m = useMutation<ChannelOutput<C>, ChannelError, ChannelInput<C>>({ mutationFn: (input) => fetchChannel(channel, input) });
  return {
    run: async (input: ChannelInput<C>): Promise<Result<ChannelOutput<C>>> => {
      try {
        return { ok: true, value: await m.mutateAsync(input) };
      } catch (err) {
        return { ok: false, error: err instanceof ChannelError ? err.value : { code: 'internal', message: 'Something went wrong and nothing was saved.' } };
      }
    },
    pending: m.isPending,
    error: m.error?.value ?? null,
    reset: m.reset,
  };
}

/**
 * Listens to main's events: a write makes the queries it affects stale (those on screen are read
 * again at once), a restore makes every query stale. Mounted once, at the root.
 */
export function useServerEvents(): void {
  const client = useQueryClient();
  useEffect(() => {
    const offChanged = window.api.subscribe('data.changed', ({ channel }) => {
      const written = topicsWritten(channel);
      void client.invalidateQueries({ predicate: (q) => isAffected(String(q.queryKey[0]), written) });
    });
    const offRestored = window.api.subscribe('database.restored', () => void client.invalidateQueries());
    return () => {
      offChanged();
      offRestored();
    };
  }, [client]);
}

/**
 * Whether the hospital has no equipment at all (null until asked and answered): a list with
 * nothing in it then says there is nothing yet, in the neutral style, not a green all-clear.
 * Asked only when `ask` (the list is empty).
 */
export function useNoEquipment(ask: boolean): boolean | null {
  const q = useChannelQuery('equipment.search', { limit: 1 }, { enabled: ask });
  return q.data ? q.data.total === 0 : null;
}
