import type { dueChannels } from '../../../shared/contract/due';
import type { HandlersFor } from '../dispatcher/handler';
import { outOfServicePage } from '../repairs/today';
import { TODAY_LIMIT, todayView } from './service';

export const dueHandlers: HandlersFor<keyof typeof dueChannels> = {
  'due.today': (input, { core, session }) => {
    const view = todayView(core, session.user?.id ?? null, input);
    const outOfService = outOfServicePage(core, view.locationId, input.outOfServiceLimit ?? input.limit ?? TODAY_LIMIT);
    return { ...view, outOfService: outOfService.rows, outOfServiceTotal: outOfService.total };
  },
};
