import type { ReactNode } from 'react';
import type { Role } from '../../shared/domain/common';
import { EquipmentList } from './screens/equipment/EquipmentList';
import { EquipmentNew } from './screens/equipment/EquipmentNew';
import { EquipmentPage } from './screens/equipment/EquipmentPage';
import { Categories } from './screens/Categories';
import { CategorySetup } from './screens/categories/CategorySetup';
import { Home } from './screens/Home';
import { LogScreen } from './screens/log/LogScreen';
import { ImportScreen } from './screens/import/ImportScreen';
import { Locations } from './screens/Locations';
import { BackupsScreen } from './screens/admin/BackupsScreen';
import { SettingsScreen } from './screens/admin/SettingsScreen';
import { UsersScreen } from './screens/admin/UsersScreen';
import { StockCheckPage } from './screens/stock/StockCheckPage';
import { StockLists } from './screens/stock/StockLists';
import { StockLocationPage } from './screens/stock/StockLocationPage';
import { StockLocations } from './screens/stock/StockLocations';
import { SupplyItems } from './screens/stock/SupplyItems';
import { ComplianceScreen } from './screens/reports/ComplianceScreen';
import { DueListBuilder } from './screens/reports/DueListBuilder';
import { StickersScreen } from './screens/reports/StickersScreen';

export interface RouteDef {
  pattern: string;
  render: (params: Record<string, string>) => ReactNode;
  /** Shown in the side navigation when set. */
  nav?: string;
  /** The least role that sees it (main enforces the same on every call). */
  role: Role;
}

/** Every screen of the app. Adding a screen is one entry here. More specific patterns first. */
export const routes: RouteDef[] = [
  { pattern: '/', render: () => <Home />, nav: 'Today', role: 'technician' },
  { pattern: '/equipment/new', render: () => <EquipmentNew />, role: 'supervisor' },
  { pattern: '/log/:planId', render: (p) => <LogScreen planId={p.planId!} />, role: 'technician' },
  { pattern: '/equipment/:id', render: (p) => <EquipmentPage id={p.id!} />, role: 'technician' },
  { pattern: '/equipment', render: () => <EquipmentList />, nav: 'Equipment', role: 'technician' },
  { pattern: '/locations', render: () => <Locations />, nav: 'Locations', role: 'technician' },
  { pattern: '/categories/:id', render: (p) => <CategorySetup id={p.id!} />, role: 'technician' },
  { pattern: '/categories', render: () => <Categories />, nav: 'Categories', role: 'technician' },
  { pattern: '/stock/items', render: () => <SupplyItems />, role: 'technician' },
  { pattern: '/stock/reorder', render: () => <StockLists list="reorder" />, role: 'technician' },
  { pattern: '/stock/expiry', render: () => <StockLists list="expiry" />, role: 'technician' },
  { pattern: '/stock/locations/:id', render: (p) => <StockLocationPage id={p.id!} />, role: 'technician' },
  { pattern: '/stock/checks/:completionId', render: (p) => <StockCheckPage completionId={p.completionId!} />, role: 'technician' },
  { pattern: '/stock', render: () => <StockLocations />, nav: 'Stock', role: 'technician' },
  { pattern: '/reports/due-list', render: () => <DueListBuilder />, nav: 'Due lists', role: 'technician' },
  { pattern: '/reports/compliance', render: () => <ComplianceScreen />, nav: 'Compliance', role: 'technician' },
  { pattern: '/reports/stickers', render: () => <StickersScreen />, nav: 'Stickers', role: 'supervisor' },
  { pattern: '/import', render: () => <ImportScreen />, role: 'supervisor' },
  { pattern: '/users', render: () => <UsersScreen />, nav: 'Users', role: 'admin' },
  { pattern: '/settings', render: () => <SettingsScreen />, nav: 'Settings', role: 'admin' },
  { pattern: '/backups', render: () => <BackupsScreen />, nav: 'Backups', role: 'admin' },
];
