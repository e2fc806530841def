import type { equipmentChannels } from '../../../shared/contract/equipment';
import { inTransaction } from '../context';
import { createEquipment, getEquipment, listEquipment } from '../services/equipment';
import { createLocation, listLocations } from '../services/locations';
import type { HandlersFor } from './types';

export const equipmentHandlers: HandlersFor<keyof typeof equipmentChannels> = {
  'equipment.list': (_input, { core }) => listEquipment(core),
  'equipment.get': ({ id }, { core }) => getEquipment(core, id),
  'equipment.create': (fields, { core, actor }) => inTransaction(core, () => createEquipment(core, actor, fields)),
  'locations.list': (_input, { core }) => listLocations(core),
  'locations.create': (input, { core, actor }) => inTransaction(core, () => createLocation(core, actor, input)),
};
