import { z } from 'zod';
import { id } from './common';
import type { PrintHeader } from './report';
import { DowntimeParams } from './report-downtime';
import type { DowntimeReport } from './report-downtime';
import type { WorkOrderRow, WorkOrderState } from './work-order';

/**
 * Failures over a period (issue 16): the work orders reported in it, counted by category, by model
 * and by failure and cause code, beside the number of devices of each, so a failure rate shows:
 * the evidence an alternative equipment maintenance programme rests on.
 *
 * Each work order is one of three kinds, and the three add up to the work orders:
 * - a failure: its repair named a failure code, and neither code is "No fault found";
 * - no fault found: its failure or cause code is named "No fault found" (listed, totalled apart,
 *   and left out of the rate: the device was not broken);
 * - not yet diagnosed: no repair logged yet, or its record corrected since to "not done" or a fail (logged on the wrong device), so no code (counted, not dropped; not in the rate).
 */

/** The same period and locations as the downtime report: local days, both included. */
export const FailuresParams = DowntimeParams;
export type FailuresParamsValue = z.output<typeof FailuresParams>;

/** The name of the code that marks a work order as no fault found (either list; case ignored). */
export const NO_FAULT_FOUND = 'No fault found';

export type FailureKind = 'failure' | 'no_fault_found' | 'not_diagnosed';

/** The counts of one category or model: devices in the period and its work orders by kind. */
export interface FailureCounts {
  /** Devices in the inventory at some time in the period, in the locations. */
  devices: number;
  workOrders: number;
  failures: number;
  noFaultFound: number;
  notDiagnosed: number;
}

export interface FailureGroup extends FailureCounts {
  /** The category's or model's name; null: none recorded. */
  name: string | null;
}

/** Work orders per failure (or cause) code; code null: not yet diagnosed. */
export interface CodeCount {
  codeId: string | null;
  label: string;
  /** Deleted from the list since: still named as it was. */
  deleted: boolean;
  workOrders: number;
}

export interface FailureWorkOrder {
  id: string;
  ref: string;
  equipmentId: string;
  assetTag: string;
  name: string;
  category: string | null;
  /** Manufacturer and model in one ("Baxter Sigma Spectrum"); null when neither is recorded. */
  model: string | null;
  location: string;
  reportedAt: string;
  state: WorkOrderState;
  problem: string;
  failureCode: { label: string; deleted: boolean } | null;
  causeCode: { label: string; deleted: boolean } | null;
  kind: FailureKind;
}

export interface FailuresReport {
  from: string;
  to: string;
  total: FailureCounts;
  /** Every category with a device in the period (no category: name null), most failures first. */
  byCategory: FailureGroup[];
  /** Every manufacturer and model with a device in the period, most failures first. */
  byModel: FailureGroup[];
  byFailureCode: CodeCount[];
  byCauseCode: CodeCount[];
  /** The work orders counted, oldest first. */
  workOrders: FailureWorkOrder[];
}

export interface FailuresDocument {
  view: 'failures';
  header: PrintHeader;
  report: FailuresReport;
}

export interface DowntimeDocument {
  view: 'downtime';
  header: PrintHeader;
  report: DowntimeReport;
  /** No equipment in the database at all: the paper says so, never "No device was out of service". */
  noEquipment: boolean;
}

/** The open work orders, by ward (wards in path order), oldest first within each. */
export interface OpenWorkOrdersDocument {
  view: 'open-work-orders';
  header: PrintHeader;
  rows: WorkOrderRow[];
  /** No equipment in the database at all: the paper says so, never "every reported fault is dealt with". */
  noEquipment: boolean;
}

/** Optionally of a location and everything in it (where the device is, or where the fault was reported). */
export const OpenWorkOrdersParams = z.object({ locationId: id.optional() }).strict();

/** The failures report's CSV files: the counts, or the work orders behind them. */
export const FAILURES_CSV_PARTS = ['summary', 'work_orders'] as const;
export type FailuresCsvPart = (typeof FAILURES_CSV_PARTS)[number];

export const FAILURE_KIND_LABELS: Record<FailureKind, string> = {
  failure: 'Failure',
  no_fault_found: 'No fault found',
  not_diagnosed: 'Not yet diagnosed',
};

/** Failures per device in the period, to two places ("0.25"); blank with no device. */
export function failureRate(c: Pick<FailureCounts, 'failures' | 'devices'>): string {
  return c.devices === 0 ? '' : (c.failures / c.devices).toFixed(2);
}

/** A code as printed: its label, "(deleted)" after one taken off the list since. */
export function codeLabel(c: { label: string; deleted: boolean } | null): string {
  if (!c) return FAILURE_KIND_LABELS.not_diagnosed;
  return c.deleted ? `${c.label} (deleted)` : c.label;
}

/** Whole days from a number of minutes (the age of a work order on paper). */
export const ageDays = (minutes: number): number => Math.floor(minutes / 1440);
