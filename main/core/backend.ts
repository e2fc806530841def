import type { ChannelInput, ChannelName, ChannelOutput } from '../../shared/contract';
import { contract, isChannelName } from '../../shared/contract';
import { ALLOWED_BEFORE_PIN_SET, roleAllows, roleRefusal } from '../../shared/contract/access';
import type { EventMap, EventName } from '../../shared/contract/events';
import { ACTIVITY_REPORT_EVERY_MS } from '../../shared/domain/settings';
import type { Result } from '../../shared/result';
import { lockSession } from './auth/service';
import type { Actor, Core } from './context';
import { actorOfUser } from './context';
import { errorValue, schemaError, storageError } from './dispatcher/errors';
import type { Emit, HandlerContext, JobContext, WriteContext } from './dispatcher/handler';
import { currentRights, endSession } from './dispatcher/rights';
import { createHandlers } from './dispatcher/registry';
import { inTransaction } from './dispatcher/transaction';
import { AppError, RecordedRefusal } from './errors';
import type { BackendPorts } from './ports';
import type { Session } from './session';
import { getSettings } from './settings/service';

type Listener = <E extends EventName>(event: E, payload: EventMap[E]) => void;

/**
 * The dispatcher: the one door every call comes through, from the window (ipcMain), the e2e
 * harness and the tests. It owns the rules that cut across every channel, in this order:
 * 1. the caller's rights are read again from the database (a user deactivated or demoted while
 *    signed in loses the rights at once; a restore signs everyone out), then the idle lock;
 * 2. access (the channel's least role, and nothing but choosing a PIN before one is chosen);
 * 3. the input, parsed by the channel's schema;
 * 4. the handler: a read as is; a write in ONE IMMEDIATE transaction opened here (after its
 *    asynchronous preparation), whose commit every `onCommit` listener hears of with the audit
 *    entries it appended; a job (imports, restore) off the main connection;
 * 5. `data.changed` after every successful write, and errors as values, never a stack trace.
 */
export interface Backend {
  core: Core;
  /** A call from code that knows the channel (the tests, the harness): the result typed by the contract. */
  invoke<C extends ChannelName>(session: Session, channel: C, input: ChannelInput<C>): Promise<Result<ChannelOutput<C>>>;
  /** A call as it arrives over IPC: channel and input unchecked until the dispatcher checks them. */
  invoke(session: Session, channel: unknown, input: unknown): Promise<Result<unknown>>;
  /** Main-to-renderer messages; the shell forwards them to windows, the harness to pages. */
  onEvent(listener: Listener): () => void;
  emit: Emit;
}

export interface BackendOptions {
  /** Logged server-side only; the renderer never sees stack traces. */
  logError?: (err: unknown, channel: string) => void;
  /** What the shell provides (printing); absent in the CLI and the tests. */
  ports?: BackendPorts;
}

export { schemaError, storageError };

type ReadFn = (input: unknown, ctx: HandlerContext) => unknown;
type RunFn = (input: unknown, ctx: WriteContext, prepared: unknown) => unknown;
type Steps = { prepare(input: unknown, ctx: HandlerContext): Promise<unknown>; run: RunFn };
type AnyHandler = ReadFn | RunFn | Steps | { job(input: unknown, ctx: JobContext): Promise<unknown> };

