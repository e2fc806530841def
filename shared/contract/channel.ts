import type { z } from 'zod';
import type { Role } from '../domain/common';

/**
 * Who may call a channel. Checked in main on every call, before the input is even parsed.
 * - `public`: no one need be signed in (first-run setup, sign-in, app info).
 * - a role: that role or any role above it (technician < supervisor < admin).
 */
export type Access = 'public' | Role;

export interface Channel<I extends z.ZodType, O> {
  input: I;
  access: Access;
  /** Phantom: carries the result type for the typed client. Never read at run time. */
  readonly __output?: O;
  /** True when a successful call changes data, so open screens refresh. */
  writes: boolean;
}

/**
 * Declares a channel. Curried so the result type is written out and the input type inferred:
 * `channel<Equipment>()({ input: Schema, access: 'supervisor', writes: true })`.
 */
export const channel =
  <O>() =>
  <I extends z.ZodType>(def: { input: I; access: Access; writes: boolean }): Channel<I, O> =>
    def;
