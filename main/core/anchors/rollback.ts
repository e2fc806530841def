import type { Database } from 'better-sqlite3';
import { backupFolder, listBackupFiles } from '../backup/folder';
import { openFile } from '../backup/sqlite';
import { scalar } from '../sql/query';
import { signedBackupHead } from './backup-anchor';
import type { Head } from './chain';
import { chainBranch, chainId, chainLineage, entryHashes } from './chain';
import type { KeyRing } from './key';

/**
 * A backup this PC's Wardkeep made holds, signed, the head it ended on. When that head is on the
 * database's own chain, where the database still holds that chain, but the database does not hold
 * it (the trail ends before it, or goes on from an earlier entry with other entries), the database
 * lost what the backup holds: the data folder (database, head log, position files) was put back
 * from an older copy. The head log cannot tell, being put back with it; the backup can.
 *
 * A backup of history a restore (or a sync's branch) went back from is not lost: the database's
 * chain goes on from an earlier entry of that chain on purpose, and holds that chain only to there.
 */

const firstOfChain = scalar<number, { chain: string }>('SELECT min(seq) FROM audit_log WHERE chain_id = @chain');

/** Up to which entry this database holds `chain` as its own history; null when the chain is not in it. */
function heldUpTo(db: Database, chain: string): number | null {
  const lineage = chainLineage(db);
  const at = lineage.indexOf(chain);
  if (at === -1) return null;
  if (at === lineage.length - 1) return Number.POSITIVE_INFINITY;
  const child = lineage[at + 1]!;
  const first = firstOfChain.get({ db }, { chain: child });
  if (typeof first === 'number') return first - 1;
  // The database's chain has no entry of its own yet: it continues from where it branched.
  return child === chainId(db) ? (chainBranch(db)?.seq ?? 0) : 0;
}

/** The entries `head` (stored in `copy`) names that `db` does not hold as `copy` does: from the first that differs or is missing, to the head; null when `db` holds them. */
export function entriesLostTo(db: Database, copy: Database, head: Head): { from: number; to: number } | null {
  const upTo = heldUpTo(db, head.chain);
  if (upTo === null || head.seq > upTo) return null;
  const inDb = entryHashes(db);
  if (inDb(head.chain, head.seq) === head.hash) return null;
  const inCopy = entryHashes(copy);
  // Entries link by hash: where the two agree on an entry they agree on every one before it.
  let agree = 0;
  let differ = head.seq;
  while (differ - agree > 1) {
    const mid = Math.floor((agree + differ) / 2);
    // Both without it: before the chain began (a restore started it), where they agree too.
    if (inDb(head.chain, mid) === inCopy(head.chain, mid)) agree = mid;
    else differ = mid;
  }
  return { from: differ, to: head.seq };
}

/** The finding for entries a backup holds that the database lost, or null. */
export function lostToBackupFinding(db: Database, copy: Database, ring: KeyRing, fileName: string): string | null {
  const head = signedBackupHead(copy, ring);
  const lost = head ? entriesLostTo(db, copy, head) : null;
  return lost ? `The database lost audit entries ${lost.from} to ${lost.to}, which backup ${fileName} holds: the data folder was put back from an older copy.` : null;
}

/**
 * Every backup in the backup folder against the database: the entries a backup holds, signed, that
 * the database lost. A backup that cannot be read is passed over here (`wardkeep verify` names it).
 */
export function checkBackupsHeld(db: Database, dataDir: string, ring: KeyRing): { findings: string[] } {
  const findings: string[] = [];
  if (ring.known.size === 0) return { findings };
  for (const b of listBackupFiles(backupFolder(dataDir))) {
    let copy: Database | undefined;
    try {
      copy = openFile(b.file, { readonly: true });
      const finding = lostToBackupFinding(db, copy, ring, b.fileName);
      if (finding) findings.push(finding);
    } catch {
      // Unreadable, or removed meanwhile.
    } finally {
      copy?.close();
    }
  }
  return { findings };
}
