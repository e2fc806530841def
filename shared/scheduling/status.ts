import type { IsoDate } from '../domain/common';
import { daysBetween } from './dates';

export { daysBetween } from './dates';

export const PLAN_STATUSES = ['overdue', 'due', 'scheduled', 'suspended'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

export interface StatusInput {
  nextDue: IsoDate;
  windowDays: number;
  graceDays: number;
}

/**
 * Rules 10–11 on day `today`. `daysOverdue` counts from the due date itself (grace included) and
 * is 0 unless overdue. A target not in service suspends the plan: never due, never overdue.
 */
export function planStatus(plan: StatusInput, today: IsoDate, targetInService: boolean): { status: PlanStatus; daysOverdue: number } {
  if (!targetInService) return { status: 'suspended', daysOverdue: 0 };
  const past = daysBetween(plan.nextDue, today);
  if (past > plan.graceDays) return { status: 'overdue', daysOverdue: past };
  if (past >= -plan.windowDays) return { status: 'due', daysOverdue: 0 };
  return { status: 'scheduled', daysOverdue: 0 };
}
