import { z } from 'zod';
import { channel } from './channel';

export interface AppInfo {
  version: string;
  /** Where the database lives, shown in Settings and the About box. */
  dataDir: string;
  pcId: string;
  schemaVersion: number;
  /** The PC's local calendar date, as the back end sees it (SCHEDULING.md rule 1). */
  today: string;
}

export const systemChannels = {
  'app.info': channel<AppInfo>()({ input: z.object({}).strict(), access: 'public', writes: false }),
};
