import { z } from 'zod';
import { codePointName, firstHiddenCharacter } from '../hidden-characters';
import { id, optionalDate, optionalText, requiredText } from './common';

export const EQUIPMENT_STATUSES = ['in_service', 'out_of_service', 'retired', 'missing'] as const;
export type EquipmentStatus = (typeof EQUIPMENT_STATUSES)[number];
export const STATUS_LABELS: Record<EquipmentStatus, string> = {
  in_service: 'In service',
  out_of_service: 'Out of service',
  retired: 'Retired',
  missing: 'Missing',
};

export const RISKS = ['high', 'medium', 'low'] as const;
export type Risk = (typeof RISKS)[number];

export const OWNERSHIPS = ['owned', 'leased', 'rental', 'demo'] as const;
export type Ownership = (typeof OWNERSHIPS)[number];

/** How every refusal of a tag two devices in use share (two PCs of a hub tagged them apart) ends. */
export const RENAME_ONE_OF_THEM = 'a supervisor gives one of them another tag first (the Conflicts screen lists them).';

/**
 * A screen's refusal to take one of the devices a shared tag means on a guess: "2 devices in use
 * have the tag DF-0100 (Defibrillator in 4B; Defibrillator in Emergency)", then `why`, then what
 * ends it.
 */
export function sharedTagRefusal(noun: 'tag' | 'asset tag', tag: string, devices: readonly { name: string }[], why = ''): string {
  return `${devices.length} devices in use have the ${noun} ${tag} (${devices.map((d) => d.name).join('; ')})${why}: ${RENAME_ONE_OF_THEM}`;
}

/** Asset tags compare case-insensitively after trimming; this is the key the database indexes. */
/**
 * Why a device is not deleted on a PC of a hospital's hub, said by the Delete dialog up front and by
 * main if asked all the same: the other PCs have it.
 */
export function deleteOnHubRefusal(device: { assetTag: string; name: string }): string {
  return `${device.assetTag} "${device.name}" cannot be deleted on a PC of the hospital's hub (the other PCs have it): retire it instead (status Retired).`;
}

export function assetTagKey(tag: string): string {
  return tag.trim().toUpperCase();
}

const PLAIN_ASCII = /^[!-~]+(?: [!-~]+)*$/;

/**
 * Why a tag would not print as what it is, or null: the barcode holds the tag and the sticker
 * prints it, so two devices must never carry tags that print the same (a scan would open one of
 * them). Refused: characters that print as nothing or reorder the text and spaces other than the
 * plain one (the rule user names follow, shared/hidden-characters.ts), two spaces in a row, and
 * full-width or other compatibility forms (Unicode's NFKC): the tag saved is the one that prints,
 * so "ＩＰ－０００１" is asked for as "IP-0001". Tags in any script (Arabic, with an emoji) are
 * welcome; one that prints like another device's is refused where the inventory is known
 * (main/core/equipment/look-alike-tags.ts).
 */
export function assetTagProblem(tag: string): string | null {
  // Printable ASCII with single spaces (nearly every tag, 50,000 of a file) prints as itself.
  if (PLAIN_ASCII.test(tag)) return null;
  if (/\p{Cc}/u.test(tag)) return 'must not contain control characters';
  const hidden = firstHiddenCharacter(tag);
  if (hidden?.space) return `holds a space other than the plain one (${hidden.code}), which prints like a space: type plain spaces only`;
  if (hidden) {
    return `holds an invisible character (${hidden.code}), which prints as nothing or reorders the text: type the tag as its label shows it`;
  }
  if (tag.includes('  ')) return 'holds two spaces in a row, which print like one: type one space';
  const plain = tag.normalize('NFKC');
  if (plain !== tag) {
    const odd = [...tag].find((ch) => ch.normalize('NFKC') !== ch);
    const which = odd
      ? `a full-width or compatibility form (${codePointName(odd)}, printed like "${odd.normalize('NFKC')}")`
      : 'letters written as separate marks';
    return `holds ${which}: type it as ${plain}`;
  }
  return null;
}

