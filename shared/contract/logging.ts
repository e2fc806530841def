import { z } from 'zod';
import { id, isoDate } from '../domain/common';
import type { CompletionView, ReferenceStandard } from '../domain/completion';
import { AmendFields, LogFields } from '../domain/completion';
import type { PlanView } from '../domain/plan';
import type { Procedure } from '../domain/procedure';
import type { StockCheckFormData } from '../domain/stock-views';
import { secret } from '../domain/user';
import { channel } from './channel';

/** How a task's result is entered: decides which form the technician sees. */
export type ResultKind = 'cleaning' | 'checklist' | 'measurements' | 'safety' | 'stock_check' | 'outcome';

/** Everything the record form needs for one plan, in one call. */
export interface LogForm {
  plan: PlanView;
  target:
    | { kind: 'equipment'; id: string; assetTag: string; name: string; locationPath: string; status: string }
    | { kind: 'stock_location'; id: string; name: string; locationPath: string };
  resultKind: ResultKind;
  /** The checklist, points or checks the work is done against (current version), if any. */
  procedure: Procedure | null;
  /** For calibration and safety tests: the reference standards in the inventory, current or not today. */
  referenceStandards: ReferenceStandard[];
  /** The cleaning method and agent last used on this device, to prefill the form. */
  lastCleaning: { method: string; agent: string } | null;
  /** For a stock check: the location's items with par, expected on hand, lots and flags. */
  stockCheck: StockCheckFormData | null;
  /** The signed-in user, who will sign as "performed by". */
  signer: { id: string; name: string; role: string };
  now: string;
}

export const loggingChannels = {
  'log.form': channel<LogForm>()({ input: z.object({ planId: id }).strict(), access: 'technician', writes: false }),
  /** Saves a record, signed by the signed-in user re-entering their PIN or password. */
  'completions.log': channel<CompletionView>()({ input: LogFields.strict(), access: 'technician', writes: true }),
  /** A correction: a new record pointing at the one it corrects, with a reason; both stay. */
  'completions.amend': channel<CompletionView>()({ input: AmendFields.strict(), access: 'technician', writes: true }),
  /** A second signature, "reviewed by" (supervisors). */
  'completions.review': channel<CompletionView>()({
    input: z.object({ completionId: id, secret }).strict(),
    access: 'supervisor',
    writes: true,
  }),
  'completions.get': channel<CompletionView>()({ input: z.object({ id }).strict(), access: 'technician', writes: false }),
  /** A device's or stock location's records, newest first, amendments included. */
  'completions.history': channel<CompletionView[]>()({
    input: z.union([z.object({ equipmentId: id }).strict(), z.object({ stockLocationId: id }).strict()]),
    access: 'technician',
    writes: false,
  }),
  'referenceStandards.list': channel<ReferenceStandard[]>()({
    input: z.object({ asOf: isoDate.optional() }).strict(),
    access: 'technician',
    writes: false,
  }),
};
