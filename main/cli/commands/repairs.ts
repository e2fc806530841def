import { isIsoDate } from '../../../shared/domain/common';
import type { DowntimeReport } from '../../../shared/domain/report-downtime';
import { WORK_ORDER_STATE_LABELS } from '../../../shared/domain/work-order';
import { formatMinutes } from '../../../shared/repairs/downtime';
import type { Core } from '../../core/context';
import { writeCsv } from '../../core/csv/write';
import { listLocations, lookupLocationPath } from '../../core/locations/service';
import { listWorkOrders } from '../../core/repairs/views';
import { REPAIRS_FIELDS, workOrderCsvRows, workOrderRecord } from '../../core/reports/open-work-orders';
import { DOWNTIME_FIELDS, downtimeCsvRows, downtimeReport, noEquipment } from '../../core/reports/downtime';
import { FAILURES_FIELDS, failuresCsvRows, failuresReport, failureWorkOrderRecord } from '../../core/reports/failures';
import type { CodeCount, FailureGroup, FailuresReport } from '../../../shared/domain/report-failures';
import { codeLabel, failureRate } from '../../../shared/domain/report-failures';
import type { Command } from '../command';
import type { CliIo } from '../io';
import { EXIT, UsageError } from '../io';
import { table } from '../table';

const FORMATS = ['table', 'csv', 'json'] as const;
type Format = (typeof FORMATS)[number];

/** The JSON keys and CSV columns of `wardkeep repairs`: a published interface (docs/cli.md). Add, never rename. */
export { REPAIRS_FIELDS };

/** The JSON keys and CSV columns of `wardkeep report downtime`, one row per device: published (docs/cli.md). */
export { DOWNTIME_FIELDS };

/** The CSV columns of `wardkeep report failures`, one row per category, model, failure code and cause code: published (docs/cli.md). */
export { FAILURES_FIELDS };

function format(values: Record<string, unknown>): Format {
  const f = ((values.format as string | undefined) ?? 'table') as Format;
  if (!FORMATS.includes(f)) throw new UsageError(`--format "${String(f)}" is not one of ${FORMATS.join(', ')}.`);
  return f;
}

function withCore<T>(openCore: () => Core & { close(): void }, run: (core: Core) => T): T {
  const core = openCore();
  try {
    return run(core);
  } finally {
    core.close();
  }
}

function locationIds(core: Core, io: CliIo, text: string | undefined): string[] | undefined | null {
  if (text === undefined) return undefined;
  const found = lookupLocationPath(listLocations(core), text);
  if (found.kind === 'found') return [found.location.id];
  io.stderr(
    found.kind === 'ambiguous'
      ? `--location "${text}": ${found.message}.\n`
      : `--location "${text}": there is no such location. Name one by its name or its path, e.g. "Site > Ward".\n`,
  );
  return null;
}

/** An empty database's answer, never an all-clear ("No work order is open", "No device was out of service"). */
const nothingToReport = (core: Core) => `There is no equipment in the database ${core.file}: nothing to report. Import the inventory (wardkeep import equipment FILE).\n`;

