import type { ExportFile, HeaderLine } from '../../../shared/domain/report';
import { headerDay, headerLine } from '../../../shared/domain/report';
import type {
  CodeCount,
  FailureCounts,
  FailureGroup,
  FailureKind,
  FailuresCsvPart,
  FailuresDocument,
  FailuresParamsValue,
  FailuresReport,
  FailureWorkOrder,
} from '../../../shared/domain/report-failures';
import { FAILURE_KIND_LABELS, failureRate, NO_FAULT_FOUND } from '../../../shared/domain/report-failures';
import { workOrderRef } from '../../../shared/domain/work-order';
import { nameKey } from '../../../shared/domain/common';
import { periodBounds } from '../../../shared/repairs/downtime';
import type { Actor, Core } from '../context';
import { writeCsv } from '../csv/write';
import { listLocations, subtreeIds } from '../locations/service';
import { printHeader } from '../print/jobs';
import { repairStands } from '../repairs/views';
import { query } from '../sql/query';
import type { RepairCodeRow, WorkOrderRow } from '../sql/rows';
import { locationsPart, scopedName } from './file-names';

/**
 * Failures over a period (issue 16; shared/domain/report-failures.ts says what counts as what): the
 * work orders reported in the period's local days, on devices now in the locations, counted by
 * category, by manufacturer and model, and by failure and cause code; beside them, the devices of
 * each category and model that were in the inventory at some time in the period.
 */

type Device = {
  id: string;
  asset_tag: string;
  name: string;
  location_id: string;
  category: string | null;
  manufacturer: string | null;
  model: string | null;
};

/**
 * Devices in the inventory at some time in [start, end): in service (or added) before the end, and
 * not retired before the start. A device retired with no recorded change is taken as retired before.
 */
const devicesInPeriod = query<Device, { startIso: string; endIso: string; toDay: string }>(
  `SELECT e.id, e.asset_tag, e.name, e.location_id, c.name AS category, e.manufacturer, e.model
   FROM equipment e LEFT JOIN categories c ON c.id = e.category_id
   WHERE (CASE WHEN e.in_service_on IS NOT NULL THEN e.in_service_on <= @toDay ELSE e.created_at < @endIso END)
     AND (e.status <> 'retired'
          OR (SELECT max(s.at) FROM status_changes s WHERE s.equipment_id = e.id AND s.to_status = 'retired') >= @startIso)`,
);

type Reported = Pick<
  WorkOrderRow,
  'id' | 'number' | 'equipment_id' | 'reported_at' | 'state' | 'problem' | 'failure_code_id' | 'cause_code_id' | 'repair_completion_id'
> &
  Omit<Device, 'id'>;

const reportedIn = query<Reported, { startIso: string; endIso: string }>(
  `SELECT w.id, w.number, w.equipment_id, w.reported_at, w.state, w.problem, w.failure_code_id, w.cause_code_id, w.repair_completion_id,
     e.asset_tag, e.name, e.location_id, c.name AS category, e.manufacturer, e.model
   FROM work_orders w JOIN equipment e ON e.id = w.equipment_id LEFT JOIN categories c ON c.id = e.category_id
   WHERE w.reported_at >= @startIso AND w.reported_at < @endIso
   ORDER BY w.reported_at, w.number`,
);

const allCodes = query<RepairCodeRow>('SELECT * FROM repair_codes ORDER BY kind, sort_order, label_key');

/** "Baxter Sigma Spectrum": manufacturer and model in one; null when neither is recorded. */
export function modelName(d: { manufacturer: string | null; model: string | null }): string | null {
  const parts = [d.manufacturer, d.model].map((s) => s?.trim() ?? '').filter((s) => s.length > 0);
  return parts.length > 0 ? parts.join(' ') : null;
}

const noCounts = (): FailureCounts => ({ devices: 0, workOrders: 0, failures: 0, noFaultFound: 0, notDiagnosed: 0 });

function addKind(c: FailureCounts, kind: FailureKind): void {
  c.workOrders += 1;
  if (kind === 'failure') c.failures += 1;
  else if (kind === 'no_fault_found') c.noFaultFound += 1;
  else c.notDiagnosed += 1;
}

/** Most failures first, then most work orders, then by name (none last). */
function ranked(groups: Map<string | null, FailureGroup>): FailureGroup[] {
  return [...groups.values()].sort(
    (a, b) =>
      b.failures - a.failures ||
      b.workOrders - a.workOrders ||
      (a.name === null ? 1 : 0) - (b.name === null ? 1 : 0) ||
      (a.name ?? '').localeCompare(b.name ?? ''),
  );
}

