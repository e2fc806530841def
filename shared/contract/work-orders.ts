import { z } from 'zod';
import { id } from '../domain/common';
import type { EquipmentWorkOrders, FaultReported, RepairCode, RepairCodeListing, WorkOrderRow, WorkOrderView } from '../domain/work-order';
import {
  FaultReport,
  RepairCodeFields,
  RepairWorkOrder,
  ResumeWorkOrder,
  RetireWorkOrder,
  ReturnWorkOrder,
  TakeWorkOrder,
  WaitWorkOrder,
  WorkOrderListQuery,
} from '../domain/work-order';
import { channel } from './channel';

/**
 * Repairs (issue 16): faults reported from the ward, work orders, and each device's status
 * history. Every step is signed by the signed-in person re-entering their PIN or password.
 */
export const workOrderChannels = {
  /**
   * Ward staff and everyone above: a fault on a device, taken out of use at once unless unticked.
   * A device with an open work order gets the report added to it (the answer says so).
   */
  'workOrders.report': channel<FaultReported>()({ input: FaultReport.strict(), access: 'ward_staff', writes: true }),
  /** The device page's top: its open work order, and those closed. */
  'workOrders.ofEquipment': channel<EquipmentWorkOrders>()({ input: z.object({ equipmentId: id }).strict(), access: 'ward_staff', writes: false }),
  'workOrders.list': channel<WorkOrderRow[]>()({ input: WorkOrderListQuery.strict(), access: 'technician', writes: false }),
  'workOrders.get': channel<WorkOrderView>()({ input: z.object({ id }).strict(), access: 'technician', writes: false }),
  /** The signer takes it: in progress, theirs. */
  'workOrders.take': channel<WorkOrderView>()({ input: TakeWorkOrder.strict(), access: 'technician', writes: true }),
  /** Waiting for parts or for a vendor, and why. */
  'workOrders.wait': channel<WorkOrderView>()({ input: WaitWorkOrder.strict(), access: 'technician', writes: true }),
  'workOrders.resume': channel<WorkOrderView>()({ input: ResumeWorkOrder.strict(), access: 'technician', writes: true }),
  /**
   * The repair: work done, failure and cause codes, parts used from stock (the stock ledger, lots
   * and all), labour, a vendor and their ticket, cost. Written as a signed repair record of its own.
   */
  'workOrders.repair': channel<WorkOrderView>()({ input: RepairWorkOrder.strict(), access: 'technician', writes: true }),
  /** Back in service: refused until every post-repair check has passed after the repair. */
  'workOrders.return': channel<WorkOrderView>()({ input: ReturnWorkOrder.strict(), access: 'technician', writes: true }),
  /** Beyond repair: the device is retired (supervisors). */
  'workOrders.retire': channel<WorkOrderView>()({ input: RetireWorkOrder.strict(), access: 'supervisor', writes: true }),
  /** The failure and cause codes, deleted ones included (marked), for the repair form and the lists. */
  'workOrders.codes': channel<RepairCodeListing[]>()({ input: z.object({}).strict(), access: 'technician', writes: false }),
  'workOrders.codes.add': channel<RepairCode>()({ input: RepairCodeFields.strict(), access: 'supervisor', writes: true }),
  /** Deleted codes stay on the work orders that use them; no new one can choose them. */
  'workOrders.codes.remove': channel<RepairCode>()({ input: z.object({ id }).strict(), access: 'supervisor', writes: true }),
};
