import type { ReactNode } from 'react';
import type { Role } from '../../shared/domain/common';
import { lazyScreen } from './components/LazyScreen';

// Each screen is loaded the first time it is opened, or before when the app is idle (Shell): every
// feature is a chunk of its own, so the first screen loads only what it needs (all from the app's
// own files: the CSP allows nothing else).
const Home = lazyScreen(() => import('./features/today/Home').then((m) => m.Home));
const EquipmentList = lazyScreen(() => import('./features/equipment/EquipmentList').then((m) => m.EquipmentList));
const EquipmentNew = lazyScreen(() => import('./features/equipment/EquipmentNew').then((m) => m.EquipmentNew));
const EquipmentPage = lazyScreen(() => import('./features/equipment/EquipmentPage').then((m) => m.EquipmentPage));
const Categories = lazyScreen(() => import('./features/categories/Categories').then((m) => m.Categories));
const CategorySetup = lazyScreen(() => import('./features/categories/CategorySetup').then((m) => m.CategorySetup));
const Downtime = lazyScreen(() => import('./features/reports/Downtime').then((m) => m.Downtime));
const Failures = lazyScreen(() => import('./features/reports/Failures').then((m) => m.Failures));
const WorkOrders = lazyScreen(() => import('./features/repairs/WorkOrders').then((m) => m.WorkOrders));
const WorkOrderPage = lazyScreen(() => import('./features/repairs/WorkOrderPage').then((m) => m.WorkOrderPage));
const LogScreen = lazyScreen(() => import('./features/log/LogScreen').then((m) => m.LogScreen));
const ImportScreen = lazyScreen(() => import('./features/import/ImportScreen').then((m) => m.ImportScreen));
const Locations = lazyScreen(() => import('./features/locations/Locations').then((m) => m.Locations));
const BackupsScreen = lazyScreen(() => import('./features/backups/BackupsScreen').then((m) => m.BackupsScreen));
const SettingsScreen = lazyScreen(() => import('./features/settings/SettingsScreen').then((m) => m.SettingsScreen));
const ListsScreen = lazyScreen(() => import('./features/settings/ListsScreen').then((m) => m.ListsScreen));
const UsersScreen = lazyScreen(() => import('./features/users/UsersScreen').then((m) => m.UsersScreen));
const StockCheckPage = lazyScreen(() => import('./features/stock/StockCheckPage').then((m) => m.StockCheckPage));
const StockLists = lazyScreen(() => import('./features/stock/StockLists').then((m) => m.StockLists));
const StockLocationPage = lazyScreen(() => import('./features/stock/StockLocationPage').then((m) => m.StockLocationPage));
const StockLocations = lazyScreen(() => import('./features/stock/StockLocations').then((m) => m.StockLocations));
const SupplyItems = lazyScreen(() => import('./features/stock/SupplyItems').then((m) => m.SupplyItems));
const ComplianceScreen = lazyScreen(() => import('./features/reports/ComplianceScreen').then((m) => m.ComplianceScreen));
const DueListBuilder = lazyScreen(() => import('./features/reports/DueListBuilder').then((m) => m.DueListBuilder));
const ConflictsScreen = lazyScreen(() => import('./features/sync/ConflictsScreen').then((m) => m.ConflictsScreen));
const StickersScreen = lazyScreen(() => import('./features/reports/StickersScreen').then((m) => m.StickersScreen));

export interface RouteDef {
  pattern: string;
  render: (params: Record<string, string>) => ReactNode;
  /** Shown in the side navigation when set. */
  nav?: string;
  /** The least role that sees it (main enforces the same on every call). */
  role: Role;
  /** In the navigation only on a PC in a hospital's hub. */
  hubOnly?: true;
  /** Loads the screen's chunk ahead of its opening (the navigation's screens, once the first screen shows). */
  preload?: () => Promise<unknown>;
}

/**
 * Every signed-in start opens on Today: its chunk is read while the app asks who is signed in,
 * not after (on the sign-in screen it is read while the person types their PIN).
 */