export function failuresReport(core: Core, params: FailuresParamsValue): FailuresReport {
  const period = periodBounds(params.from, params.to);
  const startIso = new Date(period.start).toISOString();
  const endIso = new Date(period.end).toISOString();
  const all = listLocations(core);
  const paths = new Map(all.map((l) => [l.id, l.path]));
  const inside =
    params.locationIds && params.locationIds.length > 0 ? new Set(params.locationIds.flatMap((l) => subtreeIds(all, l))) : null;
  const within = (locationId: string) => !inside || inside.has(locationId);
  const codes = new Map(allCodes.all(core).map((c) => [c.id, c]));
  const nff = nameKey(NO_FAULT_FOUND);

  const byCategory = new Map<string | null, FailureGroup>();
  const byModel = new Map<string | null, FailureGroup>();
  const group = (map: Map<string | null, FailureGroup>, name: string | null) => {
    let g = map.get(name);
    if (!g) {
      g = { name, ...noCounts() };
      map.set(name, g);
    }
    return g;
  };
  const total = noCounts();
  for (const d of devicesInPeriod.all(core, { startIso, endIso, toDay: params.to })) {
    if (!within(d.location_id)) continue;
    total.devices += 1;
    group(byCategory, d.category).devices += 1;
    group(byModel, modelName(d)).devices += 1;
  }

  const failureCodes = new Map<string | null, CodeCount>();
  const causeCodes = new Map<string | null, CodeCount>();
  const countCode = (map: Map<string | null, CodeCount>, row: RepairCodeRow | undefined) => {
    const key = row?.id ?? null;
    const c = map.get(key) ?? {
      codeId: key,
      label: row?.label ?? FAILURE_KIND_LABELS.not_diagnosed,
      deleted: row ? row.active !== 1 : false,
      workOrders: 0,
    };
    c.workOrders += 1;
    map.set(key, c);
  };
  const workOrders: FailureWorkOrder[] = [];
  for (const w of reportedIn.all(core, { startIso, endIso })) {
    if (!within(w.location_id)) continue;
    // A repair whose record was corrected to "not done" or a fail (logged on the wrong pump) found
    // nothing on this device: its codes no longer stand, and the work order is not yet diagnosed.
    const stands = repairStands(core, w.repair_completion_id);
    const failure = stands && w.failure_code_id ? codes.get(w.failure_code_id) : undefined;
    const cause = stands && w.cause_code_id ? codes.get(w.cause_code_id) : undefined;
    const kind: FailureKind = !failure
      ? 'not_diagnosed'
      : failure.label_key === nff || cause?.label_key === nff
        ? 'no_fault_found'
        : 'failure';
    const model = modelName(w);
    addKind(total, kind);
    addKind(group(byCategory, w.category), kind);
    addKind(group(byModel, model), kind);
    countCode(failureCodes, failure);
    if (failure) countCode(causeCodes, cause);
    workOrders.push({
      id: w.id,
      ref: workOrderRef(w.number),
      equipmentId: w.equipment_id,
      assetTag: w.asset_tag,
      name: w.name,
      category: w.category,
      model,
      location: paths.get(w.location_id) ?? '',
      reportedAt: w.reported_at,
      state: w.state,
      problem: w.problem,
      failureCode: failure ? { label: failure.label, deleted: failure.active !== 1 } : null,
      causeCode: cause ? { label: cause.label, deleted: cause.active !== 1 } : null,
      kind,
    });
  }
  const byCount = (a: CodeCount, b: CodeCount) =>
    (a.codeId === null ? 1 : 0) - (b.codeId === null ? 1 : 0) || b.workOrders - a.workOrders || a.label.localeCompare(b.label);
  return {
    from: params.from,
    to: params.to,
    total,
    byCategory: ranked(byCategory),
    byModel: ranked(byModel),
    byFailureCode: [...failureCodes.values()].sort(byCount),
    byCauseCode: [...causeCodes.values()].sort(byCount),
    workOrders,
  };
}

/**
 * The filter in words, for the printed head. Its names are printed as written and its days are
 * marked (headerDay): the print window writes them the Settings way in its own locale, as it
 * writes the rows (docs/architecture.md, "Printing").
 */
export function periodFilter(core: Core, params: FailuresParamsValue): HeaderLine[] {
  const paths = new Map(listLocations(core).map((l) => [l.id, l.path]));
  return [
    headerLine`Period: ${headerDay(params.from)} to ${headerDay(params.to)}`,
    params.locationIds && params.locationIds.length > 0
      ? headerLine`Locations: ${params.locationIds.map((id) => paths.get(id) ?? 'a location that no longer exists').join(', ')}`
      : headerLine`Locations: all`,
  ];
}

