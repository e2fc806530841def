import { describe, expect, it } from 'vitest';
import type { Access } from '../../../shared/contract/channel';
import type { ChannelName } from '../../../shared/contract';
import { contract, CHANNEL_NAMES } from '../../../shared/contract';
import { roleAllows } from '../../../shared/contract/access';

/**
 * The role matrix, written out in full. Every channel of the contract must appear here with the
 * least role allowed: a new channel without an entry fails to compile and fails this test.
 * technician: log work, view everything, edit nothing in the inventory;
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
  'auth.touch': 'technician',
  'auth.setOwnPin': 'technician',
  'users.list': 'admin',
  'users.create': 'admin',
  'users.update': 'admin',
  'users.setActive': 'admin',
  'users.resetPin': 'admin',
  'settings.get': 'technician',
  'settings.update': 'admin',
  'backups.status': 'admin',
  'backups.run': 'admin',
  'backups.setFolder': 'admin',
  'backups.inspect': 'admin',
  'backups.restore': 'admin',
  'equipment.get': 'technician',
  'equipment.create': 'supervisor',
  'equipment.search': 'technician',
  'equipment.findByTag': 'technician',
  'equipment.update': 'supervisor',
  'equipment.setStatus': 'supervisor',
  'equipment.delete': 'supervisor',
  'equipment.export': 'technician',
  'equipment.import.guessMapping': 'supervisor',
  'equipment.import.preview': 'supervisor',
  'equipment.import.commit': 'supervisor',
  'locations.list': 'technician',
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
  'completions.log': 'technician',
  'completions.amend': 'technician',
  'completions.review': 'supervisor',
  'completions.get': 'technician',
  'completions.history': 'technician',
  'procedures.forCategory': 'technician',
  'procedures.save': 'supervisor',
  'taskTypes.list': 'technician',
  'plans.list': 'technician',
  'plans.create': 'supervisor',
  'plans.update': 'supervisor',
  'plans.deactivate': 'supervisor',
  'due.today': 'technician',
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
  'reports.complianceCsv': 'technician',
  'reports.stickers': 'supervisor',
  'print.document': 'technician',
  'print.job': 'public',
} satisfies Record<ChannelName, Access>;

describe('the role matrix', () => {
  it('lists every channel of the contract, and nothing else', () => {
    expect(Object.keys(ROLE_MATRIX).sort()).toEqual([...CHANNEL_NAMES].sort());
  });

  it.each(CHANNEL_NAMES)('%s has the access the matrix gives it', (name) => {
    expect(contract[name].access).toBe(ROLE_MATRIX[name]);
  });

  it('ranks the roles technician < supervisor < admin', () => {
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
