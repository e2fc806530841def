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
  temporaryPin: 'Temporary PIN',
  newPin: 'New PIN',
  skip: 'Labels already used',
  dueOnOrAfter: 'Due from',
  dueOnOrBefore: 'Due to',
  asOf: 'As of',
  performedAt: 'Performed at',
  homeLocationId: 'Home ward',
  equipmentIds: 'Devices',
  id: 'Id',
  hub: 'Hub address',
  code: 'One-time code',
  fingerprintChecked: 'The fingerprint check',
  failureCodeId: 'Failure code',
  causeCodeId: 'Cause code',
  secret: 'Your PIN or password',
  // As the plan dialog and a category's default plan label them.
  windowDays: 'Window (days)',
  graceDays: 'Grace (days)',
};

/** What one element of a list is called, for "Point 2 name" from `points.1.label`. */
const ITEM_NAMES: Record<string, string> = {
  points: 'Point',
  checks: 'Check',
  steps: 'Step',
  readings: 'Reading',
  lines: 'Line',
  suppliesUsed: 'Supply',
  partsUsed: 'Part',
  restock: 'Restock',
  discards: 'Discard',
};

/** The fields of those elements, as the editors label their columns. */
const ITEM_FIELD_LABELS: Record<string, string> = {
  label: 'name',
  min: 'lower limit',
  max: 'upper limit',
  nominal: 'nominal value',
  asFound: 'as-found reading',
  asLeft: 'as-left reading',
};

const words = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/_/g, ' ').toLowerCase();

export function fieldLabel(field: string): string {
  const parts = field.split('.');
  // An element of a list: "Point 2 name", "Check 1" (the whole check).
  for (let i = parts.length - 1; i > 0; i--) {
    const item = ITEM_NAMES[parts[i - 1]!];
    if (!item || !/^\d+$/.test(parts[i]!)) continue;
    const rest = parts.slice(i + 1).filter((p) => !/^\d+$/.test(p));
    const leaf = rest.at(-1);
    const number = Number(parts[i]) + 1;
    return leaf ? `${item} ${number} ${ITEM_FIELD_LABELS[leaf] ?? words(leaf)}` : `${item} ${number}`;
  }
  const last = parts.filter((p) => !/^\d+$/.test(p)).pop() ?? field;
  const known = FIELD_LABELS[last];
  if (known) return known;
  const w = words(last);
  return w.charAt(0).toUpperCase() + w.slice(1);
}

/** A label inside a sentence: "Cleaning" → "cleaning"; an acronym ("PAT test") is kept as it is. */
export const lowerFirst = (words: string): string => (/^\p{Lu}\p{Ll}/u.test(words) ? words[0]!.toLowerCase() + words.slice(1) : words);

/** "1 plan", "3 plans": a count with its noun, for sentences shown to people. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
