import type { EquipmentStatus } from '../domain/equipment';
import { advances, inPerformedOrder, type CompletionFact, type Outcome } from './next-due';

/**
 * Rule 12: task types whose `fail` tags the equipment out ("do not use"). A lookup table, not a
 * switch, because task types are an open list.
 */
export const TAG_OUT_TASK_TYPES: ReadonlySet<string> = new Set(['calibration', 'electrical_safety']);

export function tagsOut(taskType: string, outcome: Outcome): boolean {
  return outcome === 'fail' && TAG_OUT_TASK_TYPES.has(taskType);
}

/** Rule 11: only equipment in service has live plans; out of service, retired and missing suspend them. */
export function isInService(status: EquipmentStatus): boolean {
  return status === 'in_service';
}

/**
 * A piece of equipment's service status and, when it is out of service because it was tagged out
 * (rule 12), the plans whose failures hold it there. `taggedOutBy` is empty for any status a person
 * set: only a tagged-out device returns to service by itself.
 */
export interface ServiceState {
  status: EquipmentStatus;
  taggedOutBy: readonly string[];
}

export interface ServiceEvent {
  planId: string;
  taskType: string;
  outcome: Outcome;
}

/**
 * Rule 12, one completion at a time. A tag-out fail takes in-service equipment out of service;
 * while it is tagged out, further tag-out fails (of any plan) also hold it. A later advancing
 * completion of a holding plan releases that plan; with none left it returns to service. A status a
 * person set stands whatever is logged.
 */
export function applyToService(state: ServiceState, event: ServiceEvent): ServiceState {
  if (tagsOut(event.taskType, event.outcome)) {
    if (state.status === 'in_service') return { status: 'out_of_service', taggedOutBy: [event.planId] };
    if (state.taggedOutBy.length > 0 && !state.taggedOutBy.includes(event.planId)) {
      return { status: state.status, taggedOutBy: [...state.taggedOutBy, event.planId] };
    }
    return state;
  }
  if (advances(event.outcome) && state.taggedOutBy.includes(event.planId)) {
    const taggedOutBy = state.taggedOutBy.filter((planId) => planId !== event.planId);
    return { status: taggedOutBy.length === 0 ? 'in_service' : state.status, taggedOutBy };
  }
  return state;
}

/** Rule 12 with rule 8's order: the state after a run of completions (any order given). */
export function serviceAfter(state: ServiceState, events: readonly (ServiceEvent & CompletionFact)[]): ServiceState {
  return inPerformedOrder(events).reduce(applyToService, state);
}

/** A person sets the status (repair, retired, missing, back in service): it replaces any tag-out. */
export function setStatusByPerson(status: EquipmentStatus): ServiceState {
  return { status, taggedOutBy: [] };
}
