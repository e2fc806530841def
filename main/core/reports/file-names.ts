import type { Core } from '../context';
import { listLocations } from '../locations/service';

/**
 * The parts of a report's file name that say what it was limited to (a ward's file saved beside
 * the hospital's, or handed to an auditor, must not carry the hospital's name): the CSV files and
 * the PDFs' suggested names of the compliance, downtime, failures, due list and open work orders.
 * With no filter the name stays as it was.
 */

/** A name as a file name's part: "Ward 4B" as "ward-4b". */
export const slug = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '') || 'x';

/** The locations ticked, as a file name's part ("ward-4b-ward-4c"; "5-locations" beyond three); null for all. */
export function locationsPart(core: Core, locationIds: readonly string[] | undefined): string | null {
  if (!locationIds || locationIds.length === 0) return null;
  if (locationIds.length > 3) return `${locationIds.length}-locations`;
  const byId = new Map(listLocations(core).map((l) => [l.id, l]));
  return locationIds.map((id) => slug(byId.get(id)?.name ?? 'gone')).join('-');
}

/** The tasks ticked (their codes), as a file name's part ("calibration"; "4-tasks" beyond three); null for all. */
export function tasksPart(tasks: readonly string[] | undefined): string | null {
  if (!tasks || tasks.length === 0) return null;
  return tasks.length > 3 ? `${tasks.length}-tasks` : tasks.map(slug).join('-');
}

/** `base` with the parts that are not null, each after a hyphen. */
export function scopedName(base: string, ...parts: (string | null)[]): string {
  return [base, ...parts.filter((p): p is string => p !== null)].join('-');
}