export const repairsCommand: Command = {
  name: 'repairs',
  database: 'reads',
  summary: 'work orders: the open ones (or all), oldest first, with their state and age',
  usage: '[--status open|all] [--location TEXT] [--format table|csv|json]',
  options: { status: { type: 'string' }, location: { type: 'string' }, format: { type: 'string' } },
  run({ args, values, io, openCore }) {
    if (args.length > 0) throw new UsageError(`Unexpected argument "${args[0]}".`);
    const status = (values.status as string | undefined) ?? 'open';
    if (status !== 'open' && status !== 'all') throw new UsageError(`--status "${status}" is not open or all.`);
    const f = format(values);
    const locationText = values.location as string | undefined;
    if (locationText !== undefined && locationText.trim() === '') throw new UsageError('--location needs a location name or path.');
    return withCore(openCore, (core) => {
      const ids = locationIds(core, io, locationText);
      if (ids === null) return EXIT.input;
      const rows = listWorkOrders(core, { status, ...(ids ? { locationId: ids[0] } : {}) });
      if (f === 'json') io.stdout(JSON.stringify(rows.map(workOrderRecord), null, 2) + '\n');
      else if (f === 'csv') io.stdout(writeCsv(REPAIRS_FIELDS, workOrderCsvRows(rows)));
      else if (rows.length === 0 && noEquipment(core)) io.stdout(nothingToReport(core));
      else if (rows.length === 0) io.stdout(status === 'open' ? 'No work order is open.\n' : 'No work order yet.\n');
      else
        io.stdout(
          table(
            ['WORK ORDER', 'ASSET TAG', 'NAME', 'WARD', 'STATE', 'AGE', 'PROBLEM'],
            rows.map((r) => [r.ref, r.assetTag, r.name, r.wardPath, WORK_ORDER_STATE_LABELS[r.state], formatMinutes(r.ageMinutes), r.problem.replace(/\s+/g, ' ').slice(0, 60)]),
          ) + `\n${rows.length} work order${rows.length === 1 ? '' : 's'}.\n`,
        );
      return EXIT.ok;
    });
  },
};

/** --from and --to: local calendar days, both included. */
function period(values: Record<string, unknown>): { from: string; to: string } {
  const from = values.from as string | undefined;
  const to = values.to as string | undefined;
  if (from === undefined || to === undefined) throw new UsageError('--from and --to are required, written YYYY-MM-DD.');
  if (!isIsoDate(from)) throw new UsageError(`--from "${from}" is not a date written YYYY-MM-DD.`);
  if (!isIsoDate(to)) throw new UsageError(`--to "${to}" is not a date written YYYY-MM-DD.`);
  if (to < from) throw new UsageError(`--to ${to} is before --from ${from}.`);
  return { from, to };
}

function downtimeRecord(d: DowntimeReport['devices'][number]) {
  return {
    asset_tag: d.assetTag,
    name: d.name,
    category: d.category,
    model: d.model,
    location: d.location,
    minutes: d.minutes,
    spells: d.spells.map((s) => ({ start: s.start, end: s.end, minutes: s.minutes, reason: s.reason, work_order: s.workOrderRef })),
    equipment_id: d.equipmentId,
  };
}

export const reportDowntimeCommand: Command = {
  name: 'report downtime',
  database: 'reads',
  summary: 'downtime per device over a period (local days, both included), from the status history, to the minute',
  usage: '--from DATE --to DATE [--location TEXT] [--format table|csv|json]',
  options: { from: { type: 'string' }, to: { type: 'string' }, location: { type: 'string' }, format: { type: 'string' } },
  run({ args, values, io, openCore }) {
    if (args.length > 0) throw new UsageError(`Unexpected argument "${args[0]}".`);
    const { from, to } = period(values);
    const f = format(values);
    const locationText = values.location as string | undefined;
    return withCore(openCore, (core) => {
      const ids = locationIds(core, io, locationText);
      if (ids === null) return EXIT.input;
      const report = downtimeReport(core, { from, to, ...(ids ? { locationIds: ids } : {}) });
      if (f === 'json') io.stdout(JSON.stringify(report.devices.map(downtimeRecord), null, 2) + '\n');
      else if (f === 'csv')
        io.stdout(
          writeCsv(DOWNTIME_FIELDS, downtimeCsvRows(report)),
        );
      else if (report.devices.length === 0 && noEquipment(core)) io.stdout(nothingToReport(core));
      else if (report.devices.length === 0) io.stdout(`No device was out of service from ${from} to ${to}.\n`);
      else
        io.stdout(
          table(
            ['ASSET TAG', 'NAME', 'CATEGORY', 'LOCATION', 'DOWNTIME', 'MINUTES', 'SPELLS'],
            report.devices.map((d) => [d.assetTag, d.name, d.category ?? '', d.location, formatMinutes(d.minutes), String(d.minutes), String(d.spells.length)]),
          ) + `\n${report.devices.length} device${report.devices.length === 1 ? '' : 's'} out of service from ${from} to ${to}.\n`,
        );
      return EXIT.ok;
    });
  },
};

