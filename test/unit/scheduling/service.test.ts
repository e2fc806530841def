import { describe, expect, it } from 'vitest';
import { EQUIPMENT_STATUSES } from '../../../shared/domain/equipment';
import {
  OUTCOMES,
  TAG_OUT_TASK_TYPES,
  applyToService,
  isInService,
  serviceAfter,
  setStatusByPerson,
  tagsOut,
  type ServiceState,
} from '../../../shared/scheduling';
import { done } from './helpers';

const inService: ServiceState = { status: 'in_service', taggedOutBy: [] };

describe('rule 11: which equipment statuses keep plans live', () => {
  it.each(EQUIPMENT_STATUSES.map((s) => [s, s === 'in_service']))('%s → in service: %s', (status, expected) => {
    expect(isInService(status)).toBe(expected);
  });
});

describe('rule 12: a failed calibration or electrical safety test tags the equipment out', () => {
  it.each(
    ['cleaning', 'calibration', 'inspection', 'electrical_safety', 'stock_check', 'some_future_type'].flatMap((taskType) =>
      OUTCOMES.map(
        (outcome) => [taskType, outcome, outcome === 'fail' && (taskType === 'calibration' || taskType === 'electrical_safety')] as const,
      ),
    ),
  )('%s %s tags out: %s', (taskType, outcome, expected) => {
    expect(tagsOut(taskType, outcome)).toBe(expected);
  });

  it('keeps the task types in a lookup table', () => {
    expect([...TAG_OUT_TASK_TYPES].sort()).toEqual(['calibration', 'electrical_safety']);
  });

  it('takes in-service equipment out of service until a later advancing completion of that plan', () => {
    const out = applyToService(inService, { planId: 'cal', taskType: 'calibration', outcome: 'fail' });
    expect(out).toEqual({ status: 'out_of_service', taggedOutBy: ['cal'] });
    expect(applyToService(out, { planId: 'clean', taskType: 'cleaning', outcome: 'pass' })).toEqual(out);
    expect(applyToService(out, { planId: 'other-cal', taskType: 'calibration', outcome: 'pass' })).toEqual(out);
    expect(applyToService(out, { planId: 'cal', taskType: 'calibration', outcome: 'fail' })).toEqual(out);
    expect(applyToService(out, { planId: 'cal', taskType: 'calibration', outcome: 'not_done_other' })).toEqual(out);
    expect(applyToService(out, { planId: 'cal', taskType: 'calibration', outcome: 'pass_adjusted' })).toEqual(inService);
    expect(applyToService(out, { planId: 'cal', taskType: 'calibration', outcome: 'pass' })).toEqual(inService);
  });

  it('other failures and outcomes leave in-service equipment in service', () => {
    for (const outcome of OUTCOMES) {
      expect(applyToService(inService, { planId: 'clean', taskType: 'cleaning', outcome })).toEqual(inService);
      if (outcome !== 'fail')
        expect(applyToService(inService, { planId: 'es', taskType: 'electrical_safety', outcome })).toEqual(inService);
    }
  });

  it('stays out until every plan that tagged it out has passed again', () => {
    let state = applyToService(inService, { planId: 'cal', taskType: 'calibration', outcome: 'fail' });
    state = applyToService(state, { planId: 'es', taskType: 'electrical_safety', outcome: 'fail' });
    expect(state).toEqual({ status: 'out_of_service', taggedOutBy: ['cal', 'es'] });
    state = applyToService(state, { planId: 'cal', taskType: 'calibration', outcome: 'pass' });
    expect(state).toEqual({ status: 'out_of_service', taggedOutBy: ['es'] });
    state = applyToService(state, { planId: 'es', taskType: 'electrical_safety', outcome: 'pass' });
    expect(state).toEqual(inService);
  });

  it.each(['out_of_service', 'retired', 'missing'] as const)('a status a person set (%s) stands whatever is logged', (status) => {
    const person = setStatusByPerson(status);
    for (const outcome of OUTCOMES) {
      expect(applyToService(person, { planId: 'cal', taskType: 'calibration', outcome })).toEqual(person);
    }
  });

  it('a person’s change replaces a tag-out', () => {
    expect(setStatusByPerson('in_service')).toEqual(inService);
    const repaired = setStatusByPerson('out_of_service');
    expect(applyToService(repaired, { planId: 'cal', taskType: 'calibration', outcome: 'pass' })).toEqual(repaired);
  });

  it('replays completions in performed order (rule 8)', () => {
    const pass = { ...done('2026-03-01', 'pass'), planId: 'cal', taskType: 'calibration' };
    const fail = { ...done('2026-03-02', 'fail'), planId: 'cal', taskType: 'calibration' };
    expect(serviceAfter(inService, [pass, fail])).toEqual({ status: 'out_of_service', taggedOutBy: ['cal'] });
    expect(serviceAfter(inService, [fail, pass])).toEqual({ status: 'out_of_service', taggedOutBy: ['cal'] });
    const repass = { ...done('2026-03-03', 'pass'), planId: 'cal', taskType: 'calibration' };
    expect(serviceAfter(inService, [repass, pass, fail])).toEqual(inService);
  });
});