export function preloadFirstScreen(): void {
  void Home.preload().catch(() => undefined);
}

/** Every screen of the app. Adding a screen is one entry here. More specific patterns first. */
export const routes: RouteDef[] = [
  { pattern: '/', render: () => <Home />, nav: 'Today', role: 'ward_staff', preload: Home.preload },
  { pattern: '/equipment/new', render: () => <EquipmentNew />, role: 'supervisor' },
  { pattern: '/log/unplanned/:equipmentId/:task', render: (p) => <LogScreen equipmentId={p.equipmentId!} task={p.task!} />, role: 'technician' },
  { pattern: '/log/:planId', render: (p) => <LogScreen planId={p.planId!} />, role: 'technician' },
  { pattern: '/equipment/:id', render: (p) => <EquipmentPage id={p.id!} />, role: 'ward_staff' },
  { pattern: '/work-orders/:id', render: (p) => <WorkOrderPage id={p.id!} />, role: 'technician' },
  { pattern: '/work-orders', render: () => <WorkOrders />, nav: 'Repairs', role: 'technician', preload: WorkOrders.preload },
  { pattern: '/reports/downtime', render: () => <Downtime />, nav: 'Downtime', role: 'technician', preload: Downtime.preload },
  { pattern: '/reports/failures', render: () => <Failures />, nav: 'Failures', role: 'technician', preload: Failures.preload },
  { pattern: '/equipment', render: () => <EquipmentList />, nav: 'Equipment', role: 'technician', preload: EquipmentList.preload },
  { pattern: '/locations', render: () => <Locations />, nav: 'Locations', role: 'technician', preload: Locations.preload },
  { pattern: '/categories/:id', render: (p) => <CategorySetup id={p.id!} />, role: 'technician' },
  { pattern: '/categories', render: () => <Categories />, nav: 'Categories', role: 'technician', preload: Categories.preload },
  { pattern: '/stock/items', render: () => <SupplyItems />, role: 'technician' },
  { pattern: '/stock/reorder', render: () => <StockLists list="reorder" />, role: 'technician' },
  { pattern: '/stock/expiry', render: () => <StockLists list="expiry" />, role: 'technician' },
  { pattern: '/stock/locations/:id', render: (p) => <StockLocationPage id={p.id!} />, role: 'technician' },
  { pattern: '/stock/checks/:completionId', render: (p) => <StockCheckPage completionId={p.completionId!} />, role: 'technician' },
  { pattern: '/stock', render: () => <StockLocations />, nav: 'Stock', role: 'technician', preload: StockLocations.preload },
  { pattern: '/reports/due-list', render: () => <DueListBuilder />, nav: 'Due lists', role: 'technician', preload: DueListBuilder.preload },
  { pattern: '/reports/compliance', render: () => <ComplianceScreen />, nav: 'Compliance', role: 'technician', preload: ComplianceScreen.preload },
  { pattern: '/reports/stickers', render: () => <StickersScreen />, nav: 'Stickers', role: 'supervisor', preload: StickersScreen.preload },
  { pattern: '/import', render: () => <ImportScreen />, role: 'supervisor' },
  { pattern: '/conflicts', render: () => <ConflictsScreen />, nav: 'Conflicts', role: 'supervisor', hubOnly: true, preload: ConflictsScreen.preload },
  { pattern: '/users', render: () => <UsersScreen />, nav: 'Users', role: 'admin', preload: UsersScreen.preload },
  { pattern: '/settings/lists', render: () => <ListsScreen />, nav: 'Tasks and codes', role: 'technician', preload: ListsScreen.preload },
  { pattern: '/settings', render: () => <SettingsScreen />, nav: 'Settings', role: 'admin', preload: SettingsScreen.preload },
  { pattern: '/backups', render: () => <BackupsScreen />, nav: 'Backups', role: 'admin', preload: BackupsScreen.preload },
];
