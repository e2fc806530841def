import type { z } from 'zod';
import type { ChannelName } from '../../shared/contract';
import { contract, isChannelName } from '../../shared/contract';
import type { EventMap, EventName } from '../../shared/contract/events';
import { issueProblems } from '../../shared/validation';
import type { AppErrorValue, Result } from '../../shared/result';
import type { Actor, Core } from './context';
import { AppError } from './errors';
import { createHandlers } from './handlers';
import type { Handlers } from './handlers/types';
import type { BackendPorts } from './ports';
import type { Session } from './session';
import { ALLOWED_BEFORE_PIN_SET, roleAllows } from './session';
import { lockSession } from './services/auth';
import { getSettings } from './services/settings';

type Listener = <E extends EventName>(event: E, payload: EventMap[E]) => void;

export interface Backend {
  core: Core;
  /** The one entry point for every IPC call: access check, schema parse, handler, error value. */
  invoke(session: Session, channel: unknown, input: unknown): Promise<Result<unknown>>;
  /** Main-to-renderer messages; the shell forwards them to windows, the harness to pages. */
  onEvent(listener: Listener): () => void;
  emit<E extends EventName>(event: E, payload: EventMap[E]): void;
}

export interface BackendOptions {
  /** Logged server-side only; the renderer never sees stack traces. */
  logError?: (err: unknown, channel: string) => void;
  /** What the shell provides (printing); absent in the CLI and the tests. */
  ports?: BackendPorts;
}

/** Turns the first schema problem into a sentence naming the field, e.g. "Asset tag is required." */
export function schemaError(error: z.ZodError): AppErrorValue {
  // The renderer's forms word their own checks with the same function: one sentence either way.
  const details = issueProblems(error.issues);
  const first = details[0] ?? { message: 'The input is not valid.' };
  const value: AppErrorValue = { code: 'invalid_input', message: first.message };
  if (first.field) value.field = first.field;
  if (details.length > 1) value.details = details;
  return value;
}

/** SQLite failures a user can do something about get a plain sentence; the rest are internal. */
export function storageError(err: unknown): AppErrorValue | null {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  if (code === 'SQLITE_FULL') {
    return { code: 'storage', message: 'The disk is full, so nothing was saved. Free some space on this PC and try again.' };
  }
  if (code === 'SQLITE_READONLY' || code.startsWith('SQLITE_READONLY')) {
    return { code: 'storage', message: 'The database is read-only, so nothing was saved. Check the data folder\'s permissions.' };
  }
  if (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY')) {
    return { code: 'storage', message: 'The database is busy with another program, so nothing was saved. Try again in a moment.' };
  }
  if (code.startsWith('SQLITE_IOERR')) {
    return { code: 'storage', message: 'The disk could not be written, so nothing was saved. Check the disk and try again.' };
  }
  return null;
}

export function actorOf(session: Session): Actor {
  return session.user
    ? { userId: session.user.id, name: session.user.name, role: session.user.role, via: 'app' }
    : { userId: null, name: 'Not signed in', role: null, via: 'app' };
}

export function createBackend(core: Core, options: BackendOptions = {}, handlers: Handlers = createHandlers()): Backend {
  const listeners = new Set<Listener>();
  const emit = <E extends EventName>(event: E, payload: EventMap[E]) => {
    for (const l of listeners) l(event, payload);
  };
  const backend: Backend = {
    core,
    emit,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async invoke(session, channel, input) {
      if (!isChannelName(channel)) {
        return { ok: false, error: { code: 'not_found', message: 'There is no such action.' } };
      }
      const def = contract[channel];
      // The idle lock is enforced here too, not only by the page's timer: a session idle for
      // longer than the setting is locked before it can do anything.
      const nowMs = core.clock.now().getTime();
      if (session.user && nowMs - session.lastActivityMs > getSettings(core).idleTimeoutSeconds * 1000) {
        lockSession(core, session, 'idle');
        emit('session.locked', { reason: 'idle' });
      }
      if (session.user?.mustSetPin && !ALLOWED_BEFORE_PIN_SET.has(channel)) {
        return { ok: false, error: { code: 'forbidden', message: 'Choose your own PIN first.' } };
      }
      if (def.access !== 'public') {
        if (!session.user) return { ok: false, error: { code: 'unauthenticated', message: 'Sign in first.' } };
        if (!roleAllows(session.user.role, def.access)) {
          return {
            ok: false,
            error: { code: 'forbidden', message: `Only a ${def.access} or above may do this; you are signed in as a ${session.user.role}.` },
          };
        }
      }
      const parsed = def.input.safeParse(input);
      if (!parsed.success) return { ok: false, error: schemaError(parsed.error) };
      try {
        const handler = handlers[channel] as (
          input: unknown,
          ctx: { core: Core; session: Session; actor: Actor; backend: Backend; ports: BackendPorts },
        ) => unknown;
        const value = await handler(parsed.data, { core, session, actor: actorOf(session), backend, ports: options.ports ?? {} });
        // Only what the person does counts as activity: background refreshes must not keep an
        // abandoned session alive.
        if ((def.writes || channel === 'auth.touch') && session.user) session.lastActivityMs = core.clock.now().getTime();
        if (def.writes) emit('data.changed', { channel });
        return { ok: true, value };
      } catch (err) {
        if (err instanceof AppError) return { ok: false, error: err.toValue() };
        const storage = storageError(err);
        if (storage) return { ok: false, error: storage };
        options.logError?.(err, channel);
        return { ok: false, error: { code: 'internal', message: 'Something went wrong and nothing was saved. The details are in the log.' } };
      }
    },
  };
  return backend;
}

export type { ChannelName };
