import type { OutOfServiceRow } from '../../../shared/domain/work-order';
import { workOrderRef } from '../../../shared/domain/work-order';
import type { Core } from '../context';
import { placesOf } from '../due/service';
import { listLocations, subtreeIds } from '../locations/service';
import { query } from '../sql/query';
import type { EquipmentRow, WorkOrderRow } from '../sql/rows';
import { ageMinutes } from './views';

/**
 * The devices out of service, per ward, with their work order's state and age (issue 16): Today
 * and the printed due list show them, so a tagged-out device never vanishes from the ward's view.
 */
type Row = Pick<EquipmentRow, 'id' | 'asset_tag' | 'name' | 'location_id' | 'status_reason'> & {
  since: string | null;
  wo_id: string | null;
} & { [K in 'number' | 'state' | 'waiting_for' | 'reported_at']: WorkOrderRow[K] | null };

const outOfService = query<Row>(
  `SELECT e.id, e.asset_tag, e.name, e.location_id, e.status_reason,
     (SELECT max(s.at) FROM status_changes s INDEXED BY status_changes_equipment WHERE s.equipment_id = e.id AND s.to_status = 'out_of_service') AS since,
     w.id AS wo_id, w.number, w.state, w.waiting_for, w.reported_at
   FROM equipment e INDEXED BY equipment_out_of_service
   LEFT JOIN work_orders w ON w.equipment_id = e.id AND w.state NOT IN ('returned', 'retired')
   WHERE e.status = 'out_of_service'`,
);

/** Out-of-service devices in locations and everything inside them (null: everywhere), by ward, longest out first. */
export function outOfServiceList(core: Core, locationIds: string | readonly string[] | null): OutOfServiceRow[] {
  const all = listLocations(core);
  const places = placesOf(all);
  const roots = locationIds === null ? null : typeof locationIds === 'string' ? [locationIds] : locationIds;
  const inside = roots && roots.length > 0 ? new Set(roots.flatMap((id) => subtreeIds(all, id))) : null;
  const nowMs = core.clock.now().getTime();
  return outOfService
    .all(core)
    .filter((r) => !inside || inside.has(r.location_id))
    .map((r): OutOfServiceRow & { rank: number } => {
      const place = places.get(r.location_id);
      return {
        equipmentId: r.id,
        assetTag: r.asset_tag,
        name: r.name,
        wardId: place?.wardId ?? '',
        wardPath: place?.wardPath ?? '',
        room: place?.room ?? null,
        statusReason: r.status_reason,
        since: r.since,
        workOrder:
          r.wo_id && r.number !== null && r.state !== null && r.reported_at !== null
            ? { id: r.wo_id, ref: workOrderRef(r.number), state: r.state, waitingFor: r.waiting_for, ageMinutes: ageMinutes({ reported_at: r.reported_at, closed_at: null }, nowMs) }
            : null,
        rank: place?.rank ?? Number.MAX_SAFE_INTEGER,
      };
    })
    .sort((a, b) => a.wardPath.localeCompare(b.wardPath) || (a.since ?? '').localeCompare(b.since ?? '') || a.assetTag.localeCompare(b.assetTag))
    .map(({ rank: _rank, ...row }) => row);
}
