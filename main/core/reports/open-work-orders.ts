import type { ExportFile } from '../../../shared/domain/report';
import { headerLine } from '../../../shared/domain/report';
import type { OpenWorkOrdersDocument } from '../../../shared/domain/report-failures';
import type { WorkOrderRow } from '../../../shared/domain/work-order';
import { writeCsv } from '../csv/write';
import { noEquipment } from './downtime';
import { localDay } from '../../../shared/date-format';
import type { Actor, Core } from '../context';
import { placesOf } from '../due/service';
import { listLocations } from '../locations/service';
import { printHeader } from '../print/jobs';
import { listWorkOrders } from '../repairs/views';
import { locationsPart, scopedName } from './file-names';

/**
 * The open work orders on paper (issue 16): by ward, the wards in the order of the location tree,
 * and oldest first within each, with their age in days, state and who has them.
 */
export function openWorkOrdersDocument(core: Core, actor: Actor, params: { locationId?: string | undefined }): OpenWorkOrdersDocument {
  const all = listLocations(core);
  const places = placesOf(all);
  const rank = (wardId: string) => places.get(wardId)?.rank ?? Number.MAX_SAFE_INTEGER;
  const rows = listWorkOrders(core, { status: 'open', locationId: params.locationId }).sort(
    (a, b) =>
      rank(a.wardId) - rank(b.wardId) ||
      a.wardPath.localeCompare(b.wardPath) ||
      a.reportedAt.localeCompare(b.reportedAt) ||
      a.number - b.number,
  );
  const where = params.locationId ? all.find((l) => l.id === params.locationId)?.path : undefined;
  return {
    view: 'open-work-orders',
    header: printHeader(core, actor, {
      title: 'Open work orders',
      filter: [
        params.locationId
          ? headerLine`Location: ${where ?? 'a location that no longer exists'} (where the device is, or where the fault was reported)`
          : headerLine`Locations: all`,
        headerLine`Open work orders: ${rows.length}`,
      ],
      fileName: scopedName(
        `open-work-orders-${localDay(core.clock.now())}`,
        locationsPart(core, params.locationId ? [params.locationId] : undefined),
      ),
    }),
    rows,
    noEquipment: noEquipment(core),
  };
}

/** The JSON keys and CSV columns of `wardkeep repairs` and of the Repairs screen's CSV: a published interface (docs/cli.md). Add, never rename. */
export const REPAIRS_FIELDS = [
  'work_order',
  'asset_tag',
  'name',
  'location',
  'ward',
  'state',
  'waiting_for',
  'problem',
  'reported_at',
  'reported_by',
  'assigned_to',
  'closed_at',
  'age_minutes',
  'work_order_id',
  'equipment_id',
] as const;

export function workOrderRecord(r: WorkOrderRow): Record<(typeof REPAIRS_FIELDS)[number], string | number | null> {
  return {
    work_order: r.ref,
    asset_tag: r.assetTag,
    name: r.name,
    location: r.locationPath,
    ward: r.wardPath,
    state: r.state,
    waiting_for: r.waitingFor,
    problem: r.problem,
    reported_at: r.reportedAt,
    reported_by: r.reportedByName,
    assigned_to: r.assignedName,
    closed_at: r.closedAt,
    age_minutes: r.ageMinutes,
    work_order_id: r.id,
    equipment_id: r.equipmentId,
  };
}

export function workOrderCsvRows(rows: readonly WorkOrderRow[]): (string | null)[][] {
  return rows.map((r) => {
    const record = workOrderRecord(r);
    return REPAIRS_FIELDS.map((k) => (record[k] === null ? null : String(record[k])));
  });
}

/** The open work orders as CSV, in the order of the printout (by ward, oldest first). */
export function openWorkOrdersCsv(core: Core, actor: Actor, params: { locationId?: string | undefined }): ExportFile {
  const document = openWorkOrdersDocument(core, actor, params);
  return {
    fileName: `${document.header.fileName}.csv`,
    content: writeCsv(REPAIRS_FIELDS, workOrderCsvRows(document.rows)),
    mimeType: 'text/csv;charset=utf-8',
  };
}
