import type { EquipmentStatus } from '../../../shared/domain/equipment';
import type { Spell, StatusPoint } from '../../../shared/repairs/downtime';
import { spellsOf } from '../../../shared/repairs/downtime';
import type { Core } from '../context';
import { query } from '../sql/query';
import type { StatusChangeRow } from '../sql/rows';

/**
 * Reading the status history for many devices at once, for the reports: one pass of
 * `status_changes_equipment` over the devices asked for, up to a moment.
 */
const changesOf = query<
  Pick<StatusChangeRow, 'equipment_id' | 'at' | 'from_status' | 'to_status' | 'reason'> & { work_order_number: number | null },
  { ids: string; until: string }
>(
  `SELECT s.equipment_id, s.at, s.from_status, s.to_status, s.reason, w.number AS work_order_number
   FROM json_each(@ids) j
   JOIN status_changes s INDEXED BY status_changes_equipment ON s.equipment_id = j.value AND s.at < @until
   LEFT JOIN work_orders w ON w.id = s.work_order_id
   ORDER BY s.equipment_id, s.at, s.id`,
);

/** Each device's status changes before `until` (an ISO instant), oldest first; devices with none are absent. */
export function statusPoints(core: Core, equipmentIds: readonly string[], until: string): Map<string, StatusPoint[]> {
  const out = new Map<string, StatusPoint[]>();
  if (equipmentIds.length === 0) return out;
  for (const r of changesOf.all(core, { ids: JSON.stringify([...new Set(equipmentIds)]), until })) {
    let list = out.get(r.equipment_id);
    if (!list) {
      list = [];
      out.set(r.equipment_id, list);
    }
    list.push({
      at: r.at,
      from: r.from_status,
      to: r.to_status,
      reason: r.reason,
      workOrderRef: r.work_order_number === null ? null : `WO-${String(r.work_order_number).padStart(4, '0')}`,
    });
  }
  return out;
}

const NOT_IN_SERVICE = new Set<EquipmentStatus>(['out_of_service', 'missing', 'retired']);

/**
 * The spells each device was not in service (out of service, missing or retired: rule 11 suspends
 * its plans) up to `until`: what the compliance report exempts occurrences by (issue 16).
 */
export function notInServiceSpells(core: Core, equipmentIds: readonly string[], until: string): Map<string, Spell[]> {
  const out = new Map<string, Spell[]>();
  for (const [id, points] of statusPoints(core, equipmentIds, until)) {
    const spells = spellsOf(points, NOT_IN_SERVICE);
    if (spells.length > 0) out.set(id, spells);
  }
  return out;
}
