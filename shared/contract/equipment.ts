import { z } from 'zod';
import { id, isoDate } from '../domain/common';
import type { Equipment, EquipmentStatus, Risk } from '../domain/equipment';
import { EQUIPMENT_STATUSES, EquipmentFields, EquipmentUpdate, OWNERSHIPS, RISKS, StatusChange } from '../domain/equipment';
import type { StatusChangeView } from '../domain/work-order';
import type { ClashItem } from './sync';
import { channel } from './channel';

export interface EquipmentListRow {
  id: string;
  assetTag: string;
  name: string;
  locationId: string;
  locationPath: string;
  categoryId: string | null;
  categoryName: string | null;
  manufacturer: string | null;
  model: string | null;
  serial: string | null;
  risk: Risk | null;
  status: EquipmentStatus;
  /**
   * The device's most urgent active plan today (overdue, then due, then the soonest), with its
   * status, so every list can flag overdue work and "do not use"; null when it has no plan.
   */
  nextDue: {
    task: string;
    taskLabel: string;
    dueDate: string;
    status: 'overdue' | 'due' | 'scheduled' | 'suspended';
    daysOverdue: number;
    doNotUse: boolean;
  } | null;
}

export const EQUIPMENT_SORT_COLUMNS = [
  'assetTag',
  'name',
  'category',
  'location',
  'manufacturer',
  'model',
  'serial',
  'risk',
  'status',
  'nextDue',
] as const;
export type EquipmentSortColumn = (typeof EQUIPMENT_SORT_COLUMNS)[number];

/** What the list shows: free text, filters and order. Shared by the list, its count and the export. */
export const EquipmentFilter = z.object({
  /** Words matched anywhere in tag, name, serial, model or manufacturer; every word must match. */
  text: z.string().max(200).optional(),
  /** This location and everything inside it. */
  locationId: id.optional(),
  categoryId: id.optional(),
  risks: z.array(z.enum(RISKS)).max(RISKS.length).optional(),
  statuses: z.array(z.enum(EQUIPMENT_STATUSES)).max(EQUIPMENT_STATUSES.length).optional(),
  sort: z.enum(EQUIPMENT_SORT_COLUMNS).optional(),
  direction: z.enum(['asc', 'desc']).optional(),
});
export type EquipmentFilterValue = z.output<typeof EquipmentFilter>;

export const EquipmentSearch = EquipmentFilter.extend({
  offset: z.number().int().min(0).optional(),
  limit: z.number().int().min(1).max(1000).optional(),
});
export type EquipmentSearchValue = z.output<typeof EquipmentSearch>;

export interface EquipmentPage {
  rows: EquipmentListRow[];
  /** How many devices match the filter, whatever the page. */
  total: number;
  offset: number;
  limit: number;
}

export interface EquipmentExport {
  /** A name to offer in the save dialog, e.g. `wardkeep-equipment-2025-11-25.csv`. */
  fileName: string;
  content: string;
  count: number;
}

/** The person confirmed dates shared/plausible-dates.ts asks about (a device in service in 2099…). */
const CONFIRM_DATES = { confirmDates: z.boolean().optional() };
/** Task → when it was last done before the device came: its category's default plan of that task starts from there (issue 16). */
const LAST_DONE = { lastDone: z.record(z.string().min(1).max(40), isoDate).optional() };

/**
 * A device's fields as the edit dialog opened with them (the saved values, untrimmed and unchecked:
 * a tag kept from before a rule is still what the device has). Compared as they are, never saved.
 */
const text = (max: number) => z.string().max(max).nullable();
export const EquipmentExpected = z
  .object({
    assetTag: z.string().max(200),
    name: z.string().max(200),
    locationId: z.string().max(100),
    categoryId: z.string().max(100).nullable(),
    manufacturer: text(200),
    model: text(200),
    serial: text(200),
    risk: z.enum(RISKS).nullable(),
    ownership: z.enum(OWNERSHIPS).nullable(),
    acquiredOn: text(10),
    inServiceOn: text(10),
    warrantyUntil: text(10),
    referenceStandard: z.boolean(),
    notes: text(4000),
  })
  .strict();