export const assetTag = z
  .string({ message: 'is required' })
  .max(64, { message: 'must be at most 64 characters' })
  .transform((s) => s.trim())
  .refine((s) => s.length > 0, { message: 'is required' })
  .superRefine((s, ctx) => {
    const problem = assetTagProblem(s);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** The fields a person edits. Location is required; everything optional is null when blank. */
export const EquipmentFields = z.object({
  assetTag,
  name: requiredText(200),
  locationId: id,
  categoryId: id.nullable().optional().transform((v) => v ?? null),
  manufacturer: optionalText(200),
  model: optionalText(200),
  serial: optionalText(200),
  risk: z.enum(RISKS).nullable().optional().transform((v) => v ?? null),
  ownership: z.enum(OWNERSHIPS).nullable().optional().transform((v) => v ?? null),
  acquiredOn: optionalDate,
  inServiceOn: optionalDate,
  warrantyUntil: optionalDate,
  referenceStandard: z.boolean().optional().transform((v) => v ?? false),
  notes: optionalText(4000),
});
export type EquipmentFieldsInput = z.input<typeof EquipmentFields>;
export type EquipmentFieldsValue = z.output<typeof EquipmentFields>;

export interface Equipment {
  id: string;
  assetTag: string;
  name: string;
  locationId: string;
  /** `Site > Ward > Room` */
  locationPath: string;
  categoryId: string | null;
  categoryName: string | null;
  manufacturer: string | null;
  model: string | null;
  serial: string | null;
  risk: Risk | null;
  ownership: Ownership | null;
  status: EquipmentStatus;
  statusReason: string | null;
  acquiredOn: string | null;
  inServiceOn: string | null;
  warrantyUntil: string | null;
  referenceStandard: boolean;
  notes: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A device's fields plus its id: what an edit sends. Status changes go through their own action. */
export const EquipmentUpdate = EquipmentFields.extend({ id });
export type EquipmentUpdateValue = z.output<typeof EquipmentUpdate>;

export const StatusChange = z.object({
  id,
  status: z.enum(EQUIPMENT_STATUSES, { message: 'must be in service, out of service, retired or missing' }),
  reason: requiredText(500),
  /** The status the dialog opened with: when someone else changed it meanwhile, the change is refused, not made over theirs. */
  expected: z.object({ status: z.enum(EQUIPMENT_STATUSES) }).strict().optional(),
});

/**
 * The field names of files (docs/cli.md): import columns, export columns and JSON keys, in the
 * order an export writes them. Part of the published interface: add, never rename.
 */
export const EQUIPMENT_FILE_FIELDS = [
  'asset_tag',
  'name',
  'location',
  'category',
  'manufacturer',
  'model',
  'serial',
  'risk',
  'ownership',
  'status',
  'acquired_on',
  'in_service_on',
  'warranty_until',
  'reference_standard',
  'notes',
] as const;
export type EquipmentFileField = (typeof EQUIPMENT_FILE_FIELDS)[number];
export const REQUIRED_FILE_FIELDS: readonly EquipmentFileField[] = ['asset_tag', 'name', 'location'];

/** Folds a header or a word for matching: case, spaces, `_`, `-` and other punctuation ignored. */
export function foldWord(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
}

/**
 * Column headers other inventories use, matched after folding (so `Serial No.`, `serial_no` and
 * `SERIAL-NO` are one). Field names themselves always match. A header found here and a second
 * one for the same field is a problem the user settles with `--map`. Deliberately absent:
 * `Type` (device type or task type?), `Condition` (good/fair/poor is not a status), `Owner`
 * (a person or a department), `Reference` (usually a reference number).
 */
export const HEADER_ALIASES: Record<EquipmentFileField, readonly string[]> = {
  asset_tag: ['Asset Tag', 'Tag', 'Tag No', 'Tag Number', 'Asset', 'Asset No', 'Asset Number', 'Asset ID', 'Asset Code', 'Code', 'Equipment Code', 'Equipment ID', 'Equipment No', 'Equipment Number', 'Inventory No', 'Inventory Number', 'Barcode', 'Control No', 'Control Number'],
  name: ['Name', 'Description', 'Equipment', 'Equipment Name', 'Equipment Type', 'Equipment Description', 'Device', 'Device Name', 'Device Type', 'Device Description', 'Item', 'Item Name', 'Item Description'],
  location: ['Location', 'Location Path', 'Department', 'Dept', 'Ward', 'Area'],
  category: ['Category', 'Equipment Category', 'Device Category', 'Group', 'Equipment Group'],
  manufacturer: ['Manufacturer', 'Make', 'Brand', 'Maker', 'Mfr', 'Mfg', 'Manufacturer Name'],
  model: ['Model', 'Model No', 'Model Number', 'Model Name'],
  serial: ['Serial', 'Serial Number', 'Serial No', 'SN', 'S/N'],
  risk: ['Risk', 'Risk Level', 'Risk Class', 'Risk Category', 'Criticality'],
  ownership: ['Ownership', 'Ownership Type', 'Acquisition Type'],
  status: ['Status', 'State', 'Equipment Status', 'Operational Status', 'Working Status'],
  acquired_on: ['Acquired On', 'Acquired', 'Acquisition Date', 'Date Acquired', 'Purchase Date', 'Purchased', 'Purchased On', 'Date Purchased', 'Date Received'],
  in_service_on: ['In Service On', 'In Service Date', 'In Service Since', 'Commissioned', 'Commissioned On', 'Commissioning Date', 'Installation Date', 'Installed On', 'Date Installed'],
  warranty_until: ['Warranty Until', 'Warranty', 'Warranty End', 'Warranty End Date', 'Warranty Expiry', 'Warranty Expires', 'Warranty Expiration', 'Warranty Expiration Date'],
  reference_standard: ['Reference Standard', 'Calibration Standard', 'Test Equipment'],
  notes: ['Notes', 'Note', 'Comments', 'Comment', 'Remarks', 'Remark'],
};

/**
 * Status words of other systems, matched after folding (`Under Maintenance` = `UnderMaintenance`).
 * A blank status means in service. `PartiallyOperational` is out of service: a device that only
 * partly works must not be used on a patient until someone has looked at it.
 */
export const STATUS_SYNONYMS: Record<EquipmentStatus, readonly string[]> = {
  in_service: ['in_service', 'In service', 'Operational', 'Active', 'In use', 'Working', 'Functional', 'Available', 'OK'],
  out_of_service: [
    'out_of_service',
    'Out of service',
    'UnderMaintenance',
    'Maintenance',
    'PartiallyOperational',
    'Broken',
    'Repair',
    'In repair',
    'Under repair',
    'Faulty',
    'Defective',
    'Not working',
    'Do not use',
    'Quarantined',
  ],
  retired: ['retired', 'Disposed', 'Condemned', 'Decommissioned', 'Scrapped', 'Written off'],
  missing: ['missing', 'Lost', 'Stolen', 'Not found', 'Not located'],
};

const STATUS_BY_WORD = new Map<string, EquipmentStatus>(
  EQUIPMENT_STATUSES.flatMap((status) => STATUS_SYNONYMS[status].map((w) => [foldWord(w), status] as const)),
);

/** The status a word from a file means, or null when it is not a known word. Blank is in service. */
export function statusFromWord(word: string): EquipmentStatus | null {
  const key = foldWord(word);
  if (key === '') return 'in_service';
  return STATUS_BY_WORD.get(key) ?? null;
}