const groupRecord = (g: FailureGroup) => ({
  name: g.name,
  devices: g.devices,
  work_orders: g.workOrders,
  failures: g.failures,
  no_fault_found: g.noFaultFound,
  not_diagnosed: g.notDiagnosed,
  failures_per_device: g.devices === 0 ? null : Number(failureRate(g)),
});
const codeRecord = (c: CodeCount) => ({ code: c.codeId === null ? null : c.label, deleted: c.deleted, work_orders: c.workOrders });

/** The JSON of `wardkeep report failures`: published (docs/cli.md). Add, never rename. */
function failuresRecord(r: FailuresReport) {
  return {
    from: r.from,
    to: r.to,
    total: groupRecord({ name: null, ...r.total }),
    by_category: r.byCategory.map(groupRecord),
    by_model: r.byModel.map(groupRecord),
    by_failure_code: r.byFailureCode.map(codeRecord),
    by_cause_code: r.byCauseCode.map(codeRecord),
    work_orders: r.workOrders.map(failureWorkOrderRecord),
  };
}

function failuresTable(r: FailuresReport): string {
  const head = ['DEVICES', 'WORK ORDERS', 'FAILURES', 'NO FAULT FOUND', 'NOT DIAGNOSED', 'PER DEVICE'];
  const counts = (g: FailureGroup) => [String(g.devices), String(g.workOrders), String(g.failures), String(g.noFaultFound), String(g.notDiagnosed), failureRate(g)];
  const t = r.total;
  return [
    `${t.workOrders} work order${t.workOrders === 1 ? '' : 's'} reported from ${r.from} to ${r.to} on ${t.devices} device${t.devices === 1 ? '' : 's'}: ` +
      `${t.failures} failure${t.failures === 1 ? '' : 's'}, ${t.noFaultFound} no fault found, ${t.notDiagnosed} not yet diagnosed.\n`,
    '\nBy category\n' + table(['CATEGORY', ...head], r.byCategory.map((g) => [g.name ?? 'No category', ...counts(g)])),
    '\nBy model\n' + table(['MODEL', ...head], r.byModel.map((g) => [g.name ?? 'No model recorded', ...counts(g)])),
    r.workOrders.length === 0
      ? ''
      : '\nBy failure code\n' +
        table(['FAILURE CODE', 'WORK ORDERS'], r.byFailureCode.map((c) => [c.codeId === null ? 'Not yet diagnosed' : codeLabel(c), String(c.workOrders)])),
  ].join('');
}

export const reportFailuresCommand: Command = {
  name: 'report failures',
  database: 'reads',
  summary: 'work orders reported over a period (local days, both included) by category, model and failure code, with the devices of each',
  usage: '--from DATE --to DATE [--location TEXT] [--format table|csv|json]',
  options: { from: { type: 'string' }, to: { type: 'string' }, location: { type: 'string' }, format: { type: 'string' } },
  run({ args, values, io, openCore }) {
    if (args.length > 0) throw new UsageError(`Unexpected argument "${args[0]}".`);
    const { from, to } = period(values);
    const f = format(values);
    const locationText = values.location as string | undefined;
    if (locationText !== undefined && locationText.trim() === '') throw new UsageError('--location needs a location name or path.');
    return withCore(openCore, (core) => {
      const ids = locationIds(core, io, locationText);
      if (ids === null) return EXIT.input;
      const report = failuresReport(core, { from, to, ...(ids ? { locationIds: ids } : {}) });
      if (f === 'json') io.stdout(JSON.stringify(failuresRecord(report), null, 2) + '\n');
      else if (f === 'csv') io.stdout(writeCsv(FAILURES_FIELDS, failuresCsvRows(report)));
      else io.stdout(failuresTable(report));
      return EXIT.ok;
    });
  },
};
