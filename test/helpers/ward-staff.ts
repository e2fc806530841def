import type { ChannelName } from '../../shared/contract';

/**
 * What ward staff reach: Today, device pages and reporting a fault (issue 16), with what those
 * screens read; every other channel is above them.
 */
export const WARD_STAFF_CHANNELS: readonly ChannelName[] = [
  'auth.touch',
  'auth.setOwnPin',
  'settings.get',
  'due.today',
  'locations.list',
  'equipment.get',
  'equipment.findByTag',
  'equipment.statusHistory',
  'equipment.tagClashes',
  'plans.list',
  'completions.get',
  'completions.history',
  'taskTypes.list',
  'workOrders.report',
  'workOrders.ofEquipment',
  // The header's sync line: whether the DO NOT USE list they read is current (a reduced view: hospital/handlers.ts).
  'sync.status',
];
