import type { ExportFile } from '../../../shared/domain/report';
import type { DowntimeDevice, DowntimeParamsValue, DowntimeReport } from '../../../shared/domain/report-downtime';
import { writeCsv } from '../csv/write';
import { downtimeIn, periodBounds } from '../../../shared/repairs/downtime';
import type { DowntimeDocument } from '../../../shared/domain/report-failures';
import type { Actor, Core } from '../context';
import { printHeader } from '../print/jobs';
import { periodFilter } from './failures';
import { listLocations, locationPathMap, subtreeIds } from '../locations/service';
import { query } from '../sql/query';
import type { EquipmentRow } from '../sql/rows';
import { statusPoints } from '../status/spells';
import { locationsPart, scopedName } from './file-names';

/**
 * Downtime per device and per category over a period (issue 16), from the status history: every
 * spell out of service that touches the period, its minutes clipped to it, to the minute. The
 * spells are worked out from the whole history up to now, so a spell that ended after the period
 * shows when it ended; only one still open now lasts "to now". Only devices that ever changed
 * status are read.
 */
const everChanged = query<Pick<EquipmentRow, 'id' | 'asset_tag' | 'name' | 'model' | 'location_id' | 'status'> & { category: string | null }>(
  `SELECT e.id, e.asset_tag, e.name, e.model, e.location_id, e.status, c.name AS category
   FROM equipment e LEFT JOIN categories c ON c.id = e.category_id
   WHERE e.id IN (SELECT DISTINCT equipment_id FROM status_changes)`,
);

export function downtimeReport(core: Core, params: DowntimeParamsValue): DowntimeReport {
  const period = periodBounds(params.from, params.to);
  const now = core.clock.now().getTime();
  const all = listLocations(core);
  const inside = params.locationIds && params.locationIds.length > 0 ? new Set(params.locationIds.flatMap((l) => subtreeIds(all, l))) : null;
  const paths = locationPathMap(core);
  const devices = everChanged.all(core).filter((d) => !inside || inside.has(d.location_id));
  const points = statusPoints(
    core,
    devices.map((d) => d.id),
    new Date(now + 1).toISOString(),
  );
  const rows: DowntimeDevice[] = [];
  for (const d of devices) {
    const spent = downtimeIn(points.get(d.id) ?? [], period, now, d.status);
    if (spent.spells.length === 0) continue;
    rows.push({
      equipmentId: d.id,
      assetTag: d.asset_tag,
      name: d.name,
      category: d.category,
      model: d.model,
      location: paths.get(d.location_id) ?? '',
      minutes: spent.minutes,
      spells: spent.spells.map((s) => ({
        start: new Date(Number.isFinite(s.start) ? s.start : period.start).toISOString(),
        end: s.end === null ? null : new Date(s.end).toISOString(),
        minutes: s.minutes,
        reason: s.reason,
        workOrderRef: s.workOrderRef,
      })),
    });
  }
  rows.sort((a, b) => b.minutes - a.minutes || a.assetTag.localeCompare(b.assetTag));
  const byCategory = new Map<string | null, { category: string | null; devices: number; minutes: number }>();
  for (const r of rows) {
    const c = byCategory.get(r.category) ?? { category: r.category, devices: 0, minutes: 0 };
    c.devices += 1;
    c.minutes += r.minutes;
    byCategory.set(r.category, c);
  }
  return { from: params.from, to: params.to, devices: rows, categories: [...byCategory.values()].sort((a, b) => b.minutes - a.minutes) };
}

/** The CSV columns of the downtime report, one row per device: published with `wardkeep report downtime` (docs/cli.md). */
export const DOWNTIME_FIELDS = ['asset_tag', 'name', 'category', 'model', 'location', 'minutes', 'spells', 'equipment_id'] as const;

export function downtimeCsvRows(report: DowntimeReport): (string | null)[][] {
  return report.devices.map((d) => [d.assetTag, d.name, d.category, d.model, d.location, String(d.minutes), String(d.spells.length), d.equipmentId]);
}

/** The file name of the report (CSV or PDF): its period, and the locations it was limited to. */
const downtimeFileName = (core: Core, params: DowntimeParamsValue) =>
  scopedName(`downtime-${params.from}-to-${params.to}`, locationsPart(core, params.locationIds));

export function downtimeCsv(core: Core, params: DowntimeParamsValue): ExportFile {
  const report = downtimeReport(core, params);
  return { fileName: `${downtimeFileName(core, params)}.csv`, content: writeCsv(DOWNTIME_FIELDS, downtimeCsvRows(report)), mimeType: 'text/csv;charset=utf-8' };
}

const anyDevice = query<{ any: number }>('SELECT EXISTS (SELECT 1 FROM equipment) AS any');
/** No equipment at all: an empty report is then no all-clear (the downtime and open work orders printouts, the CLI). */
export const noEquipment = (core: Core): boolean => anyDevice.get(core)?.any !== 1;

/** The downtime report on paper: the same report under a printed head. */
export function downtimeDocument(core: Core, actor: Actor, params: DowntimeParamsValue): DowntimeDocument {
  return {
    view: 'downtime',
    header: printHeader(core, actor, { title: 'Downtime report', filter: periodFilter(core, params), fileName: downtimeFileName(core, params) }),
    report: downtimeReport(core, params),
    noEquipment: noEquipment(core),
  };
}
