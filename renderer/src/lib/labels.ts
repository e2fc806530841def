import type { EquipmentFileField, Ownership, Risk } from '../../../shared/domain/equipment';

export const RISK_LABELS: Record<Risk, string> = {
  high: 'High',
  medium: 'Medium',
  low: 'Low',
};

/** The longer wording the forms use, so nobody wonders where life support goes. */
export const RISK_CHOICE_LABELS: Record<Risk, string> = {
  high: 'High (incl. life support)',
  medium: 'Medium',
  low: 'Low',
};

export const OWNERSHIP_LABELS: Record<Ownership, string> = {
  owned: 'Owned',
  leased: 'Leased',
  rental: 'Rental',
  demo: 'Demo',
};

/** The file fields (docs/cli.md) as the mapping screen names them; the same words as the device form. */
export const FILE_FIELD_LABELS: Record<EquipmentFileField, string> = {
  asset_tag: 'Asset tag',
  name: 'Name',
  location: 'Location',
  category: 'Category',
  manufacturer: 'Manufacturer',
  model: 'Model',
  serial: 'Serial number',
  risk: 'Risk',
  ownership: 'Ownership',
  status: 'Status',
  acquired_on: 'Acquired on',
  in_service_on: 'In service since',
  warranty_until: 'Warranty until',
  reference_standard: 'Reference standard',
  notes: 'Notes',
};
