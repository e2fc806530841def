import type { equipmentChannels } from '../../../shared/contract/equipment';
import { inTransaction } from '../context';
import { commitEquipmentImport, previewEquipmentImport } from '../import/equipment-import';
import { guessMapping } from '../import/mapping';
import { createCategory, deleteCategory, listCategories, updateCategory } from '../services/categories';
import {
  createEquipment,
  deleteEquipment,
  findEquipmentByTag,
  getEquipment,
  listEquipment,
  setEquipmentStatus,
  updateEquipment,
} from '../services/equipment';
import { exportEquipment } from '../services/inventory-export';
import { searchEquipment } from '../services/inventory-search';
import { createLocation, deactivateLocation, listLocations, locationTree, moveLocation, renameLocation } from '../services/locations';
import type { HandlersFor } from './types';

/** The inventory: equipment, its import and export, locations and categories. */
export const equipmentHandlers: HandlersFor<keyof typeof equipmentChannels> = {
  'equipment.list': (_input, { core }) => listEquipment(core),
  'equipment.search': ({ offset, limit, ...filter }, { core }) =>
    searchEquipment(core, filter, { offset: offset ?? 0, limit: limit ?? 100 }),
  'equipment.findByTag': ({ tag }, { core }) => findEquipmentByTag(core, tag),
  'equipment.get': ({ id }, { core }) => getEquipment(core, id),
  'equipment.create': (fields, { core, actor }) => inTransaction(core, () => createEquipment(core, actor, fields)),
  'equipment.update': (input, { core, actor }) => inTransaction(core, () => updateEquipment(core, actor, input)),
  'equipment.setStatus': (input, { core, actor }) => inTransaction(core, () => setEquipmentStatus(core, actor, input)),
  'equipment.delete': ({ id }, { core, actor }) => inTransaction(core, () => deleteEquipment(core, actor, id)),
  'equipment.export': ({ format, filter }, { core }) => exportEquipment(core, format, filter ?? {}),
  'equipment.import.guessMapping': ({ headers, mapping, generateTags }) =>
    guessMapping(headers, mapping ?? {}, { generateTags: generateTags ?? false }),
  'equipment.import.preview': (input, { core }) => previewEquipmentImport(core, input),
  'equipment.import.commit': (input, { core, actor }) => commitEquipmentImport(core, actor, input),
  'locations.list': (_input, { core }) => listLocations(core),
  'locations.tree': (_input, { core }) => locationTree(core),
  'locations.create': (input, { core, actor }) => inTransaction(core, () => createLocation(core, actor, input)),
  'locations.rename': (input, { core, actor }) => inTransaction(core, () => renameLocation(core, actor, input)),
  'locations.move': (input, { core, actor }) => inTransaction(core, () => moveLocation(core, actor, input)),
  'locations.deactivate': ({ id }, { core, actor }) => inTransaction(core, () => deactivateLocation(core, actor, id)),
  'categories.list': (_input, { core }) => listCategories(core),
  'categories.create': (input, { core, actor }) => inTransaction(core, () => createCategory(core, actor, input)),
  'categories.update': (input, { core, actor }) => inTransaction(core, () => updateCategory(core, actor, input)),
  'categories.delete': ({ id }, { core, actor }) => inTransaction(core, () => deleteCategory(core, actor, id)),
};
