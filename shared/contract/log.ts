import { z } from 'zod';
import { id, isoDate } from '../domain/common';
import type { ReferenceStandard } from '../domain/completion';
import type { PlanView, TaskType } from '../domain/plan';
import type { Procedure } from '../domain/procedure';
import type { StockCheckFormData } from '../domain/stock-views';
import { channel } from './channel';

/** How a task's result is entered: decides which form the technician sees. */
export type ResultKind = 'cleaning' | 'checklist' | 'measurements' | 'safety' | 'stock_check' | 'outcome';

/** Everything the record form needs for one plan, in one call. */
export interface LogForm {
  /** The plan the work counts for; null for unplanned work (a cleaning after a spill, a repair's check). */
  plan: PlanView | null;
  /** The task, with its form and whether a fail takes the device out of service. */
  task: TaskType;
  target:
    | { kind: 'equipment'; id: string; assetTag: string; name: string; locationPath: string; status: string }
    | { kind: 'stock_location'; id: string; name: string; locationPath: string };
  resultKind: ResultKind;
  /**
   * The checklist, points or checks the work is done against, if any: the current version, or for
   * a correction the version the original was signed against (none for one made as a plain pass or
   * fail), so a correction is judged by the same limits.
   */
  procedure: Procedure | null;
  /** For calibration and safety tests: the reference standards in the inventory, current or not on `referenceStandardsOn`. */
  referenceStandards: ReferenceStandard[];
  /** The day the standards were judged on: today, or a correction's original day (the form asks again for another day typed). */
  referenceStandardsOn: string;
  /** The record this form corrects (null for new work): the standards asked again for another day keep the one it was signed with. */
  amendsId: string | null;
  /** The cleaning method and agent last used on this device, to prefill the form. */
  lastCleaning: { method: string; agent: string } | null;
  /** For a stock check: the location's items with par, expected on hand, lots and flags. */
  stockCheck: StockCheckFormData | null;
  /** The signed-in user, who will sign as "performed by". */
  signer: { id: string; name: string; role: string };
  now: string;
  /** Work done more than this many days before it is entered needs a reason (Settings). */
  lateEntryReasonAfterDays: number;
}

export const logChannels = {
  /** For a plan, or for unplanned work: any task on any device, with no plan. */
  'log.form': channel<LogForm>()({
    input: z.union([z.object({ planId: id, amendsId: id.optional() }).strict(), z.object({ equipmentId: id, task: z.string().min(1).max(40), amendsId: id.optional() }).strict()]),
    access: 'technician',
    writes: false,
  }),
  /** The reference standards, each judged in calibration or not on `asOf`: the day typed in "Performed on". */
  'log.referenceStandards': channel<ReferenceStandard[]>()({
    // `amendsId`: for a correction, the standard its original was signed with is offered too, though retired or no longer marked since.
    input: z.object({ asOf: isoDate, amendsId: id.optional() }).strict(),
    access: 'technician',
    writes: false,
  }),
};
