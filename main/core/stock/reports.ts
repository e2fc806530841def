import type { IsoDate } from '../../../shared/domain/common';
import type { PlanView } from '../../../shared/domain/plan';
import type { StockLocationHead } from '../../../shared/domain/stock-catalog';
import { STOCK_LOCATION_KIND_LABELS } from '../../../shared/domain/stock-catalog';
import { expiryStatus } from '../../../shared/domain/stock-rules';
import type {
  ExpiryRow,
  ReorderRow,
  StockCheckListEntry,
  StockExport,
  StockLevelView,
  StockList,
  StockLocationDetail,
  StockLocationRow,
  SupplyChoice,
} from '../../../shared/domain/stock-views';
import { daysBetween } from '../../../shared/scheduling/dates';
import { PLAN_STATUSES } from '../../../shared/scheduling/status';
import { headerDay, headerLine } from '../../../shared/domain/report';
import type { StockExpiryDocument, StockReorderDocument } from '../../../shared/domain/stock-print';
import type { Actor, Core } from '../context';
import { writeCsv } from '../csv/write';
import { listLocations, subtreeIds } from '../locations/service';
import { printHeader } from '../print/jobs';
import { taskTypeMap, toPlanView, today as todayOf } from '../plans/service';
import { query } from '../sql/query';
import type { PlanRow } from '../sql/rows';
import { listStockLocationHeads, stockLocationHead } from './catalog';
import { expiringWithinDays, levelViewsByLocation } from './ledger';

/** The stock screens' reads and the two lists (reorder, expiry) with their CSV exports. */

/**
 * Every stock location's plans, through `plans_stock_location`: without statistics SQLite reads
 * `IS NOT NULL` as no narrowing and scanned every plan, 136 ms at 200,000 devices on each Today
 * (issue 17), where a hospital has a few dozen stock plans.
 */
const stockPlans = query<PlanRow>(
  'SELECT * FROM plans INDEXED BY plans_stock_location WHERE stock_location_id IS NOT NULL ORDER BY active DESC, next_due, task',
);
const plansOfPlaces = query<PlanRow, { ids: string }>(
  'SELECT * FROM plans WHERE stock_location_id IN (SELECT value FROM json_each(@ids)) ORDER BY active DESC, next_due, task',
);
const latestChecks = query<StockCheckListEntry, { id: string }>(
  `SELECT id AS completionId, performed_at AS performedAt, performed_on AS performedOn, outcome, performed_by_name AS performedByName
   FROM completions WHERE stock_location_id = @id ORDER BY performed_at DESC, created_at DESC LIMIT 10`,
);

function plansOf(core: Core, stockLocationIds: readonly string[] | null, on: IsoDate, activeLocations: ReadonlySet<string>): Map<string, PlanView[]> {
  const types = taskTypeMap(core);
  const rows = stockLocationIds === null ? stockPlans.all(core) : plansOfPlaces.all(core, { ids: JSON.stringify(stockLocationIds) });
  const out = new Map<string, PlanView[]>();
  for (const r of rows) {
    const view = toPlanView(r, types.get(r.task), on, activeLocations.has(r.stock_location_id!));
    const list = out.get(r.stock_location_id!);
    if (list) list.push(view);
    else out.set(r.stock_location_id!, [view]);
  }
  return out;
}

const URGENCY = new Map(PLAN_STATUSES.map((s, i) => [s, i]));

function toRow(head: StockLocationHead, items: readonly StockLevelView[], plans: readonly PlanView[]): StockLocationRow {
  const next = plans
    .filter((p) => p.active)
    .sort((a, b) => (URGENCY.get(a.status) ?? 9) - (URGENCY.get(b.status) ?? 9) || a.nextDue.localeCompare(b.nextDue))[0];
  return {
    ...head,
    kindLabel: STOCK_LOCATION_KIND_LABELS[head.kind],
    items: items.length,
    belowMinimum: items.filter((i) => i.flags.belowMinimum).length,
    expired: items.filter((i) => i.flags.expired > 0).length,
    expiringSoon: items.filter((i) => i.flags.expiringSoon > 0).length,
    nextCheck: next
      ? { planId: next.id, taskLabel: next.taskLabel, dueDate: next.nextDue, status: next.status, daysOverdue: next.daysOverdue }
      : null,
  };
}

