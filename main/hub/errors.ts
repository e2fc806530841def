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
