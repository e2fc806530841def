import type { IsoDate } from '../../../shared/domain/common';
import type { CompliancePeriod } from '../../../shared/scheduling';
import { addDaysTo } from '../../../shared/scheduling';
import { localDate } from '../clock';
import type { Core } from '../context';
import { tuples } from '../sql/query';
import type { AuditRow } from '../sql/rows';

/**
 * The days a plan brought back ("Bring back…") was out of use, for the compliance report: the plan
 * row keeps only whether it is in use now, so these come from the audit trail's entries of its
 * switches (deactivatePlan and reactivatePlan write one each, and the hub carries them to every PC).
 * A spell runs from the local day the plan was switched off (on no due list from then) to the day
 * before it was brought back (on the lists again that day): `until` is the day it was in use again.
 */
export interface OffSpell {
  from: IsoDate;
  until: IsoDate;
}

/**
 * The switches of the plans asked about, each plan's in the order they were made: one seek of
 * `audit_log_entity` per plan, reading that plan's entries only (a handful: its creation and
 * changes). CROSS JOIN keeps the list outside: SQLite would otherwise walk the entries of every
 * plan (`entity = 'plan'`, 150,000 creations at 50,000 devices), scanning the list for each.
 */
export const SWITCHES_SQL = `SELECT j.key, a.action, a.at
   FROM json_each(@plans) j
   CROSS JOIN audit_log a INDEXED BY audit_log_entity ON a.entity = 'plan' AND a.entity_id = j.value
   WHERE a.action IN ('deactivate', 'reactivate')
   ORDER BY j.key, a.at, a.seq`;
const switchTuples = tuples<[planAt: number, action: AuditRow['action'], at: AuditRow['at']], { plans: string }>(SWITCHES_SQL);

/**
 * The spells each plan was out of use and then brought back, by plan; a plan never brought back has
 * none (its last switch off, if it is off now, is the report's lastCountedDay). A plan switched off
 * and brought back on the same day lost no day: no spell. A reactivation with no switch off before
 * it in the trail (none can be made) is passed over.
 */
export function offSpells(core: Core, planIds: readonly string[]): Map<string, OffSpell[]> {
  const out = new Map<string, OffSpell[]>();
  if (planIds.length === 0) return out;
  let current = -1;
  let offSince: IsoDate | null = null;
  for (const [planAt, action, at] of switchTuples.all(core, { plans: JSON.stringify(planIds) })) {
    if (planAt !== current) {
      current = planAt;
      offSince = null;
    }
    const day = localDate(new Date(at));
    if (action === 'deactivate') {
      offSince ??= day;
    } else if (offSince !== null) {
      if (offSince < day) {
        const id = planIds[planAt]!;
        const list = out.get(id) ?? [];
        list.push({ from: offSince, until: day });
        out.set(id, list);
      }
      offSince = null;
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
