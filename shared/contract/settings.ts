import { z } from 'zod';
import type { Settings } from '../domain/settings';
import { SettingsPatch } from '../domain/settings';
import { channel } from './channel';

const none = z.object({}).strict();

export const settingsChannels = {
  'settings.get': channel<Settings>()({ input: none, access: 'ward_staff', writes: false }),
  'settings.update': channel<Settings>()({ input: SettingsPatch, access: 'admin', writes: true }),
};
