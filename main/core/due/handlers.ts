import type { dueChannels } from '../../../shared/contract/due';
import type { HandlersFor } from '../dispatcher/handler';
import { outOfServiceList } from '../repairs/today';
import { todayView } from './service';

export const dueHandlers: HandlersFor<keyof typeof dueChannels> = {
  'due.today': (input, { core, session }) => {
    const view = todayView(core, session.user?.id ?? null, input);
    return { ...view, outOfService: outOfServiceList(core, view.locationId) };
  },
};
