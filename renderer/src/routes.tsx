import type { ReactNode } from 'react';
import { lazy } from 'react';
import type { Role } from '../../shared/domain/common';

// Each screen is loaded the first time it is opened: every feature is a chunk of its own, so the
// first screen loads only what it needs (all from the app's own files: the CSP allows nothing else).
const Home = lazy(() => import('./features/today/Home').then((m) => ({ default: m.Home })));
const EquipmentList = lazy(() => import('./features/equipment/EquipmentList').then((m) => ({ default: m.EquipmentList })));
const EquipmentNew = lazy(() => import('./features/equipment/EquipmentNew').then((m) => ({ default: m.EquipmentNew })));
const EquipmentPage = lazy(() => import('./features/equipment/EquipmentPage').then((m) => ({ default: m.EquipmentPage })));
const Categories = lazy(() => import('./features/categories/Categories').then((m) => ({ default: m.Categories })));
const CategorySetup = lazy(() => import('./features/categories/CategorySetup').then((m) => ({ default: m.CategorySetup })));
const Downtime = lazy(() => import('./features/reports/Downtime').then((m) => ({ default: m.Downtime })));
const Failures = lazy(() => import('./features/reports/Failures').then((m) => ({ default: m.Failures })));
const WorkOrders = lazy(() => import('./features/repairs/WorkOrders').then((m) => ({ default: m.WorkOrders })));
const WorkOrderPage = lazy(() => import('./features/repairs/WorkOrderPage').then((m) => ({ default: m.WorkOrderPage })));
const LogScreen = lazy(() => import('./features/log/LogScreen').then((m) => ({ default: m.LogScreen })));
const ImportScreen = lazy(() => import('./features/import/ImportScreen').then((m) => ({ default: m.ImportScreen })));
const Locations = lazy(() => import('./features/locations/Locations').then((m) => ({ default: m.Locations })));
const BackupsScreen = lazy(() => import('./features/backups/BackupsScreen').then((m) => ({ default: m.BackupsScreen })));
const SettingsScreen = lazy(() => import('./features/settings/SettingsScreen').then((m) => ({ default: m.SettingsScreen })));
const ListsScreen = lazy(() => import('./features/settings/ListsScreen').then((m) => ({ default: m.ListsScreen })));
const UsersScreen = lazy(() => import('./features/users/UsersScreen').then((m) => ({ default: m.UsersScreen })));
const StockCheckPage = lazy(() => import('./features/stock/StockCheckPage').then((m) => ({ default: m.StockCheckPage })));
const StockLists = lazy(() => import('./features/stock/StockLists').then((m) => ({ default: m.StockLists })));
const StockLocationPage = lazy(() => import('./features/stock/StockLocationPage').then((m) => ({ default: m.StockLocationPage })));
const StockLocations = lazy(() => import('./features/stock/StockLocations').then((m) => ({ default: m.StockLocations })));
const SupplyItems = lazy(() => import('./features/stock/SupplyItems').then((m) => ({ default: m.SupplyItems })));
const ComplianceScreen = lazy(() => import('./features/reports/ComplianceScreen').then((m) => ({ default: m.ComplianceScreen })));
const DueListBuilder = lazy(() => import('./features/reports/DueListBuilder').then((m) => ({ default: m.DueListBuilder })));
const ConflictsScreen = lazy(() => import('./features/sync/ConflictsScreen').then((m) => ({ default: m.ConflictsScreen })));
const StickersScreen = lazy(() => import('./features/reports/StickersScreen').then((m) => ({ default: m.StickersScreen })));

export interface RouteDef {
  pattern: string;
  render: (params: Record<string, string>) => ReactNode;
  /** Shown in the side navigation when set. */
  nav?: string;
  /** The least role that sees it (main enforces the same on every call). */
  role: Role;
  /** In the navigation only on a PC in a hospital's hub. */
  hubOnly?: true;
}

/** Every screen of the app. Adding a screen is one entry here. More specific patterns first. */
export const routes: RouteDef[] = [
  { pattern: '/', render: () => <Home />, nav: 'Today', role: 'ward_staff' },
  { pattern: '/equipment/new', render: () => <EquipmentNew />, role: 'supervisor' },
  { pattern: '/log/unplanned/:equipmentId/:task', render: (p) => <LogScreen equipmentId={p.equipmentId!} task={p.task!} />, role: 'technician' },
  { pattern: '/log/:planId', render: (p) => <LogScreen planId={p.planId!} />, role: 'technician' },
  { pattern: '/equipment/:id', render: (p) => <EquipmentPage id={p.id!} />, role: 'ward_staff' },
  { pattern: '/work-orders/:id', render: (p) => <WorkOrderPage id={p.id!} />, role: 'technician' },
  { pattern: '/work-orders', render: () => <WorkOrders />, nav: 'Repairs', role: 'technician' },
  { pattern: '/reports/downtime', render: () => <Downtime />, nav: 'Downtime', role: 'technician' },
  { pattern: '/reports/failures', render: () => <Failures />, nav: 'Failures', role: 'technician' },
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
  { pattern: '/conflicts', render: () => <ConflictsScreen />, nav: 'Conflicts', role: 'supervisor', hubOnly: true },
  { pattern: '/users', render: () => <UsersScreen />, nav: 'Users', role: 'admin' },
  { pattern: '/settings/lists', render: () => <ListsScreen />, nav: 'Tasks and codes', role: 'technician' },
  { pattern: '/settings', render: () => <SettingsScreen />, nav: 'Settings', role: 'admin' },
  { pattern: '/backups', render: () => <BackupsScreen />, nav: 'Backups', role: 'admin' },
];
