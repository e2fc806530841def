import { describe, expect, it } from 'vitest';
import type { Access } from '../../../shared/contract/channel';
import type { ChannelName } from '../../../shared/contract';
import { contract, CHANNEL_NAMES } from '../../../shared/contract';
import { roleAllows } from '../../../shared/contract/access';
import { WARD_STAFF_CHANNELS } from '../../helpers/ward-staff';

/**
 * The role matrix, written out in full. Every channel of the contract must appear here with the
 * least role allowed: a new channel without an entry fails to compile and fails this test.
 * ward staff: see Today and device pages, report faults, nothing else;
 * technician: log work, repair, view everything, edit nothing in the inventory;
 * supervisor: also inventory, plans, locations, categories, stickers, reviews;
 * admin: also users and settings.
 */
export const ROLE_MATRIX = {
  'app.info': 'public',
  'app.health': 'supervisor',
  'auth.status': 'public',
  'auth.setupFirstAdmin': 'public',
  'auth.candidates': 'public',
  'auth.signIn': 'public',
  'auth.signOut': 'public',
  'auth.lock': 'public',
  'auth.touch': 'ward_staff',
  'auth.setOwnPin': 'ward_staff',
  'users.list': 'admin',
  'users.create': 'admin',
  'users.update': 'admin',
  'users.setActive': 'admin',
  'users.resetPin': 'admin',
  'settings.get': 'ward_staff',
  'settings.update': 'admin',
  'backups.status': 'admin',
  'backups.run': 'admin',
  'backups.chooseFolder': 'admin',
  'backups.useDefaultFolder': 'admin',
  'backups.inspect': 'admin',
  'backups.restore': 'admin',
  'sync.status': 'ward_staff',
  'sync.peek': 'admin',
  'sync.join': 'admin',
  'sync.leave': 'admin',
  'sync.pcs': 'admin',
  'sync.conflicts': 'supervisor',
  'sync.clashes': 'supervisor',
  'sync.resolveConflict': 'supervisor',
  'sync.changes': 'technician',
  'sync.changesSeen': 'technician',
  'equipment.get': 'ward_staff',
  'equipment.create': 'supervisor',
  'equipment.search': 'technician',
  'equipment.findByTag': 'ward_staff',
  'equipment.update': 'supervisor',
  'equipment.setStatus': 'supervisor',
  'equipment.delete': 'supervisor',
  'equipment.export': 'technician',
  'equipment.statusHistory': 'ward_staff',
  'equipment.tagClashes': 'ward_staff',
  'equipment.import.guessMapping': 'supervisor',
  'equipment.import.preview': 'supervisor',
  'equipment.import.commit': 'supervisor',
  'locations.list': 'ward_staff',
  'locations.tree': 'technician',
  'locations.create': 'supervisor',
  'locations.rename': 'supervisor',
  'locations.move': 'supervisor',
  'locations.deactivate': 'supervisor',
  'categories.list': 'technician',
  'categories.create': 'supervisor',
  'categories.update': 'supervisor',
  'categories.delete': 'supervisor',
  'log.form': 'technician',
  'log.referenceStandards': 'technician',
  'completions.log': 'technician',
  'completions.amend': 'technician',
  'completions.review': 'supervisor',
  'completions.get': 'ward_staff',
  'completions.history': 'ward_staff',
  'procedures.forCategory': 'technician',
  'procedures.save': 'supervisor',
  'taskTypes.list': 'ward_staff',
  'taskTypes.create': 'admin',
  'taskTypes.update': 'admin',
  'plans.list': 'ward_staff',
  'plans.create': 'supervisor',
  'plans.update': 'supervisor',
  'plans.deactivate': 'supervisor',
  'plans.reactivate': 'supervisor',
  'due.today': 'ward_staff',
  'categoryPlans.list': 'technician',
  'categoryPlans.add': 'supervisor',
  'categoryPlans.remove': 'supervisor',
  'categoryPlans.applyToDevices': 'supervisor',
  'stock.items.list': 'technician',
  'stock.items.create': 'supervisor',
  'stock.items.update': 'supervisor',
  'stock.locations.list': 'technician',
  'stock.locations.get': 'technician',
  'stock.locations.create': 'supervisor',
  'stock.locations.update': 'supervisor',
  'stock.levels.set': 'supervisor',
  'stock.levels.remove': 'supervisor',
  'stock.count': 'technician',
  'stock.restock': 'technician',
  'stock.use': 'technician',
  'stock.discard': 'technician',
  'stock.adjust': 'supervisor',
  'stock.transactions': 'technician',
  'stock.checks.get': 'technician',
  'stock.supplyChoices': 'technician',
  'stock.reorderList': 'technician',
  'stock.expiryList': 'technician',
  'stock.reorderDocument': 'technician',
  'stock.expiryDocument': 'technician',
  'stock.export': 'technician',
  'reports.dueList': 'technician',
  'reports.dueExport': 'technician',
  'reports.history': 'technician',
  'reports.compliance': 'technician',
  'reports.downtime': 'technician',
  'reports.downtimeCsv': 'technician',
  'reports.downtimeDocument': 'technician',
  'reports.failures': 'technician',
  'reports.failuresCsv': 'technician',
  'reports.openWorkOrders': 'technician',
  'reports.openWorkOrdersCsv': 'technician',
  'reports.complianceCsv': 'technician',
  'reports.stickers': 'supervisor',
  'print.document': 'technician',
  'print.job': 'public',
  'workOrders.report': 'ward_staff',
  'workOrders.ofEquipment': 'ward_staff',
  'workOrders.list': 'technician',
  'workOrders.get': 'technician',
  'workOrders.take': 'technician',
  'workOrders.wait': 'technician',
  'workOrders.resume': 'technician',
  'workOrders.repair': 'technician',
  'workOrders.return': 'technician',
  'workOrders.retire': 'supervisor',
  'workOrders.codes': 'technician',
  'workOrders.codes.add': 'supervisor',
  'workOrders.codes.remove': 'supervisor',
} satisfies Record<ChannelName, Access>;


