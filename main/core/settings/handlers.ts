import type { settingsChannels } from '../../../shared/contract/settings';
import type { HandlersFor } from '../dispatcher/handler';
import { readSettings, updateSettings } from './service';

export const settingsHandlers: HandlersFor<keyof typeof settingsChannels> = {
  'settings.get': (_input, { core }) => readSettings(core),
  'settings.update': (input, { core, actor }) => updateSettings(core, actor, input),
};
