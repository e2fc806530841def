import { z } from 'zod';
import { id } from '../domain/common';
import type { Procedure } from '../domain/procedure';
import { ProcedureDefinition } from '../domain/procedure';
import { channel } from './channel';

const task = z.string().min(1).max(40);

export const procedureChannels = {
  /** The current version of a category's procedure for a task, or null. */
  'procedures.forCategory': channel<Procedure | null>()({
    input: z.object({ categoryId: id, task }).strict(),
    access: 'technician',
    writes: false,
  }),
  /** What a plan's work is done against: the plan's own procedure, else its device's category's. */
  /** Saves a new version (versions are never changed). */
  'procedures.save': channel<Procedure>()({
    input: z
      .object({
        owner: z.discriminatedUnion('kind', [
          z.object({ kind: z.literal('category'), categoryId: id }).strict(),
          z.object({ kind: z.literal('plan'), planId: id }).strict(),
        ]),
        task,
        definition: ProcedureDefinition,
        /**
         * The version the editor opened (null: none was saved yet). When another version has been
         * saved since, the save is refused, so that version is never undone without a word. Left
         * out by callers that mean "on top of whatever is latest" (an import, a script).
         */
        baseVersion: z.number().int().min(1).nullable().optional(),
      })
      .strict(),
    access: 'supervisor',
    writes: true,
  }),
};
