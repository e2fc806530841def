import { z } from 'zod';
import { id } from '../domain/common';
import type { Equipment } from '../domain/equipment';
import { EquipmentFields } from '../domain/equipment';
import type { Location } from '../domain/location';
import { LocationFields } from '../domain/location';
import { channel } from './channel';

export interface EquipmentListRow {
  id: string;
  assetTag: string;
  name: string;
  locationPath: string;
  status: Equipment['status'];
}

export const equipmentChannels = {
  'equipment.list': channel<EquipmentListRow[]>()({
    input: z.object({}).strict(),
    access: 'technician',
    writes: false,
  }),
  'equipment.get': channel<Equipment>()({
    input: z.object({ id }).strict(),
    access: 'technician',
    writes: false,
  }),
  'equipment.create': channel<Equipment>()({
    input: EquipmentFields.strict(),
    access: 'supervisor',
    writes: true,
  }),
  'locations.list': channel<Location[]>()({
    input: z.object({}).strict(),
    access: 'technician',
    writes: false,
  }),
  'locations.create': channel<Location>()({
    input: LocationFields.strict(),
    access: 'supervisor',
    writes: true,
  }),
};
