/** Human names of input fields, for error sentences ("Asset tag is required."). */
const FIELD_LABELS: Record<string, string> = {
  assetTag: 'Asset tag',
  locationId: 'Location',
  categoryId: 'Category',
  parentId: 'Parent location',
  serial: 'Serial number',
  acquiredOn: 'Acquired on',
  inServiceOn: 'In service since',
  warrantyUntil: 'Warranty until',
  referenceStandard: 'Reference standard',
  pin: 'PIN',
  id: 'Id',
};

export function fieldLabel(field: string): string {
  const last = field.split('.').filter((p) => !/^\d+$/.test(p)).pop() ?? field;
  const known = FIELD_LABELS[last];
  if (known) return known;
  const words = last.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/_/g, ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** "1 plan", "3 plans": a count with its noun, for sentences shown to people. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
