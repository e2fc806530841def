import type { EquipmentExport, EquipmentFilterValue } from '../../../shared/contract/equipment';
import type { EquipmentFileField } from '../../../shared/domain/equipment';
import { EQUIPMENT_FILE_FIELDS } from '../../../shared/domain/equipment';
import { localDate } from '../clock';
import type { Core } from '../context';
import { writeCsv } from '../csv/write';
import { searchEquipment } from './search';
import { locationPathMap } from '../locations/service';
import { query } from '../sql/query';
import type { EquipmentRow } from '../sql/rows';

export type ExportRecord = Record<EquipmentFileField, string | null>;

/** The devices named, in the order given (a JSON array of ids), with their category's name. */
const inOrder = query<EquipmentRow & { category_name: string | null }, { ids: string }>(
  `SELECT e.*, c.name AS category_name FROM json_each(@ids) AS wanted
   JOIN equipment e ON e.id = wanted.value
   LEFT JOIN categories c ON c.id = e.category_id
   ORDER BY wanted.key`,
);

/**
 * The inventory (all of it, or what the list's filter shows, in its order) as records keyed by
 * the file field names of docs/cli.md: what `import equipment` reads back unchanged.
 */
export function exportRecords(core: Core, filter: EquipmentFilterValue = {}): ExportRecord[] {
  const ids = searchEquipment(core, filter, { offset: 0, limit: 1_000_000_000 }).rows.map((r) => r.id);
  const paths = locationPathMap(core);
  const rows = inOrder.all(core, { ids: JSON.stringify(ids) });
  return rows.map((r) => ({
    asset_tag: r.asset_tag,
    name: r.name,
    location: paths.get(r.location_id) ?? null,
    category: r.category_name,
    manufacturer: r.manufacturer,
    model: r.model,
    serial: r.serial,
    risk: r.risk,
    ownership: r.ownership,
    status: r.status,
    acquired_on: r.acquired_on,
    in_service_on: r.in_service_on,
    warranty_until: r.warranty_until,
    reference_standard: r.reference_standard === 1 ? 'yes' : 'no',
    notes: r.notes,
  }));
}

export function exportEquipment(core: Core, format: 'csv' | 'json', filter: EquipmentFilterValue = {}): EquipmentExport {
  const records = exportRecords(core, filter);
  const content =
    format === 'csv'
      ? writeCsv(
          EQUIPMENT_FILE_FIELDS,
          records.map((r) => EQUIPMENT_FILE_FIELDS.map((f) => r[f])),
        )
      : JSON.stringify(records, null, 2) + '\n';
  return { fileName: `wardkeep-equipment-${localDate(core.clock.now())}.${format}`, content, count: records.length };
}
