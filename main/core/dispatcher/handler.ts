import type { ChannelName, ChannelOutput, ChannelParsed } from '../../../shared/contract';
import type { Backend } from '../backend';
import type { Actor, Core } from '../context';
import type { Session } from '../session';
import type { BackendPorts } from '../ports';

export interface HandlerContext {
  core: Core;
  session: Session;
  /** The signed-in user as the audit trail records them. */
  actor: Actor;
  backend: Backend;
  /** What the shell provides (printing); empty in the CLI and the tests. */
  ports: BackendPorts;
}

export type Handler<C extends ChannelName> = (
  input: ChannelParsed<C>,
  ctx: HandlerContext,
) => ChannelOutput<C> | Promise<ChannelOutput<C>>;

/** One handler per channel of the contract; TypeScript refuses a missing or misspelt one. */
export type Handlers = { [C in ChannelName]: Handler<C> };

/** Handlers of a slice of the contract, for the per-area handler files. */
export type HandlersFor<K extends ChannelName> = { [C in K]: Handler<C> };
