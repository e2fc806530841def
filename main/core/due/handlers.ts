import type { dueChannels } from '../../../shared/contract/due';
import type { HandlersFor } from '../dispatcher/handler';
import { outOfServiceList } from '../repairs/today';
import { TODAY_LIMIT, todayView } from './service';

export const dueHandlers: HandlersFor<keyof typeof dueChannels> = {
  'due.today': (input, { core, session }) => {
    const view = todayView(core, session.user?.id ?? null, input);
    const outOfService = outOfServiceList(core, view.locationId);
    return { ...view, outOfService: outOfService.slice(0, input.outOfServiceLimit ?? input.limit ?? TODAY_LIMIT), outOfServiceTotal: outOfService.length };
  },
};
