import type { equipmentChannels } from '../../../shared/contract/equipment';
import type { equipmentImportChannels } from '../../../shared/contract/equipment-import';
import type { HandlersFor } from '../dispatcher/handler';
import { job } from '../dispatcher/handler';
import { runJob } from '../worker/run';
import { exportEquipment } from './export';
import { previewEquipmentImport } from './import/service';
import { guessWithLastDone } from './import/last-done';
import { searchEquipment } from './search';
import { statusHistory } from '../status/history';
import { tagClashesOf } from '../hospital/conflict-views';
import {
  createEquipment,
  deleteEquipment,
  findEquipmentByTag,
  getEquipment,
  setEquipmentStatus,
  updateEquipment,
} from './service';

/** The inventory: equipment, its import and export. */
export const equipmentHandlers: HandlersFor<keyof typeof equipmentChannels | keyof typeof equipmentImportChannels> = {
  'equipment.search': ({ offset, limit, ...filter }, { core }) =>
    searchEquipment(core, filter, { offset: offset ?? 0, limit: limit ?? 100 }),
  'equipment.findByTag': ({ tag }, { core }) => findEquipmentByTag(core, tag),
  'equipment.get': ({ id }, { core }) => getEquipment(core, id),
  'equipment.create': (fields, { core, actor }) => createEquipment(core, actor, fields),
  'equipment.update': (input, { core, actor }) => updateEquipment(core, actor, input),
  'equipment.setStatus': (input, { core, actor }) => setEquipmentStatus(core, actor, input),
  'equipment.delete': ({ id }, { core, actor }) => deleteEquipment(core, actor, id),
  'equipment.export': ({ format, filter }, { core }) => exportEquipment(core, format, filter ?? {}),
  'equipment.statusHistory': ({ equipmentId }, { core }) => statusHistory(core, equipmentId),
  'equipment.tagClashes': ({ equipmentId }, { core }) => tagClashesOf(core, equipmentId),
  'equipment.import.guessMapping': ({ headers, mapping, generateTags }, { core }) =>
    guessWithLastDone(core, headers, mapping ?? {}, { generateTags: generateTags ?? false }),
  'equipment.import.preview': (input, { core }) => previewEquipmentImport(core, input),
  /** In the worker thread: a 50,000-row file takes seconds, and the window answers meanwhile. */
  'equipment.import.commit': job((input, { core, actor }) => runJob(core, 'equipment.import', { origin: 'equipment.import.commit', actor, input })),
};
