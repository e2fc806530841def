import type { WriteCore } from '../context';
import { scalar } from '../sql/query';

const storedTrigger = scalar<string, { name: string }>("SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = @name");

/**
 * Runs `fn` with the trigger `name` dropped inside the caller's transaction, and puts it back as it
 * was stored (its text read from `sqlite_schema`) before this returns or throws, after `beforeRestore`.
 * No other connection ever sees the schema without it, and a rollback restores it too. A database
 * without the trigger runs `fn` as it is.
 */
export function withTriggerAside<T>(core: WriteCore, name: string, fn: () => T, beforeRestore?: () => void): T {
  if (!core.db.inTransaction) throw new Error(`The trigger ${name} stands aside only inside a transaction.`);
  const sql = storedTrigger.get(core, { name });
  if (sql === undefined) return fn();
  core.db.exec(`DROP TRIGGER "${name.replace(/"/g, '""')}"`);
  try {
    return fn();
  } finally {
    // A failure that already rolled the transaction back took the DROP with it.
    if (core.db.inTransaction) {
      beforeRestore?.();
      core.db.exec(sql);
    }
  }
}
