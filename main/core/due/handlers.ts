import type { dueChannels } from '../../../shared/contract/due';
import type { HandlersFor } from '../dispatcher/handler';
import { today } from '../plans/service';
import { dueCounts, dueList, todayView } from './service';

export const dueHandlers: HandlersFor<keyof typeof dueChannels> = {
  'due.list': ({ asOf, sort, ...filter }, { core }) => dueList(core, { ...filter, asOf: asOf ?? today(core), sort: sort ?? 'status' }),
  'due.counts': ({ asOf, locationIds }, { core }) => dueCounts(core, { asOf: asOf ?? today(core), locationIds }),
  'due.today': (input, { core, session }) => todayView(core, session.user?.id ?? null, input),
};
