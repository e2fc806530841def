import type { Migration } from './types';

/**
 * The audit trail without its index by hash (issue 17). `audit_log_hash` served one question, asked
 * once per chain when a chain is walked or its lineage traced: which other chain holds the entry a
 * chain continues from (a restore's, a hand-copied file's, another PC's). That is now one seek of the
 * primary key per chain (anchors/chain.ts `chainHoldingEntry`), and the index cost every entry
 * written a random insert (the hash is random), every integrity check (`wardkeep verify`, a
 * backup's check) a look-up per entry (about a seventh of the whole check on the benchmark
 * hospital), and the file about 4 % of its size. Dropping it reads only the index's pages.
 */
export const migration0016: Migration = {
  version: 16,
  name: 'the audit trail without its index by hash',
  up(db) {
    db.exec('DROP INDEX IF EXISTS audit_log_hash;');
  },
};
