import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';
import { canonicalJson } from '../audit';
import { fsyncFolder } from '../db/open';
import type { KeyProtector } from '../ports';
import { fileKeyProtector } from '../ports';

/**
 * The key the database file does not hold: a per-PC secret that signs (HMAC-SHA256) every head
 * recorded outside the database, so someone with a copy of the file, or of the data folder without
 * the secret store that wraps the key, cannot write heads that match a rewritten trail.
 *
 * Keys live in `<data folder>/audit-keys/<id>.json`, one per protector that made one: on a PC whose
 * data folder several accounts share, each account's safeStorage wraps its own. A head names the
 * key that signed it; a check verifies the heads signed by the keys this process can unwrap.
 */
export const KEY_FOLDER = 'audit-keys';

export interface AnchorKey {
  /** The first 16 hex digits of the key's SHA-256: names it without revealing it. */
  id: string;
  sign(value: unknown): string;
  verify(value: unknown, mac: string): boolean;
}

interface KeyFile {
  v: 1;
  id: string;
  protection: KeyProtector['name'];
  data: string;
  createdAt: string;
}

/** The secret behind each key this process made or unwrapped, for handing to its own worker thread. */
const secrets = new WeakMap<AnchorKey, Buffer>();

/** The signing key's secret, to sign with the same key in the worker thread; null without one. */
export function signingSecret(ring: KeyRing): Buffer | null {
  return ring.signing ? (secrets.get(ring.signing) ?? null) : null;
}

/**
 * The worker thread's ring: it signs with the key the main thread gave it, and checks with every
 * key the main thread holds and knows of (`material`). Given only the signing key, a backup's check
 * in the worker took every line another account's key signed for one written by someone without a
 * key, and refused the backup.
 */
export function ringFromSecret(secret: Buffer, material: RingMaterial = { known: [], foreign: [] }): KeyRing {
  const key = anchorKey(secret);
  const ring = ringFromMaterial(material);
  ring.known.set(key.id, key);
  return { ...ring, signing: key };
}

/** Every key a ring can check with, as plain data: for the worker thread's check of the head log. */
export interface RingMaterial {
  known: Uint8Array[];
  foreign: string[];
}

export function ringMaterial(ring: KeyRing): RingMaterial {
  const known: Uint8Array[] = [];
  for (const key of ring.known.values()) {
    const secret = secrets.get(key);
    if (secret) known.push(new Uint8Array(secret));
  }
  return { known, foreign: [...ring.foreign] };
}

/**
 * `ring` with the key files in the data folder now: a key made since the ring was loaded (another
 * account's first start while this app runs) is another account's. Without it, the lines that
 * account writes from then on were taken, until this app started again, for lines written by
 * someone without a key, and a backup's check refused them.
 */
export function withKeysNow(ring: KeyRing, dataDir: string): KeyRing {
  const now = readKeyFiles(dataDir).filter((f) => !ring.known.has(f.id) && !ring.foreign.has(f.id));
  return now.length === 0 ? ring : { ...ring, foreign: new Set([...ring.foreign, ...now.map((f) => f.id)]) };
}

/** A ring that checks (never signs) with the keys the main thread handed over. */
export function ringFromMaterial(material: RingMaterial): KeyRing {
  const keys = material.known.map((k) => anchorKey(Buffer.from(k)));
  return { signing: null, known: new Map(keys.map((k) => [k.id, k])), foreign: new Set(material.foreign) };
}

function anchorKey(secret: Buffer): AnchorKey {
  const id = createHash('sha256').update(secret).digest('hex').slice(0, 16);
  const sign = (value: unknown) => createHmac('sha256', secret).update(canonicalJson(value)).digest('hex');
  const key: AnchorKey = {
    id,
    sign,
    verify: (value, mac) => {
      const expected = Buffer.from(sign(value), 'hex');
      const given = Buffer.from(/^[0-9a-f]{64}$/.test(mac) ? mac : '', 'hex');
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
  secrets.set(key, secret);
  return key;
}

export interface KeyRing {
  /** The key this process signs with; null when none can be made (a read-only data folder). */
  signing: AnchorKey | null;
  /** Every key this process can unwrap, by id. */
  known: Map<string, AnchorKey>;
  /** Ids of key files present that this process cannot unwrap (another account's, another PC's). */
  foreign: Set<string>;
}

/** The key files of the data folder; one this account cannot read, by its name. */
function readKeyFiles(dataDir: string): (KeyFile | { id: string; unreadable: true })[] {
  const dir = path.join(dataDir, KEY_FOLDER);
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
  const out: ReturnType<typeof readKeyFiles> = [];
  for (const name of names.sort()) {
    let text: string;
    try {
      text = readFileSync(path.join(dir, name), 'utf8');
    } catch {
      // Another account's key file, owner-only (as every key file is made on macOS and Linux):
      // its name is its id, so the lines it signed are that account's, not a stranger's.
      if (/^[0-9a-f]{16}\.json$/.test(name)) out.push({ id: name.slice(0, 16), unreadable: true });
      continue;
    }
    try {
      const k = JSON.parse(text) as KeyFile;
      if (k && k.v === 1 && typeof k.id === 'string' && typeof k.data === 'string') out.push(k);
    } catch {
      // not a key file: counted by no one
    }
  }
  return out;
}

/**
 * The keys of this data folder: loads those the protectors unwrap, and makes one with the best
 * protector when none does (unless `create` is false: a check never writes).
 */
export function loadKeyRing(dataDir: string, protectors: readonly KeyProtector[] = [fileKeyProtector], options: { create?: boolean } = {}): KeyRing {
  const known = new Map<string, AnchorKey>();
  const foreign = new Set<string>();
  const best = protectors[0];
  let bestHeld: AnchorKey | null = null;
  let anyHeld: AnchorKey | null = null;
  for (const file of readKeyFiles(dataDir)) {
    if ('unreadable' in file) {
      foreign.add(file.id);
      continue;
    }
    let secret: Buffer | null = null;
    try {
      secret = protectors.find((p) => p.name === file.protection)?.unwrap(file.data) ?? null;
    } catch {
      secret = null;
    }
    const key = secret && secret.length === 32 ? anchorKey(secret) : null;
    if (!key || key.id !== file.id) {
      foreign.add(file.id);
      continue;
    }
    known.set(key.id, key);
    anyHeld ??= key;
    if (best && file.protection === best.name) bestHeld ??= key;
  }
  // Each protector keeps its own key: the app's safeStorage key is made even where the command line left a file key.
  if (!bestHeld && best && options.create !== false) {
    try {
      const secret = randomBytes(32);
      const key = anchorKey(secret);
      const dir = path.join(dataDir, KEY_FOLDER);
      mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `${key.id}.json`);
      const temp = `${file}.tmp-${process.pid}`;
      const body: KeyFile = { v: 1, id: key.id, protection: best.name, data: best.wrap(secret), createdAt: new Date().toISOString() };
      // On disk before anything is signed with it: a key lost to a power cut would make every head
      // signed with it look written by someone without the key.
      const fd = openSync(temp, 'w', 0o600);
      try {
        writeSync(fd, JSON.stringify(body, null, 2));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      chmodSync(temp, 0o600);
      renameSync(temp, file);
      fsyncFolder(dir);
      known.set(key.id, key);
      bestHeld = key;
    } catch {
      // A read-only data folder: heads are then recorded unsigned, and the check says so.
    }
  }
  const signing = bestHeld ?? anyHeld;
  return { signing, known, foreign };
}
