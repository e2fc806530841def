import type { EquipmentFilterValue, EquipmentListRow, EquipmentPage, EquipmentSortColumn } from '../../../shared/contract/equipment';
import { EQUIPMENT_STATUSES, RISKS } from '../../../shared/domain/equipment';
import type { Core, WriteCore } from '../context';
import { listLocations, subtreeIds } from '../locations/service';
import type { UrgentPlan } from '../../../shared/domain/plan';
import { localDate } from '../clock';
import { urgentPlans } from '../due/service';
import { withTriggerAside } from '../db/trigger-aside';
import { builtQuery, command, scalar } from '../sql/query';
import type { CountRow, EquipmentRow } from '../sql/rows';

/**
 * The inventory list at 50,000 devices: filters and free text narrow in SQL (the trigram index
 * of migration 0002 for words of 3+ characters, LIKE for shorter ones), the page and the total
 * come from the same WHERE clause, and only the page's rows are turned into objects.
 */

/** Splits the search box into words; each must match somewhere in tag, name, serial, model or manufacturer. */
export function searchWords(text: string | undefined): string[] {
  return (text ?? '')
    .trim()
    .split(/\s+/)
    .filter((w) => w.length > 0)
    .slice(0, 10);
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
const ftsPhrase = (s: string) => `"${s.replace(/"/g, '""')}"`;

interface Where {
  sql: string;
  params: Record<string, unknown>;
}

function buildWhere(filter: EquipmentFilterValue, locationIds: string[] | null): Where {
  const clauses: string[] = [];
  const params: Record<string, unknown> = {};
  const words = searchWords(filter.text);
  // Trigrams need 3 characters; "remove_diacritics" lets "defib" find "Défibrillateur".
  const long = words.filter((w) => [...w].length >= 3);
  if (long.length) {
    clauses.push('e.id IN (SELECT equipment_id FROM equipment_search WHERE equipment_search MATCH @match)');
    params.match = long.map(ftsPhrase).join(' ');
  }
  words
    .filter((w) => [...w].length < 3)
    .forEach((w, i) => {
      const p = `short${i}`;
      params[p] = `%${likeEscape(w)}%`;
      clauses.push(
        `(e.asset_tag LIKE @${p} ESCAPE '\\' OR e.name LIKE @${p} ESCAPE '\\' OR e.serial LIKE @${p} ESCAPE '\\' OR e.model LIKE @${p} ESCAPE '\\' OR e.manufacturer LIKE @${p} ESCAPE '\\')`,
      );
    });
  if (locationIds) {
    clauses.push('e.location_id IN (SELECT value FROM json_each(@locationIds))');
    params.locationIds = JSON.stringify(locationIds);
  }
  if (filter.categoryId) {
    clauses.push('e.category_id = @categoryId');
    params.categoryId = filter.categoryId;
  }
  if (filter.risks && filter.risks.length > 0 && filter.risks.length < RISKS.length) {
    clauses.push('e.risk IN (SELECT value FROM json_each(@risks))');
    params.risks = JSON.stringify(filter.risks);
  }
  if (filter.statuses && filter.statuses.length > 0 && filter.statuses.length < EQUIPMENT_STATUSES.length) {
    clauses.push('e.status IN (SELECT value FROM json_each(@statuses))');
    params.statuses = JSON.stringify(filter.statuses);
  }
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

/**
 * The date the "Next due" cell shows (urgentPlans in due/service.ts: the most urgent plan's, overdue
 * before due before scheduled, then the earliest; every plan of a device out of service is
 * suspended, so its earliest), so the list sorted by it reads in the order of its dates. One
 * aggregate per device over its active plans through plans_equipment, as the plain earliest date
 * was: each plan's rank goes before its date, the least is taken and the date cut off. The ranks
 * are planStatus's (shared/scheduling/status.ts): overdue once past its grace days, due from its
 * stored `due_from` (its window). `@today` is bound only when the list is sorted by it. At 50,000
 * devices (the bench's hospital, sorted whole for the first page) it cost some 20% more than the
 * earliest date: about 190 ms against 155 ms on a loaded machine.
 */
const NEXT_DUE = `substr((SELECT min(CASE
      WHEN e.status <> 'in_service' THEN '3'
      WHEN julianday(p.next_due) + p.grace_days < julianday(@today) THEN '0'
      WHEN p.due_from <= @today THEN '1'
      ELSE '2' END || p.next_due)
    FROM plans p WHERE p.equipment_id = e.id AND p.active = 1), 2)`;

/** ORDER BY for a column; ties broken by tag so paging is stable. Blanks sort last either way. */
function orderBy(column: EquipmentSortColumn, direction: 'asc' | 'desc'): string {
  const dir = direction === 'desc' ? 'DESC' : 'ASC';
  const rank = (values: readonly string[], col: string) => `CASE ${col} ${values.map((v, i) => `WHEN '${v}' THEN ${i}`).join(' ')} END`;
  const expr: Record<EquipmentSortColumn, string> = {
    assetTag: 'e.asset_tag_key',
    name: 'name_sort(e.name)',
    category: 'name_sort(c.name)',
    location: 'lr.rank',
    manufacturer: 'name_sort(e.manufacturer)',
    model: 'name_sort(e.model)',
    serial: 'name_sort(e.serial)',
    risk: rank(RISKS, 'e.risk'),
    status: rank(EQUIPMENT_STATUSES, 'e.status'),
    nextDue: NEXT_DUE,
  };
  const tail = column === 'assetTag' ? '' : `, e.asset_tag_key ${dir}`;
  return `ORDER BY ${expr[column]} ${dir} NULLS LAST${tail}`;
}

type ListRow = Pick<EquipmentRow, 'id' | 'asset_tag' | 'name' | 'location_id' | 'category_id' | 'manufacturer' | 'model' | 'serial' | 'risk' | 'status'> & {
  category_name: string | null;
};

function nextDueOf(u: UrgentPlan | undefined): EquipmentListRow['nextDue'] {
  if (!u) return null;
  return { task: u.task, taskLabel: u.taskLabel, dueDate: u.dueDate, status: u.status, daysOverdue: u.daysOverdue, doNotUse: u.doNotUse };
}

/** The rows of one page of the list, and how many match in all. */
export function searchEquipment(core: Core, filter: EquipmentFilterValue, page: { offset: number; limit: number }): EquipmentPage {
  const locations = listLocations(core);
  const paths = new Map(locations.map((l) => [l.id, l.path]));
  const locationIds = filter.locationId ? subtreeIds(locations, filter.locationId) : null;
  const where = buildWhere(filter, locationIds);
  const sort = filter.sort ?? 'assetTag';
  const params: Record<string, unknown> = { ...where.params, limit: Math.min(page.limit, 1_000_000_000), offset: page.offset };
  if (sort === 'location') {
    // Paths are computed, not stored: rank the locations by path here and let SQL sort by rank.
    params.locationRank = JSON.stringify(Object.fromEntries(locations.map((l, i) => [l.id, i])));
  }
  const today = localDate(core.clock.now());
  if (sort === 'nextDue') params.today = today;
  const total = builtQuery<CountRow, Record<string, unknown>>(`SELECT count(*) AS n FROM equipment e ${where.sql}`).get(core, where.params)!.n;
  const rows = builtQuery<ListRow, Record<string, unknown>>(
    `${sort === 'location' ? 'WITH location_rank (id, rank) AS MATERIALIZED (SELECT key, value FROM json_each(@locationRank))' : ''}
       SELECT e.id, e.asset_tag, e.name, e.location_id, e.category_id, c.name AS category_name, e.manufacturer, e.model,
         e.serial, e.risk, e.status
       FROM equipment e
       LEFT JOIN categories c ON c.id = e.category_id
       ${sort === 'location' ? 'LEFT JOIN location_rank lr ON lr.id = e.location_id' : ''}
       ${where.sql}
       ${orderBy(sort, filter.direction ?? 'asc')}
       LIMIT @limit OFFSET @offset`,
  ).all(core, params);
  // The most urgent plan of each device on the page, with its status today: one index probe each.
  const urgent = urgentPlans(
    core,
    rows.map((r) => r.id),
    today,
  );
  return {
    total,
    offset: page.offset,
    limit: page.limit,
    rows: rows.map((r): EquipmentListRow => ({
      id: r.id,
      assetTag: r.asset_tag,
      name: r.name,
      locationId: r.location_id,
      locationPath: paths.get(r.location_id) ?? '',
      categoryId: r.category_id,
      categoryName: r.category_name,
      manufacturer: r.manufacturer,
      model: r.model,
      serial: r.serial,
      risk: r.risk,
      status: r.status,
      nextDue: nextDueOf(urgent.get(r.id)),
    })),
  };
}

const lastEquipmentRowid = scalar<number>('SELECT coalesce(max(rowid), 0) FROM equipment');
const lastSearchRowid = scalar<number>('SELECT coalesce(max(rowid), 0) FROM equipment_search');
/** The devices added since `after`, but not one the update trigger already indexed (a device renamed after it was added). */
const fillSearchAfter = command<{ after: number; searchAfter: number }>(
  `INSERT INTO equipment_search (equipment_id, asset_tag, name, serial, model, manufacturer)
   SELECT id, asset_tag, name, serial, model, manufacturer FROM equipment
   WHERE rowid > @after AND id NOT IN (SELECT equipment_id FROM equipment_search WHERE rowid > @searchAfter)
   ORDER BY rowid`,
);

/**
 * Runs `fn`, which adds many devices, with the search index filled once at the end rather than by
 * the schema's trigger per device (issue 17): 50,000 devices inserted bare took 4.5-6.0 s indexed
 * one by one through the trigger, and 2.8-3.6 s with the index filled by one statement at the end
 * (alternated, statement journals in memory as the app keeps them). The trigger stands aside
 * inside the caller's transaction (withTriggerAside), and every device added since `fn` began is
 * indexed before it is put back, whether `fn` returns or throws.
 */
export function withSearchFilledInBulk<T>(core: WriteCore, fn: () => T): T {
  if (!core.db.inTransaction) throw new Error('The search index is filled in bulk only inside a transaction.');
  const after = lastEquipmentRowid.get(core) ?? 0;
  const searchAfter = lastSearchRowid.get(core) ?? 0;
  return withTriggerAside(core, 'equipment_search_insert', fn, () => fillSearchAfter.run(core, { after, searchAfter }));
}
