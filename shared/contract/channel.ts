import type { z } from 'zod';
import type { Role } from '../domain/common';

/**
 * Who may call a channel. Checked in main on every call, before the input is even parsed.
 * - `public`: no one need be signed in (first-run setup, sign-in, app info).
 * - a role: that role or any role above it (technician < supervisor < admin).
 */
export type Access = 'public' | Role;

export interface Channel<I extends z.ZodType, O, W extends boolean = boolean> {
  input: I;
  access: Access;
  /** Phantom: carries the result type for the typed client. Never read at run time. */
  readonly __output?: O;
  /**
   * True when a successful call changes data: main runs it in one write transaction and open
   * screens refresh. Kept as a literal type, so a read channel's handler is typed read-only.
   */
  writes: W;
}

/**
 * Declares a channel. Curried so the result type is written out and the input type inferred:
 * `channel<Equipment>()({ input: Schema, access: 'supervisor', writes: true })`.
 */
export const channel =
  <O>() =>
  <I extends z.ZodType, W extends boolean>(def: { input: I; access: Access; writes: W }): Channel<I, O, W> =>
    def;
