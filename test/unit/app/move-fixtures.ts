import BetterSqlite3 from 'better-sqlite3';
import { createBackend } from '../../../main/core/backend';
import { openCore } from '../../../main/core/open-core';
import { newSession } from '../../../main/core/session';

/** A per-user database of an older Wardkeep, set up (an administrator) unless told otherwise. */
export async function legacyDatabase(dir: string, options: { setUp?: boolean; fillerMb?: number } = {}): Promise<string> {
  const core = openCore({ dataDir: dir });
  try {
    if (options.setUp ?? true) {
      const backend = createBackend(core, { logError: (err) => { throw err; } });
      const r = await backend.invoke(newSession(), 'auth.setupFirstAdmin', { name: 'Ada Admin', password: 'correct horse battery' });
      if (!r.ok) throw new Error(r.error.message);
    }
    if (options.fillerMb) core.db.exec(`CREATE TABLE move_test_filler (b BLOB); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${options.fillerMb * 16}) INSERT INTO move_test_filler SELECT randomblob(65536) FROM n;`);
    return core.pcId;
  } finally {
    core.close();
  }
}

export const pcIdOf = (file: string) => {
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare("SELECT value FROM meta WHERE key = 'pc_id'").get() as { value: string }).value;
  } finally {
    db.close();
  }
};

