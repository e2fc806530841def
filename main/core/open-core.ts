import type { Clock } from './clock';
import { systemClock } from './clock';
import type { Core } from './context';
import type { OpenOptions } from './db/open';
import { openDatabase } from './db/open';
import { stopWorker } from './worker/run';

/** Opens (creating and migrating if needed) the database in `dataDir` and returns the core. */
export function openCore(options: OpenOptions & { clock?: Clock }): Core & { close(): void } {
  const opened = openDatabase(options);
  return {
    db: opened.db,
    pcId: opened.pcId,
    clock: options.clock ?? systemClock,
    file: opened.file,
    dataDir: options.dataDir,
    nativeBinding: options.nativeBinding,
    close: () => {
      // The worker's own connection to this file goes with it (after any job it is running).
      void stopWorker({ db: opened.db });
      opened.db.close();
    },
  };
}
