import type { dueChannels } from '../../../shared/contract/due';
import type { HandlersFor } from '../dispatcher/handler';
import { todayAnswer } from './today';

export const dueHandlers: HandlersFor<keyof typeof dueChannels> = {
  'due.today': (input, { core, session }) => todayAnswer(core, session.user?.id ?? null, input),
};
