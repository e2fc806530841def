import { openWorkOrdersCsv, openWorkOrdersDocument } from './open-work-orders';
import type { reportChannels } from '../../../shared/contract/reports';
import type { HistoryDocument } from '../../../shared/domain/report-history';
import { recordsOfTasks } from '../../../shared/domain/report-history';
import { headerLine } from '../../../shared/domain/report';
import { taskTypeMap } from '../plans/service';
import { dueExport, dueListDocument } from './due-export';
import { printHeader } from '../print/jobs';
import { stickersDocument } from './stickers';
import type { HandlersFor } from '../dispatcher/handler';
import { runJob } from '../worker/run';
import { complianceShares } from './compliance-shares';

const leftOut = (n: number) => `${n} record${n === 1 ? '' : 's'}`;

export const reportHandlers: HandlersFor<keyof typeof reportChannels> = {
  // In the 'reports' worker, as the compliance report below: the failures report reads every device
  // in the inventory over the period, the downtime report every device that ever changed status
  // and its whole history, and at 200,000 devices the thread that serves the window was held for
  // about 100 ms by the downtime report alone, more as the status history grows (issue 17).
  'reports.downtime': (params, { core }) => runJob(core, 'reports.downtime', { params }, { lane: 'reports' }),
  'reports.downtimeCsv': (params, { core }) => runJob(core, 'reports.downtimeCsv', { params }, { lane: 'reports' }),
  'reports.downtimeDocument': (params, { core, actor }) => runJob(core, 'reports.downtimeDocument', { params, actor }, { lane: 'reports' }),
  'reports.failures': (params, { core, actor }) => runJob(core, 'reports.failures', { params, actor }, { lane: 'reports' }),
  'reports.failuresCsv': ({ params, part }, { core }) => runJob(core, 'reports.failuresCsv', { params, part }, { lane: 'reports' }),
  'reports.openWorkOrders': (params, { core, actor }) => openWorkOrdersDocument(core, actor, params),
  'reports.openWorkOrdersCsv': (params, { core, actor }) => openWorkOrdersCsv(core, actor, params),
  'reports.dueList': (params, { core, actor }) => dueListDocument(core, actor, params),
  'reports.dueExport': ({ params, format }, { core }) => dueExport(core, params, format),
  'reports.history': async ({ equipmentId, tasks }, ctx): Promise<HistoryDocument> => {
    const e = await ctx.call('equipment.get', { id: equipmentId });
    const all = await ctx.call('completions.history', { equipmentId });
    const narrowed = tasks !== undefined && tasks.length > 0;
    const records = narrowed ? recordsOfTasks(all, tasks) : all;
    const amended = records.filter((r) => r.amendedById !== null).length;
    const labels = narrowed ? taskTypeMap(ctx.core) : null;
    return {
      view: 'history',
      header: printHeader(ctx.core, ctx.actor, {
        title: `Equipment history: ${e.assetTag} ${e.name}`,
        filter: [
          headerLine`Device: ${e.assetTag}, ${e.name}`,
          headerLine`Location: ${e.locationPath}`,
          ...(narrowed ? [headerLine`Tasks: ${tasks.map((t) => labels?.get(t)?.label ?? t).join(', ')} (${leftOut(all.length - records.length)} of other tasks left out)`] : []),
          headerLine`Records: ${records.length}${amended > 0 ? ` (${amended} corrected by a later amending record, shown struck through)` : ''}`,
        ],
        fileName: `history-${e.assetTag.replace(/[^A-Za-z0-9-]+/g, '_')}${narrowed ? `-${tasks.map((t) => t.replace(/[^A-Za-z0-9-]+/g, '_')).join('-')}` : ''}`,
      }),
      equipment: {
        id: e.id,
        assetTag: e.assetTag,
        name: e.name,
        locationPath: e.locationPath,
        categoryName: e.categoryName,
        manufacturer: e.manufacturer,
        model: e.model,
        serial: e.serial,
        risk: e.risk,
        status: e.status,
        statusReason: e.statusReason,
      },
      records,
    };
  },
  // In the 'reports' worker (issue 17): a year's report reads the year's records, seconds at a
  // hospital's size (and more after a restart, the file not yet in memory), during which the thread
  // that serves the window would answer nothing else, and Windows greys out a window whose thread
  // is held for five seconds. The worker reads the same database, at this thread's clock. At a
  // hospital's size two workers share its plans, one core each (compliance-shares.ts).
  'reports.compliance': async (params, { core, actor }) =>
    runJob(core, 'reports.compliance', { params, actor, shares: await complianceShares(core, params) }, { lane: 'reports' }),
  'reports.complianceCsv': async ({ params, part }, { core }) =>
    runJob(core, 'reports.complianceCsv', { params, part, shares: await complianceShares(core, params) }, { lane: 'reports' }),
  'reports.stickers': (params, { core, actor }) => stickersDocument(core, actor, params),
};