export type EquipmentExpectedValue = z.output<typeof EquipmentExpected>;

/** A device's fields as saved: what an edit opened with, sent as the save's `expected`. */
export function equipmentExpected(e: Equipment): EquipmentExpectedValue {
  return {
    assetTag: e.assetTag,
    name: e.name,
    locationId: e.locationId,
    categoryId: e.categoryId,
    manufacturer: e.manufacturer,
    model: e.model,
    serial: e.serial,
    risk: e.risk,
    ownership: e.ownership,
    acquiredOn: e.acquiredOn,
    inServiceOn: e.inServiceOn,
    warrantyUntil: e.warrantyUntil,
    referenceStandard: e.referenceStandard,
    notes: e.notes,
  };
}

/** A device found by its tag (`equipment.findByTag`). */
export interface FoundByTag {
  id: string;
  assetTag: string;
  name: string;
  /**
   * Every device in use with this tag, with its place, when there are two or more (two PCs of a
   * hospital's hub tagged them apart): a scan asks which one is in front of the person. Empty
   * otherwise, and then `id` is the one device.
   */
  sameTag: { id: string; assetTag: string; name: string; place: string }[];
}

export const equipmentChannels = {
  /** Every device, sorted by tag. Prefer `equipment.search` for screens: it pages. */
  'equipment.search': channel<EquipmentPage>()({
    input: EquipmentSearch.strict(),
    access: 'technician',
    writes: false,
  }),
  /**
   * The barcode lookup: exact tag, case and surrounding spaces ignored; `not_found` otherwise. While
   * two PCs' clash over the tag stands, `sameTag` lists every device in use with it, to choose from.
   */
  'equipment.findByTag': channel<FoundByTag>()({
    input: z.object({ tag: z.string().max(200) }).strict(),
    access: 'ward_staff',
    writes: false,
  }),
  'equipment.get': channel<Equipment>()({
    input: z.object({ id }).strict(),
    access: 'ward_staff',
    writes: false,
  }),
  'equipment.create': channel<Equipment>()({
    input: EquipmentFields.extend(CONFIRM_DATES).extend(LAST_DONE).strict(),
    access: 'supervisor',
    writes: true,
  }),
  /**
   * `expected`: the device's fields as the edit dialog opened with them. When the device no longer
   * has them (another supervisor, in another window or on another PC, changed it meanwhile) the
   * save is refused, not made over that change (equipment/service.ts, updateEquipment).
   */
  'equipment.update': channel<Equipment>()({
    input: EquipmentUpdate.extend(CONFIRM_DATES).extend({ expected: EquipmentExpected.optional() }).strict(),
    access: 'supervisor',
    writes: true,
  }),
  /**
   * In service, out of service, retired or missing, with a reason. A technician takes a device
   * out of service by logging the failed test (docs/scheduling.md, "Status on a day"), not through this.
   */
  'equipment.setStatus': channel<Equipment>()({
    input: StatusChange.strict(),
    access: 'supervisor',
    writes: true,
  }),
  /** Only a device with no plans or history; otherwise the error says to retire it. */
  'equipment.delete': channel<{ id: string }>()({
    input: z.object({ id }).strict(),
    access: 'supervisor',
    writes: true,
  }),
  /** Every change of a device's service status: from, to, when, who, why, and what caused it (issue 16). */
  'equipment.statusHistory': channel<StatusChangeView[]>()({ input: z.object({ equipmentId: id }).strict(), access: 'ward_staff', writes: false }),
  /**
   * The device's tag on another device in use, or a tag printing like it (two PCs of a hub tagged
   * them apart: sync/keys.ts listClashes), each with every device it is on: what the device's page
   * says, for whoever opens it. Empty while the tag is its own.
   */
  'equipment.tagClashes': channel<ClashItem[]>()({ input: z.object({ equipmentId: id }).strict(), access: 'ward_staff', writes: false }),
  'equipment.export': channel<EquipmentExport>()({
    input: z.object({ format: z.enum(['csv', 'json']), filter: EquipmentFilter.strict().optional() }).strict(),
    access: 'technician',
    writes: false,
  }),
};
