import type { ChannelName } from '../../../shared/contract';

/**
 * Which reads a write makes stale, by topic. Each read channel declares the topics its answer
 * depends on; each write channel the topics it changes. When main says something was written
 * ('data.changed' with the channel), the queries whose topics meet the write's are read again if
 * they are on screen, and marked stale otherwise; nothing else is asked again. A channel not listed
 * here (the day changing at midnight, the PC waking) makes every query stale: the safe answer.
 * test/unit/renderer/invalidation.test.ts keeps the two maps complete against the contract.
 */
export const TOPICS = [
  'session',
  'users',
  'settings',
  'backups',
  'health',
  'locations',
  'categories',
  'procedures',
  'equipment',
  'plans',
  'records',
  'stock',
  'sync',
  'repairs',
  'tasks',
] as const;
export type Topic = (typeof TOPICS)[number];

const DUE: readonly Topic[] = ['plans', 'equipment', 'locations', 'records', 'settings', 'repairs'];
const REPAIRS: readonly Topic[] = ['repairs', 'equipment', 'records', 'locations', 'settings'];
const STOCK: readonly Topic[] = ['stock', 'locations', 'equipment', 'plans', 'records', 'settings'];

/** What each read's answer depends on. [] for reads never kept (one-off answers, files) or that never change. */
export const READS: Partial<Record<ChannelName, readonly Topic[]>> = {
  'app.health': ['health'],
  'app.info': [],
  'auth.status': ['session', 'users', 'settings'],
  'auth.candidates': ['users', 'settings', 'locations'],
  'auth.touch': [],
  'users.list': ['users', 'locations'],
  'settings.get': ['settings'],
  'backups.status': ['backups'],
  'backups.run': [],
  'backups.inspect': ['backups'],
  'equipment.search': ['equipment', 'locations', 'categories', 'plans', 'records'],
  'equipment.findByTag': [],
  'equipment.get': ['equipment', 'locations', 'categories'],
  'equipment.export': [],
  'equipment.import.guessMapping': [],
  'equipment.import.preview': [],
  'locations.list': ['locations'],
  'locations.tree': ['locations', 'equipment'],
  'categories.list': ['categories', 'equipment'],
  // Its late-entry days and stock-expiry flags are Settings'.
  'log.form': ['tasks', 'plans', 'procedures', 'records', 'equipment', 'stock', 'users', 'settings'],
  'log.referenceStandards': ['plans', 'records', 'equipment', 'locations'],
  // A record shows its task by the task type's label and its reference standard by the device's tag
  // and name, each read when the record is: a rename changes them.
  'completions.get': ['records', 'tasks', 'equipment'],
  'completions.history': ['records', 'tasks', 'equipment'],
  'taskTypes.list': ['tasks'],
  'equipment.statusHistory': ['equipment', 'repairs'],
  // A tag given on another PC arrives by sync; one changed here is an equipment write.
  'equipment.tagClashes': ['sync', 'equipment', 'locations'],
  'workOrders.ofEquipment': REPAIRS,
  'workOrders.list': REPAIRS,
  'workOrders.get': [...REPAIRS, 'stock', 'plans'],
  'workOrders.codes': ['repairs'],
  // Its do-not-use reasons are main's sentences, with the due date in the date format setting.
  'plans.list': ['plans', 'equipment', 'records', 'settings'],
  'due.today': [...DUE, 'users'],
  'categoryPlans.list': ['categories', 'tasks'],
  'procedures.forCategory': ['procedures'],
  'stock.items.list': ['stock'],
  'stock.locations.list': STOCK,
  'stock.locations.get': STOCK,
  'stock.transactions': ['stock'],
  'stock.checks.get': ['stock', 'records'],
  'stock.supplyChoices': ['stock', 'equipment', 'locations'],
  'stock.reorderList': STOCK,
  'stock.expiryList': STOCK,
  'stock.reorderDocument': STOCK,
  'stock.expiryDocument': STOCK,
  'stock.export': [],
  'reports.dueList': DUE,
  'reports.dueExport': [],
  'reports.history': ['records', 'tasks', 'equipment', 'locations', 'settings'],
  'reports.compliance': DUE,
  'reports.downtime': ['equipment', 'repairs', 'locations', 'categories'],
  'reports.downtimeCsv': [],
  'reports.downtimeDocument': ['equipment', 'repairs', 'locations', 'categories', 'settings'],
  'reports.failures': ['equipment', 'repairs', 'locations', 'categories', 'settings'],
  'reports.failuresCsv': [],
  'reports.openWorkOrders': [...REPAIRS, 'users'],
  'reports.openWorkOrdersCsv': [],
  'reports.complianceCsv': [],
  'reports.stickers': DUE,
  'print.document': [],
  'print.job': [],
  // Re-read every few seconds on a PC in a hub (lib/sync-status.ts): that follows the changes waiting too.
  'sync.status': ['sync'],
  'sync.peek': [],
  'sync.pcs': ['sync'],
  // Derived from the rows themselves: a rename, a retirement or a deactivation ends a clash.
  'sync.clashes': ['sync', 'equipment', 'users', 'locations', 'categories', 'stock', 'repairs'],
  'sync.conflicts': ['sync', 'equipment', 'users', 'locations', 'categories', 'plans', 'settings'],
  'sync.changes': ['sync', 'records', 'equipment', 'plans', 'locations'],
};

