import type { workOrderChannels } from '../../../shared/contract/work-orders';
import { signed } from '../auth/signed';
import type { HandlersFor } from '../dispatcher/handler';
import { job } from '../dispatcher/handler';
import { addRepairCode, listRepairCodes, removeRepairCode } from './codes';
import { equipmentWorkOrders, getWorkOrder, listWorkOrders } from './views';
import { repairWorkOrder, reportFault, resumeWorkOrder, retireWorkOrder, returnWorkOrder, takeWorkOrder, waitWorkOrder } from './work-orders';

/** Repairs: every step is signed with the signer's PIN or password, checked before its transaction. */
export const workOrderHandlers: HandlersFor<keyof typeof workOrderChannels> = {
  'workOrders.report': job(({ secret, ...input }, ctx) => signed(ctx, secret, (core, signer) => reportFault(core, signer, { ...input, secret: '' }))),
  'workOrders.ofEquipment': ({ equipmentId }, { core }) => equipmentWorkOrders(core, equipmentId),
  'workOrders.list': (input, { core }) => listWorkOrders(core, input),
  'workOrders.get': ({ id }, { core }) => getWorkOrder(core, id),
  'workOrders.take': job(({ secret, ...input }, ctx) => signed(ctx, secret, (core, signer) => takeWorkOrder(core, signer, input))),
  'workOrders.wait': job(({ secret, ...input }, ctx) => signed(ctx, secret, (core, signer) => waitWorkOrder(core, signer, input))),
  'workOrders.resume': job(({ secret, ...input }, ctx) => signed(ctx, secret, (core, signer) => resumeWorkOrder(core, signer, input))),
  'workOrders.repair': job((input, ctx) => signed(ctx, input.secret, (core, signer) => repairWorkOrder(core, signer, input))),
  'workOrders.return': job(({ secret, ...input }, ctx) => signed(ctx, secret, (core, signer) => returnWorkOrder(core, signer, input))),
  'workOrders.retire': job(({ secret, ...input }, ctx) => signed(ctx, secret, (core, signer) => retireWorkOrder(core, signer, input))),
  'workOrders.codes': (_input, { core }) => listRepairCodes(core),
  'workOrders.codes.add': (input, { core, actor }) => addRepairCode(core, actor, input),
  'workOrders.codes.remove': ({ id }, { core, actor }) => removeRepairCode(core, actor, id),
};