/** The file name of the report (CSV or PDF): its period, and the locations it was limited to. */
const failuresFileName = (core: Core, params: FailuresParamsValue) =>
  scopedName(`failures-${params.from}-to-${params.to}`, locationsPart(core, params.locationIds));

export function failuresDocument(core: Core, actor: Actor, params: FailuresParamsValue): FailuresDocument {
  return {
    view: 'failures',
    header: printHeader(core, actor, {
      title: 'Failures report',
      filter: periodFilter(core, params),
      fileName: failuresFileName(core, params),
    }),
    report: failuresReport(core, params),
  };
}

/**
 * The CSV columns of the failures report, one row per category, model, failure code and cause code
 * (`group` says which): published with `wardkeep report failures` (docs/cli.md). Add, never rename.
 */
export const FAILURES_FIELDS = [
  'group',
  'name',
  'deleted',
  'devices',
  'work_orders',
  'failures',
  'no_fault_found',
  'not_diagnosed',
  'failures_per_device',
] as const;

/** The CSV columns of the work orders behind the counts, one row per work order. */
export const FAILURE_WORK_ORDER_FIELDS = [
  'work_order',
  'reported_at',
  'asset_tag',
  'name',
  'category',
  'model',
  'location',
  'state',
  'kind',
  'failure_code',
  'failure_code_deleted',
  'cause_code',
  'cause_code_deleted',
  'problem',
  'work_order_id',
  'equipment_id',
] as const;

const yesNo = (b: boolean) => (b ? 'yes' : 'no');

export function failuresCsvRows(report: FailuresReport): (string | null)[][] {
  const groupRow = (kind: string, g: FailureGroup): (string | null)[] => [
    kind,
    g.name,
    'no',
    String(g.devices),
    String(g.workOrders),
    String(g.failures),
    String(g.noFaultFound),
    String(g.notDiagnosed),
    failureRate(g),
  ];
  const codeRow = (kind: string, c: CodeCount): (string | null)[] => [
    kind,
    c.label,
    yesNo(c.deleted),
    '',
    String(c.workOrders),
    '',
    '',
    '',
    '',
  ];
  return [
    ...report.byCategory.map((g) => groupRow('category', g)),
    ...report.byModel.map((g) => groupRow('model', g)),
    ...report.byFailureCode.map((c) => codeRow('failure_code', c)),
    ...report.byCauseCode.map((c) => codeRow('cause_code', c)),
  ];
}

/** One work order with the fields of FAILURE_WORK_ORDER_FIELDS: the JSON of `wardkeep report failures` and, written out, the CSV. */
export function failureWorkOrderRecord(w: FailureWorkOrder): Record<(typeof FAILURE_WORK_ORDER_FIELDS)[number], string | boolean | null> {
  return {
    work_order: w.ref,
    reported_at: w.reportedAt,
    asset_tag: w.assetTag,
    name: w.name,
    category: w.category,
    model: w.model,
    location: w.location,
    state: w.state,
    kind: w.kind,
    failure_code: w.failureCode?.label ?? null,
    failure_code_deleted: w.failureCode?.deleted ?? null,
    cause_code: w.causeCode?.label ?? null,
    cause_code_deleted: w.causeCode?.deleted ?? null,
    problem: w.problem,
    work_order_id: w.id,
    equipment_id: w.equipmentId,
  };
}

export function failureWorkOrderCsvRows(report: FailuresReport): (string | null)[][] {
  return report.workOrders.map((w) => {
    const record = failureWorkOrderRecord(w);
    return FAILURE_WORK_ORDER_FIELDS.map((k) => {
      const v = record[k];
      return typeof v === 'boolean' ? yesNo(v) : v;
    });
  });
}

export function failuresCsv(core: Core, params: FailuresParamsValue, part: FailuresCsvPart): ExportFile {
  const report = failuresReport(core, params);
  const base = failuresFileName(core, params);
  return part === 'summary'
    ? { fileName: `${base}.csv`, content: writeCsv(FAILURES_FIELDS, failuresCsvRows(report)), mimeType: 'text/csv;charset=utf-8' }
    : {
        fileName: `${base}-work-orders.csv`,
        content: writeCsv(FAILURE_WORK_ORDER_FIELDS, failureWorkOrderCsvRows(report)),
        mimeType: 'text/csv;charset=utf-8',
      };
}