const EQUIPMENT_WRITE: readonly Topic[] = ['equipment', 'plans', 'locations', 'categories', 'stock'];
// A signed record may open, join or close a work order (a failed test, a post-repair check).
const RECORD_WRITE: readonly Topic[] = ['records', 'plans', 'equipment', 'stock', 'repairs'];
const REPAIR_STEP: readonly Topic[] = ['repairs', 'equipment', 'records', 'stock', 'plans'];

/** What each write changes. */
export const WRITES: Partial<Record<ChannelName, readonly Topic[]>> = {
  'auth.setupFirstAdmin': ['session', 'users'],
  'auth.signIn': ['session', 'users'],
  'auth.signOut': ['session'],
  'auth.lock': ['session'],
  'auth.setOwnPin': ['session', 'users'],
  'users.create': ['users'],
  'users.update': ['users', 'session'],
  'users.setActive': ['users'],
  'users.resetPin': ['users'],
  'settings.update': ['settings', 'session'],
  'backups.chooseFolder': ['backups'],
  'backups.useDefaultFolder': ['backups'],
  // A restore replaces the whole database: main also sends 'database.restored'.
  'backups.restore': [...TOPICS],
  'equipment.create': EQUIPMENT_WRITE,
  'equipment.update': EQUIPMENT_WRITE,
  'equipment.setStatus': EQUIPMENT_WRITE,
  'equipment.delete': EQUIPMENT_WRITE,
  'equipment.import.commit': EQUIPMENT_WRITE,
  'locations.create': ['locations'],
  'locations.rename': ['locations', 'equipment', 'stock', 'users'],
  'locations.move': ['locations', 'equipment', 'stock', 'users'],
  'locations.deactivate': ['locations'],
  'categories.create': ['categories'],
  'categories.update': ['categories', 'equipment'],
  'categories.delete': ['categories'],
  'completions.log': RECORD_WRITE,
  'completions.amend': RECORD_WRITE,
  'completions.review': ['records'],
  // A plan's change shows wherever a next due date does: every such read depends on 'plans'.
  'plans.create': ['plans'],
  'plans.update': ['plans'],
  'plans.deactivate': ['plans'],
  // Back in use, a plan whose last test failed takes its device out of service again (rule 12).
  'plans.reactivate': ['plans', 'equipment'],
  'categoryPlans.add': ['categories'],
  'categoryPlans.remove': ['categories'],
  'categoryPlans.applyToDevices': ['categories', 'plans', 'equipment'],
  'procedures.save': ['procedures'],
  'stock.items.create': ['stock'],
  'stock.items.update': ['stock'],
  'stock.locations.create': ['stock'],
  'stock.locations.update': ['stock', 'plans'],
  'stock.levels.set': ['stock'],
  'stock.levels.remove': ['stock'],
  'stock.count': ['stock'],
  'stock.restock': ['stock'],
  'stock.use': ['stock'],
  'stock.discard': ['stock'],
  'stock.adjust': ['stock'],
  // Joining downloads the hospital: everything may change.
  'sync.join': [...TOPICS],
  'sync.leave': ['sync', 'settings'],
  'sync.resolveConflict': ['sync', 'equipment', 'plans', 'locations', 'users', 'categories', 'settings', 'stock'],
  'sync.changesSeen': ['sync'],
  'taskTypes.create': ['tasks'],
  'taskTypes.update': ['tasks', 'plans'],
  'workOrders.report': REPAIR_STEP,
  'workOrders.take': REPAIR_STEP,
  'workOrders.wait': REPAIR_STEP,
  'workOrders.resume': REPAIR_STEP,
  'workOrders.repair': REPAIR_STEP,
  'workOrders.return': REPAIR_STEP,
  'workOrders.retire': REPAIR_STEP,
  'workOrders.codes.add': ['repairs'],
  'workOrders.codes.remove': ['repairs'],
  // Not a contract write: the start-up check of the audit trail finished.
};

/** Events main sends on 'data.changed' that are not contract channels, and what they change. */
const OTHER_CHANGES: Record<string, readonly Topic[]> = {
  'app.health': ['health'],
};

/** The topics a write on `channel` changes; null when unknown (then everything is stale). */
export function topicsWritten(channel: string): readonly Topic[] | null {
  return WRITES[channel as ChannelName] ?? OTHER_CHANGES[channel] ?? null;
}

/** True when a query on `channel` must be read again after a write that changed `written`. */
export function isAffected(channel: string, written: readonly Topic[] | null): boolean {
  if (written === null) return true;
  const reads = READS[channel as ChannelName];
  // A read this map does not know is read again: never stale by omission.
  if (!reads) return true;
  return reads.some((t) => written.includes(t));
}
