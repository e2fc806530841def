import type { dueChannels } from '../../../shared/contract/due';
import type { HandlersFor } from '../dispatcher/handler';
import { todayView } from './service';

export const dueHandlers: HandlersFor<keyof typeof dueChannels> = {
  'due.today': (input, { core, session }) => todayView(core, session.user?.id ?? null, input),
};
