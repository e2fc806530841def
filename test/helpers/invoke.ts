import type { ChannelInput, ChannelName, ChannelOutput } from '../../shared/contract';
import type { Backend } from '../../main/core/backend';
import type { Session } from '../../main/core/session';

/** Calls a channel as `session` and answers its value, typed by the contract; a refusal fails the test with its sentence. */
export async function call<C extends ChannelName>(
  backend: Pick<Backend, 'invoke'>,
  session: Session,
  channel: C,
  input: ChannelInput<C>,
): Promise<ChannelOutput<C>> {
  const res = await backend.invoke(session, channel, input);
  if (!res.ok) throw new Error(`${channel}: ${res.error.message}`);
  return res.value;
}

/** `call` bound to one signed-in session. */
export function caller(backend: Pick<Backend, 'invoke'>, session: Session) {
  return <C extends ChannelName>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> => call(backend, session, channel, input);
}
