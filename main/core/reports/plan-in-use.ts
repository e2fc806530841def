import type { IsoDate } from '../../../shared/domain/common';
import type { CompliancePeriod } from '../../../shared/scheduling';
import { addDaysTo } from '../../../shared/scheduling';
import { localDate } from '../clock';
import type { Core } from '../context';
import { tuples } from '../sql/query';
import type { AuditRow } from '../sql/rows';

/**
 * The days a plan was out of use, for the compliance report: the plan row keeps only whether it is
 * in use now, so these come from the audit trail's entries of its switches, which the hub carries to
 * every PC: deactivatePlan's and reactivatePlan's (entity `plan`), and a supervisor's "Use the
 * other" on a conflict about whether it is in use (`resolve_conflict` of entity `plans`, the value
 * written back in its new value's `active`). A spell runs from the local day the plan was switched
 * off (on no due list from then) to the day before it was switched on again (on the lists again that
 * day): `until` is the day it was in use again.
 */
export interface OffSpell {
  from: IsoDate;
  until: IsoDate;
}

/** What the audit trail says of a plan's switches. */
export interface PlanSwitches {
  /** The spells it was out of use and then switched on again, in order. */
  spells: OffSpell[];
  /** The day of its last switch off not followed by a switch on (out of use since), or null. */
  offSince: IsoDate | null;
}

/**
 * The switches of the plans asked about, each plan's in the order they were made: two seeks of
 * `audit_log_entity` per plan (its `plan` entries and its `plans` conflict decisions), reading that
 * plan's entries only (a handful: its creation and changes). CROSS JOIN keeps the list outside:
 * SQLite would otherwise walk the entries of every plan (`entity = 'plan'`, 150,000 creations at
 * 50,000 devices), scanning the list for each. A decision is a switch only when it wrote `active`
 * back ("Use the other"; "Keep" changes nothing): off when it wrote 0, on when it wrote 1.
 */
export const SWITCHES_SQL = `SELECT j.key,
     CASE WHEN a.entity = 'plan' THEN a.action WHEN a.new_value ->> '$.active' = 0 THEN 'deactivate' ELSE 'reactivate' END,
     a.at
   FROM json_each(@plans) j
   CROSS JOIN audit_log a INDEXED BY audit_log_entity ON a.entity IN ('plan', 'plans') AND a.entity_id = j.value
   WHERE (a.entity = 'plan' AND a.action IN ('deactivate', 'reactivate'))
      OR (a.entity = 'plans' AND a.action = 'resolve_conflict' AND a.new_value ->> '$.active' IS NOT NULL)
   ORDER BY j.key, a.at, a.seq`;
const switchTuples = tuples<[planAt: number, action: AuditRow['action'], at: AuditRow['at']], { plans: string }>(SWITCHES_SQL);

/**
 * The plans a conflict decision switched on or off since an instant. "Use the other" writes the
 * value back without stamping the plan's `updated_at` on the PC it was decided on, so the report
 * cannot tell these from plans untouched since by the plan row: one range of `audit_log_entity`
 * (the conflict decisions about plans: a handful in a hospital's life, each listed on the Conflicts
 * screen), kept to those made since the instant.
 */
export const DECIDED_SQL = `SELECT DISTINCT a.entity_id
   FROM audit_log a INDEXED BY audit_log_entity
   WHERE a.entity = 'plans' AND a.action = 'resolve_conflict' AND a.at >= @since AND a.new_value ->> '$.active' IS NOT NULL`;
const decidedTuples = tuples<[planId: string], { since: string }>(DECIDED_SQL);

export function plansSwitchedByDecisionSince(core: Core, since: string): Set<string> {
  return new Set(decidedTuples.all(core, { since }).map(([id]) => id));
}

/**
 * Each plan's switches from the audit trail, by plan; a plan with no switch has no entry. A plan
 * switched off and on again on the same day lost no day: no spell. A switch on with no switch off
 * before it in the trail (none can be made) is passed over, as is a second switch off (one made
 * apart on another PC: the first one counts).
 */
export function planSwitches(core: Core, planIds: readonly string[]): Map<string, PlanSwitches> {
  const out = new Map<string, PlanSwitches>();
  if (planIds.length === 0) return out;
  let current: PlanSwitches | null = null;
  let currentAt = -1;
  for (const [planAt, action, at] of switchTuples.all(core, { plans: JSON.stringify(planIds) })) {
    if (planAt !== currentAt || current === null) {
      currentAt = planAt;
      current = { spells: [], offSince: null };
      out.set(planIds[planAt]!, current);
    }
    const day = localDate(new Date(at));
    if (action === 'deactivate') {
      current.offSince ??= day;
    } else if (current.offSince !== null) {
      if (current.offSince < day) current.spells.push({ from: current.offSince, until: day });
      current.offSince = null;
    }
  }
  return out;
}

/**
 * The parts of a period a plan was in use, in order: the period less its spells out of use. Each
 * part is judged as the period it is, as of its own last day, so a part that ends when the plan was
 * switched off is judged as the report judged the plan while it was off (its figures do not change
 * when the plan is brought back).
 */
export function inUseParts(period: CompliancePeriod, spells: readonly OffSpell[]): CompliancePeriod[] {
  const parts: CompliancePeriod[] = [];
  let from = period.from;
  for (const spell of spells) {
    if (spell.from > period.to) break;
    if (spell.until <= from) continue;
    if (spell.from > from) parts.push({ from, to: addDaysTo(spell.from, -1) });
    from = spell.until;
  }
  if (from <= period.to) parts.push({ from, to: period.to });
  return parts;
}
