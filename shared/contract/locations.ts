import { z } from 'zod';
import { id } from '../domain/common';
import type { Location, LocationTreeNode } from '../domain/location';
import { LocationFields, LocationMove, LocationRename } from '../domain/location';
import { channel } from './channel';

/** Locations (site › ward › room): the places the inventory hangs on. */
export const locationChannels = {
  'locations.list': channel<Location[]>()({
    input: z.object({}).strict(),
    access: 'ward_staff',
    writes: false,
  }),
  /** Sites at the top, each with its wards and rooms, and device counts for the filter. */
  'locations.tree': channel<LocationTreeNode[]>()({
    input: z.object({}).strict(),
    access: 'technician',
    writes: false,
  }),
  'locations.create': channel<Location>()({
    input: LocationFields.strict(),
    access: 'supervisor',
    writes: true,
  }),
  /** Paths are computed, so a rename moves nothing. */
  'locations.rename': channel<Location>()({
    input: LocationRename.strict(),
    access: 'supervisor',
    writes: true,
  }),
  /** Under another parent (null: make it a site); refuses to put a location inside itself. */
  'locations.move': channel<Location>()({
    input: LocationMove.strict(),
    access: 'supervisor',
    writes: true,
  }),
  /** Only an empty location: no devices, no stock locations, no active locations inside. */
  'locations.deactivate': channel<{ id: string }>()({
    input: z.object({ id }).strict(),
    access: 'supervisor',
    writes: true,
  }),
};
