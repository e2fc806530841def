import type { ChannelInput, ChannelName, ChannelOutput, ChannelParsed, Contract } from '../../../shared/contract';
import type { Access } from '../../../shared/contract/channel';
import type { EventMap, EventName } from '../../../shared/contract/events';
import type { Actor, Core, WriteCore } from '../context';
import type { BackendPorts } from '../ports';
import type { Session } from '../session';

/** Sends an event to every window (the shell) or page (the e2e harness). */
export type Emit = <E extends EventName>(event: E, payload: EventMap[E]) => void;

/**
 * What a handler gets: never the dispatcher itself. `session` is for the auth channels, which
 * sign people in and out; everyone else needs only `actor`.
 */
export interface HandlerContext {
  core: Core;
  session: Session;
  /** The signed-in user as the audit trail records them, with their role as it is now. */
  actor: Actor;
  /**
   * The channel's access (its least role), which the dispatcher checked before the handler ran.
   * A job that writes after slow work checks it again in its transaction (a signature: auth/signed.ts).
   */
  access: Access;
  emit: Emit;
  /** Calls another channel as the same caller (access check, schema); its error is thrown as an AppError. */
  call<C extends ChannelName>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>>;
  /** The same for a channel chosen at run time (a print view's document): the input is checked by that channel's schema. */
  callByName<C extends ChannelName>(channel: C, input: unknown): Promise<ChannelOutput<C>>;
  /** What the shell provides (printing); empty in the CLI and the tests. */
  ports: BackendPorts;
}

/** Inside the dispatcher's transaction: synchronous, and with a way to act once it has committed. */
export interface WriteContext extends Omit<HandlerContext, 'call' | 'callByName' | 'core'> {
  core: WriteCore;
  /** Runs after the commit (changing the session, telling windows): never for a rolled-back call. */
  afterCommit(fn: () => void): void;
}

type Out<C extends ChannelName> = ChannelOutput<C>;
type In<C extends ChannelName> = ChannelParsed<C>;

/** A read channel: any function of its input, synchronous or not. */
export type ReadHandler<C extends ChannelName> = (input: In<C>, ctx: HandlerContext) => Out<C> | Promise<Out<C>>;

/**
 * A write channel. The dispatcher opens one IMMEDIATE transaction and runs `run` inside it; the
 * slow, asynchronous part (hashing a PIN, checking one) goes in `prepare`, which runs before the
 * transaction and may only read. A handler given as a bare function is a `run` with no `prepare`.
 */
export interface WriteSteps<C extends ChannelName, P> {
  prepare(input: In<C>, ctx: HandlerContext): Promise<P>;
  run(input: In<C>, ctx: WriteContext, prepared: P): Out<C>;
}

/**
 * A write that is not one transaction on the main connection: a job of the worker thread (an
 * import, which commits through the same transaction function on the worker's connection, or a
 * restore, SQLite's backup API there), whose commits the worker announces to this connection's
 * commit listeners. The dispatcher still checks access, parses, and tells windows afterwards.
 */
export interface WriteJob<C extends ChannelName> {
  job(input: In<C>, ctx: JobContext): Promise<Out<C>>;
}

export interface JobContext extends HandlerContext {
  /**
   * Runs `fn` as one of the dispatcher's IMMEDIATE transactions on the main connection, as a write
   * channel's `run` is: for a job that must commit in steps with slow work between them (a sign-in
   * counts the attempt, hashes the PIN, then records the outcome). A RecordedRefusal commits, then throws.
   */
  write<T>(fn: (ctx: WriteContext) => T): T;
}

export type WriteHandler<C extends ChannelName> =
  | ((input: In<C>, ctx: WriteContext) => Out<C>)
  // Each channel's prepared value has its own type, checked where `steps` declares the pair.
  | WriteSteps<C, unknown>
  | WriteJob<C>;

export type Handler<C extends ChannelName> = Contract[C]['writes'] extends true ? WriteHandler<C> : ReadHandler<C>;

/** One handler per channel of the contract; TypeScript refuses a missing or misspelt one. */
export type Handlers = { [C in ChannelName]: Handler<C> };

/** Handlers of a slice of the contract, for each feature's handlers file. */
export type HandlersFor<K extends ChannelName> = { [C in K]: Handler<C> };

/** Declares a write's two steps with the prepared value's type checked between them. */
export function steps<C extends ChannelName, P>(s: WriteSteps<C, P>): WriteSteps<C, P> {
  return s;
}

/** Declares a write that runs outside the main connection (see WriteJob). */
export function job<C extends ChannelName>(fn: WriteJob<C>['job']): WriteJob<C> {
  return { job: fn };
}