describe('the role matrix', () => {
  it('gives ward staff exactly Today, device pages and fault reports', () => {
    const reached = CHANNEL_NAMES.filter((n) => contract[n].access === 'ward_staff');
    expect([...reached].sort()).toEqual([...WARD_STAFF_CHANNELS].sort());
  });

  it('lists every channel of the contract, and nothing else', () => {
    expect(Object.keys(ROLE_MATRIX).sort()).toEqual([...CHANNEL_NAMES].sort());
  });

  it.each(CHANNEL_NAMES)('%s has the access the matrix gives it', (name) => {
    expect(contract[name].access).toBe(ROLE_MATRIX[name]);
  });

  it('ranks the roles ward staff < technician < supervisor < admin', () => {
    expect(roleAllows('ward_staff', 'technician')).toBe(false);
    expect(roleAllows('ward_staff', 'ward_staff')).toBe(true);
    expect(roleAllows('technician', 'ward_staff')).toBe(true);
    expect(roleAllows('ward_staff', 'public')).toBe(true);
    expect(roleAllows('technician', 'supervisor')).toBe(false);
    expect(roleAllows('supervisor', 'supervisor')).toBe(true);
    expect(roleAllows('admin', 'supervisor')).toBe(true);
    expect(roleAllows('supervisor', 'admin')).toBe(false);
    expect(roleAllows('technician', 'public')).toBe(true);
  });

  it('never lets a channel that writes inventory, users or settings be public', () => {
    const publicWrites = CHANNEL_NAMES.filter((n) => contract[n].access === 'public' && contract[n].writes);
    expect(publicWrites.sort()).toEqual(['auth.lock', 'auth.setupFirstAdmin', 'auth.signIn', 'auth.signOut']);
  });
});
