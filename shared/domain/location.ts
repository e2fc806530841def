import { z } from 'zod';
import { id, requiredText } from './common';

export const LOCATION_KINDS = ['site', 'ward', 'room'] as const;
export type LocationKind = (typeof LOCATION_KINDS)[number];

export const PATH_SEPARATOR = ' > ';

/** Splits `Site > Ward > Room` (also accepting `>` without spaces) into trimmed, non-empty parts. */
export function splitLocationPath(path: string): string[] {
  return path
    .split('>')
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
}

export const LocationFields = z.object({
  name: requiredText(120).refine((s) => !s.includes('>'), { message: 'must not contain ">"' }),
  parentId: id.nullable().optional().transform((v) => v ?? null),
});

export interface Location {
  id: string;
  parentId: string | null;
  name: string;
  kind: LocationKind;
  path: string;
}

const locationName = requiredText(120).refine((s) => !s.includes('>'), { message: 'must not contain ">"' });

/**
 * A rename; `expected` is the name the Rename dialog opened with, compared as it is and never
 * saved: when someone else renamed the place meanwhile, the rename is refused, not made over theirs.
 */
export const LocationRename = z.object({ id, name: locationName, expected: z.object({ name: z.string().max(1000) }).strict().optional() });
export const LocationMove = z.object({ id, parentId: id.nullable() });

/** A location in the filter tree, with how many devices it and everything inside it hold. */
export interface LocationTreeNode extends Location {
  /** Devices here, not counting those in rooms inside. */
  equipmentCount: number;
  /** Devices here and anywhere inside. */
  totalCount: number;
  /**
   * Set when its name prints like another place's beside it (the same site or ward), without being
   * the same name: what the Locations screen says about it (locations/service.ts). Null otherwise.
   */
  printsLike: string | null;
  children: LocationTreeNode[];
}

/**
 * `localeCompare(b, undefined, { numeric: true })` builds this collator again on every call (about
 * 5 µs in V8, issue 17: Today sorted its wards and every location by it on each refresh); the
 * standard defines that call as this collator's compare, so the order is the same.
 */
const placeCollator = new Intl.Collator(undefined, { numeric: true });
/**
 * Names in the order a ward numbers them: Bay 2 before Bay 10 (digits compared as numbers), as
 * the tree and every list of locations show them.
 */
export const byPlaceName = (a: string, b: string): number => placeCollator.compare(a, b);
