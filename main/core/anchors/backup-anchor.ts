import type { Database } from 'better-sqlite3';
import type { Head } from './chain';
import { currentHead, shortHead } from './chain';
import type { AnchorKey, KeyRing } from './key';
import { scalar } from '../sql/query';

/**
 * Every backup carries the head it ends on, signed with the PC's key, in its own `meta` table
 * (`backup_head`): a backup edited after it was made no longer ends on that head, and without the
 * key the head cannot be signed again. Written into the copy before it is checked and put in place.
 */
export const BACKUP_HEAD_KEY = 'backup_head';

/**
 * The schema version from which every backup Wardkeep makes stores its head (0006-trust came with
 * the anchors). A backup at this version or later that holds audit entries but no head had it
 * taken out: otherwise deleting one `meta` row would make an edited backup pass as an old one.
 */
export const HEAD_STORED_SINCE_VERSION = 6;

interface StoredHead extends Head {
  at: string;
  key: string | null;
  mac: string | null;
}

/** The signed head a backup copy ends on, as its `meta` row holds it (backup/create.ts writes it); null before the first entry. */
export function backupAnchorOf(copy: Database, key: AnchorKey | null): string | null {
  const head = currentHead(copy);
  if (!head) return null;
  const unsigned = { ...head, at: new Date().toISOString() };
  const stored: StoredHead = { ...unsigned, key: key?.id ?? null, mac: key ? key.sign(unsigned) : null };
  return JSON.stringify(stored);
}

const storedAnchor = scalar<string>(`SELECT value FROM meta WHERE key = '${BACKUP_HEAD_KEY}'`);

/**
 * The head a backup stored, when a key this account holds signed it and the backup still ends on
 * it: what the PC's Wardkeep wrote, which no one without the key can make. Null otherwise (no head,
 * another account's key, a signature or a trail that does not hold: checkBackupAnchor names those).
 */
export function signedBackupHead(copy: Database, ring: KeyRing): Head | null {
  let stored: StoredHead | null;
  try {
    const text = storedAnchor.get({ db: copy });
    stored = text ? (JSON.parse(text) as StoredHead) : null;
  } catch {
    return null;
  }
  if (!stored?.key || !stored.mac) return null;
  const key = ring.known.get(stored.key);
  const { key: _k, mac, ...unsigned } = stored;
  if (!key || !key.verify(unsigned, mac)) return null;
  const head = currentHead(copy);
  if (!head || head.chain !== stored.chain || head.seq !== stored.seq || head.hash !== stored.hash) return null;
  return head;
}

/**
 * A backup against the head stored in it. `ring` absent: the signature is not checked.
 * `madeByWardkeep`: the file is a backup Wardkeep made (in the backups folder, or chosen to be
 * restored), so from HEAD_STORED_SINCE_VERSION on it must hold its head.
 */
export function checkBackupAnchor(db: Database, ring: KeyRing | null, options: { madeByWardkeep?: boolean } = {}): { findings: string[]; notes: string[] } {
  const findings: string[] = [];
  const notes: string[] = [];
  let stored: StoredHead | null = null;
  try {
    const text = storedAnchor.get({ db });
    stored = text ? (JSON.parse(text) as StoredHead) : null;
  } catch {
    stored = null;
  }
  const head = currentHead(db);
  if (!stored) {
    if (!head) return { findings, notes };
    const version = db.pragma('user_version', { simple: true }) as number;
    if (options.madeByWardkeep && version >= HEAD_STORED_SINCE_VERSION) {
      findings.push(`It holds no head of its own, though every backup Wardkeep makes at schema version ${version} stores one: it was taken out after the backup was made.`);
    } else {
      notes.push('It holds no head of its own (made by an older Wardkeep): it was checked against the head log only.');
    }
    return { findings, notes };
  }
  if (!head || head.seq !== stored.seq || head.hash !== stored.hash || head.chain !== stored.chain) {
    findings.push(`It was changed after it was made: it ended on audit entry ${shortHead(stored)} and now ends on ${head ? shortHead(head) : 'no entry'}.`);
  }
  if (ring && stored.key && stored.mac) {
    const key = ring.known.get(stored.key);
    const { key: _k, mac, ...unsigned } = stored;
    if (key && !key.verify(unsigned, mac)) findings.push('Its stored head was changed after it was made (the signature does not match).');
    if (!key) notes.push("Its head is signed with a key this account does not hold (another PC's or account's): not checked.");
  }
  return { findings, notes };
}
