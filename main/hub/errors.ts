import type { HubErrorCode } from '../core/sync/protocol';

/** An answer the hub gives with an HTTP status and a sentence the PC can show. */
export class HubHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: HubErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'HubHttpError';
  }
}

/**
 * The hub cannot start, or an administration command cannot run, because of how it was set up:
 * its database address, password or TLS folder. The message is one sentence naming the address,
 * file or setting to fix; `wardkeep hub …` prints it and exits 1, having stored nothing.
 */
export class HubSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HubSetupError';
  }
}
