import { addDays, format } from 'date-fns';
import type { DateFormatSetting } from '../../shared/domain/settings';
import type { BackendPorts } from '../../main/core/ports';
import { newSession } from '../../main/core/session';
import { tempDir } from '../helpers/core';
import { item, level, stock, stockLocation } from '../integration/stock/fixtures';
import type { LaunchedApp } from './harness';
import { launchApp } from './harness';
import { caller, seedWard } from './seed';

type Seeded = Awaited<ReturnType<typeof seedWard>>;

/**
 * The seeded ward (Ada Admin 2468, Tom Tech 1357, the pump IP-0042, the analyser REF-7) in the
 * browser at 1366×768, with the date format set by Ada through the back end.
 */
export async function launchWard(
  options: { dateFormat?: DateFormatSetting; ports?: BackendPorts } = {},
): Promise<{ app: LaunchedApp; seeded: Seeded; call: ReturnType<typeof caller> }> {
  const dataDir = tempDir();
  const seeded = await seedWard(dataDir);
  const app = await launchApp({ dataDir, viewport: { width: 1366, height: 768 }, ...(options.ports ? { ports: options.ports } : {}) });
  const call = caller(app.backend, newSession(Date.now()));
  await call('auth.signIn', { name: 'Ada Admin', secret: '2468' });
  await call('settings.update', { dateFormat: options.dateFormat ?? 'dd/MM/yyyy' });
  return { app, seeded, call };
}

/**
 * A day's work to show: a fault reported on the pump (it is out of service, with a work order),
 * and a crash cart keeping defibrillator pads below their minimum, one lot expired three days ago
 * and, with `expiringLot`, one expiring in ten days.
 */
export async function busyWard(
  app: LaunchedApp,
  seeded: Seeded,
  call: ReturnType<typeof caller>,
  options: { expiringLot?: boolean } = {},
): Promise<{ workOrderId: string; cart: string }> {
  const iso = (d: Date) => format(d, 'yyyy-MM-dd');
  const { workOrder } = await call('workOrders.report', { equipmentId: seeded.pumpId, problem: 'Alarm keeps sounding', takeOutOfUse: true, secret: '2468' });
  const core = app.backend.core;
  const cart = stockLocation(core, 'Crash cart 4B');
  const pads = item(core, 'PAD', 'Defib pads');
  level(core, cart, pads, 4, 2);
  if (options.expiringLot) stock(core, cart, pads, 1, 'L1', iso(addDays(new Date(), 10)));
  stock(core, cart, pads, 1, 'L0', iso(addDays(new Date(), -3)));
  return { workOrderId: workOrder.id, cart };
}
