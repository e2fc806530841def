import type { ReactNode } from 'react';
import type { Role } from '../../shared/domain/common';
import { EquipmentList } from './features/equipment/EquipmentList';
import { EquipmentNew } from './features/equipment/EquipmentNew';
import { EquipmentPage } from './features/equipment/EquipmentPage';
import { Categories } from './features/categories/Categories';
import { CategorySetup } from './features/categories/CategorySetup';
import { Home } from './features/today/Home';
import { LogScreen } from './features/log/LogScreen';
import { ImportScreen } from './features/import/ImportScreen';
import { Locations } from './features/locations/Locations';
import { BackupsScreen } from './features/backups/BackupsScreen';
import { SettingsScreen } from './features/settings/SettingsScreen';
import { UsersScreen } from './features/users/UsersScreen';
import { StockCheckPage } from './features/stock/StockCheckPage';
import { StockLists } from './features/stock/StockLists';
import { StockLocationPage } from './features/stock/StockLocationPage';
import { StockLocations } from './features/stock/StockLocations';
import { SupplyItems } from './features/stock/SupplyItems';
import { ComplianceScreen } from './features/reports/ComplianceScreen';
import { DueListBuilder } from './features/reports/DueListBuilder';
import { StickersScreen } from './features/reports/StickersScreen';

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
