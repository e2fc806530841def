import type { OutOfServiceRow } from '../../../shared/domain/work-order';
import { workOrderRef } from '../../../shared/domain/work-order';
import type { Core } from '../context';
import { locationsAndPlaces } from '../due/service';
import { subtreeIds } from '../locations/service';
import { query, tuples } from '../sql/query';
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

/** When the device last went out of service (its newest status change to it). */
const SINCE = `(SELECT max(s.at) FROM status_changes s INDEXED BY status_changes_equipment WHERE s.equipment_id = e.id AND s.to_status = 'out_of_service')`;

/** Every device out of service, with only what orders the list: where, since when, its tag; from `equipment_out_of_service` alone (migration 0014). The benchmark times it as a floor. */
export const OUT_OF_SERVICE_ORDER_SQL = `SELECT e.rowid, e.location_id, e.asset_tag, ${SINCE}
   FROM equipment e INDEXED BY equipment_out_of_service
   WHERE e.status = 'out_of_service'`;
const ordering = tuples<[number, EquipmentRow['location_id'], EquipmentRow['asset_tag'], string | null]>(OUT_OF_SERVICE_ORDER_SQL);

/** The devices shown (`@rowids`, a JSON array), whole, with their open work order. */
const shownRows = query<Row & { rowid: number }, { rowids: string }>(
  `SELECT e.rowid, e.id, e.asset_tag, e.name, e.location_id, e.status_reason, ${SINCE} AS since,
     w.id AS wo_id, w.number, w.state, w.waiting_for, w.reported_at
   FROM json_each(@rowids) j CROSS JOIN equipment e
   LEFT JOIN work_orders w ON w.equipment_id = e.id AND w.state NOT IN ('returned', 'retired')
   WHERE e.rowid = j.value AND e.status = 'out_of_service'`,
);

/**
 * Out-of-service devices in locations and everything inside them (null: everywhere), by ward,
 * longest out first: the first `limit` (all if absent) and how many there are. Only what orders the
 * list is read for every device (issue 17: Today shows 100 of a hospital's hundreds); the devices
 * shown are read whole.
 */
export function outOfServicePage(
  core: Core,
  locationIds: string | readonly string[] | null,
  limit = Number.POSITIVE_INFINITY,
): { rows: OutOfServiceRow[]; total: number } {
  const { all, places } = locationsAndPlaces(core);
  const roots = locationIds === null ? null : typeof locationIds === 'string' ? [locationIds] : locationIds;
  const inside = roots && roots.length > 0 ? new Set(roots.flatMap((id) => subtreeIds(all, id))) : null;
  const collator = new Intl.Collator();
  // By ward: its place in path order (places' rank; a device nowhere known first, as its empty path
  // sorts), so the sort compares numbers, and tags only on a tie.
  const wardRank = (location: string) => {
    const place = places.get(location);
    return place ? places.get(place.wardId)!.rank : -1;
  };
  const order = ordering
    .all(core)
    .filter(([, location]) => !inside || inside.has(location))
    .map(([rowid, location, tag, since]) => ({ rowid, ward: wardRank(location), tag, since: since ?? '' }))
    .sort((a, b) => a.ward - b.ward || (a.since < b.since ? -1 : a.since > b.since ? 1 : 0) || collator.compare(a.tag, b.tag));
  const shown = order.slice(0, limit);
  const byRowid = new Map(shownRows.all(core, { rowids: JSON.stringify(shown.map((r) => r.rowid)) }).map((r) => [r.rowid, r]));
  const nowMs = core.clock.now().getTime();
  const rows: OutOfServiceRow[] = [];
  for (const { rowid } of shown) {
    const r = byRowid.get(rowid);
    // Back in service between the two reads (another connection's commit): no longer shown.
    if (!r) continue;
    const place = places.get(r.location_id);
    rows.push({
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
    });
  }
  return { rows, total: order.length };
}

/** Every out-of-service device in locations and everything inside them (null: everywhere), by ward, longest out first. */
export function outOfServiceList(core: Core, locationIds: string | readonly string[] | null): OutOfServiceRow[] {
  return outOfServicePage(core, locationIds).rows;
}