/** Every stock location with its flag counts and its most urgent check, active first. */
export function listStockLocations(core: Core): StockLocationRow[] {
  const on = todayOf(core);
  const heads = listStockLocationHeads(core);
  const levels = levelViewsByLocation(core, null, on, expiringWithinDays(core));
  const plans = plansOf(core, null, on, new Set(heads.filter((h) => h.active).map((h) => h.id)));
  return heads.map((h) => toRow(h, levels.get(h.id) ?? [], plans.get(h.id) ?? []));
}

/** A stock location's page: its items with levels, lots and flags; its plans; its latest checks. */
export function stockLocationDetail(core: Core, id: string): StockLocationDetail {
  const on = todayOf(core);
  const head = stockLocationHead(core, id, { field: 'id' });
  const withinDays = expiringWithinDays(core);
  const items = levelViewsByLocation(core, [id], on, withinDays).get(id) ?? [];
  const plans = plansOf(core, [id], on, new Set(head.active ? [id] : [])).get(id) ?? [];
  const recentChecks = latestChecks.all(core, { id });
  return { location: toRow(head, items, plans), asOf: on, expiringWithinDays: withinDays, items, plans, recentChecks };
}

export interface ListScope {
  stockLocationId?: string | undefined;
  /** Stock locations in this location or anywhere inside it. */
  locationId?: string | undefined;
}

/** The active stock locations a list covers, and the words for it. */
function scoped(core: Core, scope: ListScope): { heads: StockLocationHead[]; words: string } {
  if (scope.stockLocationId) {
    const head = stockLocationHead(core, scope.stockLocationId);
    return { heads: [head], words: `${head.name}, ${head.locationPath}` };
  }
  const heads = listStockLocationHeads(core).filter((h) => h.active);
  if (scope.locationId) {
    const all = listLocations(core);
    const place = all.find((l) => l.id === scope.locationId);
    const inside = new Set(subtreeIds(all, scope.locationId));
    return { heads: heads.filter((h) => inside.has(h.locationId)), words: `stock locations in ${place?.path ?? 'that location'}` };
  }
  return { heads, words: 'all stock locations' };
}

/** How many items the stock locations of a list keep. */
const keptIn = (heads: readonly StockLocationHead[], levels: ReadonlyMap<string, readonly StockLevelView[]>): number =>
  heads.reduce((n, h) => n + (levels.get(h.id)?.length ?? 0), 0);

/** Items whose usable stock is below minimum, with the quantity that brings them back to par. */
export function reorderList(core: Core, scope: ListScope): StockList<ReorderRow> {
  const on = todayOf(core);
  const withinDays = expiringWithinDays(core);
  const { heads, words } = scoped(core, scope);
  const levels = levelViewsByLocation(core, heads.map((h) => h.id), on, withinDays);
  const rows: ReorderRow[] = [];
  for (const h of heads) {
    for (const i of levels.get(h.id) ?? []) {
      if (!i.flags.belowMinimum) continue;
      rows.push({
        stockLocationId: h.id,
        stockLocationName: h.name,
        stockLocationKind: h.kind,
        locationPath: h.locationPath,
        itemId: i.itemId,
        code: i.code,
        name: i.name,
        unit: i.unit,
        defaultSupplier: i.defaultSupplier,
        par: i.par,
        minimum: i.minimum,
        onHand: i.onHand,
        usable: i.flags.usable,
        expired: i.flags.expired,
        orderQuantity: i.flags.reorderQuantity,
      });
    }
  }
  return { asOf: on, expiringWithinDays: withinDays, scope: words, itemsKept: keptIn(heads, levels), rows };
}

/** Lots on hand that have expired or expire within the threshold, soonest first. */
export function expiryList(core: Core, scope: ListScope): StockList<ExpiryRow> {
  const on = todayOf(core);
  const withinDays = expiringWithinDays(core);
  const { heads, words } = scoped(core, scope);
  const levels = levelViewsByLocation(core, heads.map((h) => h.id), on, withinDays);
  const rows: ExpiryRow[] = [];
  for (const h of heads) {
    for (const i of levels.get(h.id) ?? []) {
      for (const lot of i.lots) {
        const status = expiryStatus(lot.expiresOn, on, withinDays);
        if (lot.expiresOn === null || (status !== 'expired' && status !== 'expiring')) continue;
        rows.push({
          stockLocationId: h.id,
          stockLocationName: h.name,
          locationPath: h.locationPath,
          itemId: i.itemId,
          code: i.code,
          name: i.name,
          unit: i.unit,
          lotId: lot.id,
          lot: lot.lot,
          expiresOn: lot.expiresOn,
          onHand: lot.onHand,
          status,
          days: daysBetween(on, lot.expiresOn),
        });
      }
    }
  }
  rows.sort((a, b) => a.expiresOn.localeCompare(b.expiresOn) || a.locationPath.localeCompare(b.locationPath) || a.name.localeCompare(b.name));
  return { asOf: on, expiringWithinDays: withinDays, scope: words, itemsKept: keptIn(heads, levels), rows };
}