export function createBackend(core: Core, options: BackendOptions = {}): Backend {
  const handlers = createHandlers();
  const listeners = new Set<Listener>();
  const emit: Emit = (event, payload) => {
    for (const l of listeners) l(event, payload);
  };
  // A restore starts a new epoch: a session last served in an older one is signed out.
  let epoch = 0;
  const seen = new WeakMap<Session, number>();
  listeners.add((event) => {
    if (event === 'database.restored') epoch++;
  });

  async function dispatch(session: Session, channel: ChannelName, input: unknown): Promise<unknown> {
    const def = contract[channel];
    const actor: Actor = session.user ? actorOfUser(session.user) : { userId: null, name: 'Not signed in', role: null, via: 'app' };
    const ctx: HandlerContext = {
      core,
      session,
      actor,
      access: def.access,
      emit,
      ports: options.ports ?? {},
      call: async (name, callInput) => unwrap(await backend.invoke(session, name, callInput)),
      callByName: async (name, callInput) => unwrap(await backend.invoke(session, name, callInput)),
    };
    // The Handlers type ties each channel's handler to its parsed input; here the channel is any
    // of them, so the handler is called through the shapes below.
    const h = handlers[channel] as unknown as AnyHandler;
    if (!def.writes) return (h as ReadFn)(input, ctx);
    const write = <T>(fn: (w: WriteContext) => T): T => {
      const after: (() => void)[] = [];
      let refusal: RecordedRefusal | null = null;
      const value = inTransaction(
        core,
        (writable) => {
          const writeCtx: WriteContext = {
            core: writable,
            session,
            actor,
            access: def.access,
            emit,
            ports: ctx.ports,
            afterCommit: (f) => after.push(f),
          };
          try {
            return fn(writeCtx);
          } catch (err) {
            // A refusal that must leave its record (a counted wrong PIN): commit, then refuse.
            if (err instanceof RecordedRefusal) {
              refusal = err;
              return undefined;
            }
            throw err;
          }
        },
        { origin: channel, actor },
      );
      for (const f of after) f();
      if (refusal) throw refusal;
      return value as T;
    };
    if ('job' in h) return h.job(input, { ...ctx, write });
    const step: Steps = 'run' in h ? h : { prepare: async () => undefined, run: h as RunFn };
    const prepared = await step.prepare(input, ctx);
    return write((w) => step.run(input, w, prepared));
  }

  function invoke<C extends ChannelName>(session: Session, channel: C, input: ChannelInput<C>): Promise<Result<ChannelOutput<C>>>;
  function invoke(session: Session, channel: unknown, input: unknown): Promise<Result<unknown>>;
  async function invoke(session: Session, channel: unknown, input: unknown): Promise<Result<unknown>> {
    if (!isChannelName(channel)) {
      return { ok: false, error: { code: 'not_found', message: 'There is no such action.' } };
    }
    const def = contract[channel];
    try {
      if (session.user && (seen.get(session) ?? epoch) !== epoch) endSession(session);
      seen.set(session, epoch);
      const rights = currentRights(core, session);
      if (rights === 'ended') emit('session.locked', { reason: 'deactivated' });
      // The idle lock is enforced here too, not only by the page's timer: a session idle for
      // longer than the setting is locked before it can do anything. The page reports activity at
      // most every ACTIVITY_REPORT_EVERY_MS, so what main knows may be that much older than the
      // last key: the page's own timer locks on time, this one no earlier.
      const nowMs = core.clock.now().getTime();
      if (session.user && nowMs - session.lastActivityMs > getSettings(core).idleTimeoutSeconds * 1000 + ACTIVITY_REPORT_EVERY_MS) {
        inTransaction(core, (writable) => lockSession(writable, session, 'idle'), {
          origin: 'auth.idle',
          actor: actorOfUser(session.user),
        });
        emit('session.locked', { reason: 'idle' });
      }
    } catch (err) {
      return { ok: false, error: failure(err, channel) };
    }
    if (session.user?.mustSetPin && !ALLOWED_BEFORE_PIN_SET.has(channel)) {
      return { ok: false, error: { code: 'forbidden', message: 'Choose your own PIN first.' } };
    }
    if (def.access !== 'public') {
      if (!session.user) return { ok: false, error: { code: 'unauthenticated', message: 'Sign in first.' } };
      if (!roleAllows(session.user.role, def.access)) {
        return {
          ok: false,
          error: { code: 'forbidden', message: roleRefusal(session.user.role, def.access) },
        };
      }
    }
    const parsed = def.input.safeParse(input);
    if (!parsed.success) return { ok: false, error: schemaError(parsed.error) };
    try {
      const value = await dispatch(session, channel, parsed.data).finally(() => {
        // A session with no one signed in belongs to the current database, whatever it was before.
        if (!session.user) seen.set(session, epoch);
      });
      // Only what the person does counts as activity: background refreshes must not keep an
      // abandoned session alive.
      if ((def.writes || channel === 'auth.touch') && session.user) session.lastActivityMs = core.clock.now().getTime();
      if (def.writes) emit('data.changed', { channel });
      return { ok: true, value };
    } catch (err) {
      return { ok: false, error: failure(err, channel) };
    }
  }

  const backend: Backend = {
    core,
    emit,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    invoke,
  };

  function failure(err: unknown, channel: string) {
    const known = errorValue(err);
    if (known) return known;
    options.logError?.(err, channel);
    return { code: 'internal' as const, message: 'Something went wrong and nothing was saved. The details are in the log.' };
  }

  return backend;
}

/** Another channel's answer to a handler: its value (typed by the contract at the call), or its error thrown. */
function unwrap<T>(res: Result<unknown>): T {
  if (res.ok) return res.value as T;
  throw new AppError(res.error.code, res.error.message, {
    ...(res.error.field ? { field: res.error.field } : {}),
    ...(res.error.details ? { details: res.error.details } : {}),
  });
}

export type { ChannelName };
