import { z } from 'zod';
import { id } from '../domain/common';
import type { EquipmentPlans, PlanView } from '../domain/plan';
import { PlanFields, PlanUpdate } from '../domain/plan';
import { channel } from './channel';

/** The person confirmed a start date shared/plausible-dates.ts asks about (a year typed 2062 for 2026). */
const CONFIRM_DATES = { confirmDates: z.boolean().optional() };

/** A device's (or stock location's) plans: what is done, how often, and when it is next due. */
export const planChannels = {
  /** A device's plans (active and not) with their status today. */
  'plans.list': channel<EquipmentPlans>()({
    input: z.object({ equipmentId: id }).strict(),
    access: 'ward_staff',
    writes: false,
  }),
  'plans.create': channel<PlanView>()({ input: PlanFields.extend(CONFIRM_DATES).strict(), access: 'supervisor', writes: true }),
  /** Changes the rule; the next due date is recomputed from the history in the same transaction. */
  'plans.update': channel<PlanView>()({ input: PlanUpdate.extend(CONFIRM_DATES).strict(), access: 'supervisor', writes: true }),
  /** Plans are never deleted: a deactivated plan keeps its history and leaves every due list. */
  'plans.deactivate': channel<PlanView>()({
    input: z.object({ id }).strict(),
    access: 'supervisor',
    writes: true,
  }),
  /**
   * Brings a plan taken out of use back, with its history: next due from its own records. Refused
   * while another plan of the task is in use on the device.
   */
  'plans.reactivate': channel<PlanView>()({
    input: z.object({ id }).strict(),
    access: 'supervisor',
    writes: true,
  }),
  /** Each listed device's most urgent plan (devices with no active plan are left out). */
};
