import type { locationChannels } from '../../../shared/contract/locations';
import type { HandlersFor } from '../dispatcher/handler';
import { createLocation, deactivateLocation, listLocations, locationTree, moveLocation, renameLocation } from './service';

export const locationHandlers: HandlersFor<keyof typeof locationChannels> = {
  'locations.list': (_input, { core }) => listLocations(core),
  'locations.tree': (_input, { core }) => locationTree(core),
  'locations.create': (input, { core, actor }) => createLocation(core, actor, input),
  'locations.rename': (input, { core, actor }) => renameLocation(core, actor, input),
  'locations.move': (input, { core, actor }) => moveLocation(core, actor, input),
  'locations.deactivate': ({ id }, { core, actor }) => deactivateLocation(core, actor, id),
};
