import { OUTCOME_LABELS } from '../../../shared/domain/plan';
import type { Outcome } from '../../../shared/scheduling/next-due';

const CLASS: Record<Outcome, string> = {
  pass: 'pass',
  pass_adjusted: 'pass',
  fail: 'fail',
  not_done_in_use: 'not-done',
  not_done_not_located: 'not-done',
  not_done_other: 'not-done',
};

export function OutcomeBadge({ outcome }: { outcome: Outcome }) {
  return <span className={`outcome ${CLASS[outcome]}`}>{OUTCOME_LABELS[outcome]}</span>;
}