/** The reorder or expiry list as CSV (RFC 4180), for a spreadsheet or the supplier. */
export function exportStockList(core: Core, input: ListScope & { list: 'reorder' | 'expiry' }): StockExport {
  if (input.list === 'reorder') {
    const list = reorderList(core, input);
    const content = writeCsv(
      ['Stock location', 'Location', 'Code', 'Item', 'Unit', 'Usable on hand', 'Expired on hand', 'Minimum', 'Par', 'Order quantity', 'Supplier'],
      list.rows.map((r) => [
        r.stockLocationName,
        r.locationPath,
        r.code,
        r.name,
        r.unit,
        String(r.usable),
        String(r.expired),
        String(r.minimum),
        String(r.par),
        String(r.orderQuantity),
        r.defaultSupplier,
      ]),
    );
    return { fileName: `wardkeep-reorder-${list.asOf}.csv`, content, count: list.rows.length };
  }
  const list = expiryList(core, input);
  const content = writeCsv(
    ['Stock location', 'Location', 'Code', 'Item', 'Unit', 'Lot', 'Expires on', 'Quantity', 'Status', 'Days to expiry'],
    list.rows.map((r) => [
      r.stockLocationName,
      r.locationPath,
      r.code,
      r.name,
      r.unit,
      r.lot,
      r.expiresOn,
      String(r.onHand),
      r.status === 'expired' ? 'Expired' : 'Expiring',
      String(r.days),
    ]),
  );
  return { fileName: `wardkeep-expiry-${list.asOf}.csv`, content, count: list.rows.length };
}

/** For the supplies-used picker: each active stock location and the items it holds. */
export function supplyChoices(core: Core): SupplyChoice[] {
  const on = todayOf(core);
  const heads = listStockLocationHeads(core).filter((h) => h.active);
  const levels = levelViewsByLocation(core, heads.map((h) => h.id), on, expiringWithinDays(core));
  return heads.map((h) => ({
    id: h.id,
    name: h.name,
    kindLabel: STOCK_LOCATION_KIND_LABELS[h.kind],
    locationPath: h.locationPath,
    equipmentId: h.equipment?.id ?? null,
    items: (levels.get(h.id) ?? []).map((i) => ({ itemId: i.itemId, code: i.code, name: i.name, unit: i.unit, onHand: i.onHand })),
  }));
}

/** The reorder list as a printed document: who printed it, when, for which stock. */
export function reorderDocument(core: Core, actor: Actor, scope: ListScope): StockReorderDocument {
  const list = reorderList(core, scope);
  return {
    view: 'stock-reorder',
    header: printHeader(core, actor, {
      title: 'Reorder list',
      // The scope's names as written; the day marked, written the Settings way by the print window (report.ts, HeaderLine).
      filter: [
        headerLine`Stock: ${list.scope}`,
        headerLine`Items whose usable stock (on hand, less expired) is below the minimum; the order brings them back to par.`,
        headerLine`As of ${headerDay(list.asOf)}`,
      ],
      fileName: `reorder-list-${list.asOf}`,
    }),
    list,
  };
}

/** The expiry list as a printed document. */
export function expiryDocument(core: Core, actor: Actor, scope: ListScope): StockExpiryDocument {
  const list = expiryList(core, scope);
  return {
    view: 'stock-expiry',
    header: printHeader(core, actor, {
      title: 'Expiry list',
      filter: [
        headerLine`Stock: ${list.scope}`,
        headerLine`Lots expired, or expiring within ${list.expiringWithinDays} days`,
        headerLine`As of ${headerDay(list.asOf)}`,
      ],
      fileName: `expiry-list-${list.asOf}`,
    }),
    list,
  };
}
