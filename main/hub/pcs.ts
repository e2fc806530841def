import type pg from 'pg';
import { localDay } from '../../shared/date-format';
import { codeId, codeKey, enrolProof, newEnrolCode, normaliseCode, proofsMatch } from '../core/sync/enrol-code';
import type { EnrolRequest, EnrolResponse } from '../core/sync/protocol';
import { HEADER, verifyRequest } from '../core/sync/signing';
import { HubHttpError } from './errors';
import type { Pc } from './store';
import { HUB_NODE, revokedError } from './store';

/**
 * Joining, trusting and leaving: one-time codes an administrator makes at the hub, enrolment, the
 * check of every signed request, and revocation (a stolen laptop). All of it in PostgreSQL.
 */

export const CODE_HOURS = 24;

/** How long the hub keeps a request's nonce (a replay within it is refused). */
export const NONCE_DAYS = 7;
/** How often, at most, a hub process lets go of the nonces older than NONCE_DAYS. */
const NONCE_SWEEP_MS = 10 * 60_000;
const lastNonceSweep = new WeakMap<pg.Pool, number>();

/**
 * Lets go of nonces older than NONCE_DAYS, at most every NONCE_SWEEP_MS per hub process: every
 * request of every PC leaves one (a ward PC syncing every few seconds leaves tens of thousands a
 * day), and a hub that kept them all would fill its database's disk.
 */
async function sweepNonces(pool: pg.Pool): Promise<void> {
  const now = Date.now();
  if (now - (lastNonceSweep.get(pool) ?? 0) < NONCE_SWEEP_MS) return;
  lastNonceSweep.set(pool, now);
  // Housekeeping never fails the request it rides on: the next request tries again.
  await pool
    .query('DELETE FROM hub_nonces WHERE seen_at < now() - make_interval(days => $1)', [NONCE_DAYS])
    .catch(() => lastNonceSweep.delete(pool));
}

/** Held while a PC joins: two codes made for one name before either was used join one PC, not two. */
const ENROL_LOCK = 0x454e524c; // 'ENRL'

const activeByName = 'SELECT 1 FROM hub_pcs WHERE lower(name) = lower($1) AND revoked_at IS NULL';

const nameTaken = (name: string) =>
  `There is already a PC called "${name}" at this hub: revoke it first (wardkeep hub revoke --pc "${name}"), or choose another name.`;

export async function createEnrolCode(pool: pg.Pool, name: string): Promise<{ code: string; expiresAt: Date }> {
  const trimmed = name.trim();
  if (!trimmed) throw new Error('Give the PC a name (--name), such as "Ward 4B".');
  const clash = (
    await pool.query<{ heard: boolean; enrolled_at: Date }>(
      `SELECT (p.last_seen_at IS NOT NULL OR EXISTS (SELECT 1 FROM hub_nonces n WHERE n.pc_id = p.pc_id)) AS heard, p.enrolled_at
       FROM hub_pcs p WHERE lower(p.name) = lower($1) AND p.revoked_at IS NULL`,
      [trimmed],
    )
  ).rows;
  if (clash.length) {
    // A PC that joined but was never heard from: most likely the hub's answer never reached it.
    const never = clash.find((p) => !p.heard);
    const cutOff = never
      ? ` It joined on ${localDay(never.enrolled_at)} and has not synced since: if its joining was cut off, enrol that PC again with the same code while the code is valid (${CODE_HOURS} hours from when it was made).`
      : '';
    throw new Error(nameTaken(trimmed) + cutOff);
  }
  const code = newEnrolCode();
  const plain = normaliseCode(code)!;
  const r = await pool.query<{ expires_at: Date }>(
    `INSERT INTO hub_enrol_codes (code_id, code_key, pc_name, expires_at) VALUES ($1, $2, $3, now() + make_interval(hours => $4)) RETURNING expires_at`,
    [codeId(plain), codeKey(plain), trimmed, CODE_HOURS],
  );
  await pool.query('DELETE FROM hub_nonces WHERE seen_at < now() - make_interval(days => $1)', [NONCE_DAYS]);
  return { code, expiresAt: r.rows[0]!.expires_at };
}

const notProven = () =>
  new HubHttpError(
    403,
    'bad_code',
    'The enrolment code does not match, or the PC is not talking to this hub directly (another certificate was in the way). Nothing was changed.',
  );

export async function enrol(
  pool: pg.Pool,
  req: EnrolRequest,
  fingerprint: string,
  hubId: string,
  receiptKey: string,
): Promise<EnrolResponse> {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    await c.query('SELECT pg_advisory_xact_lock($1)', [ENROL_LOCK]);
    const row = (
      await c.query<{ code_key: string; pc_name: string; expired: boolean; used_at: Date | null; used_by: string | null }>(
        'SELECT code_key, pc_name, expires_at < now() AS expired, used_at, used_by FROM hub_enrol_codes WHERE code_id = $1 FOR UPDATE',
        [req.codeId],
      )
    ).rows[0];
    if (!row)
      throw new HubHttpError(
        403,
        'bad_code',
        'The hub knows no such enrolment code: check it, or ask the administrator for a new one (wardkeep hub enrol-code).',
      );
    if (row.expired)
      throw new HubHttpError(
        403,
        'bad_code',
        `This enrolment code has expired (codes last ${CODE_HOURS} hours). Ask the administrator for a new one.`,
      );
    const facts = { fingerprint, publicKey: req.publicKey, pcId: req.pcId, replica: req.replica };
    const proven = proofsMatch(enrolProof(row.code_key, 'pc', facts), req.proof);
    if (row.used_at) {
      // The PC the code joined, trying again because the hub's answer never reached it (the hub
      // went down just after taking the code): as long as it has never been heard from since, it
      // joins with the key it holds now. Anyone else, or later, is told what happened.
      const same = row.used_by === req.pcId;
      if (!same)
        throw new HubHttpError(
          403,
          'bad_code',
          `This enrolment code was already used: it joined another PC as "${row.pc_name}" on ${localDay(row.used_at)}. Each code joins one PC: ask the administrator for a new one.`,
        );
      if (!proven) throw notProven();
      const heard = (
        await c.query<{ heard: boolean }>(
          `SELECT (p.last_seen_at IS NOT NULL OR p.revoked_at IS NOT NULL OR EXISTS (SELECT 1 FROM hub_nonces n WHERE n.pc_id = p.pc_id)) AS heard
           FROM hub_pcs p WHERE p.pc_id = $1 FOR UPDATE`,
          [req.pcId],
        )
      ).rows[0];
      if (heard?.heard !== false)
        throw new HubHttpError(
          409,
          'bad_code',
          `This enrolment code already joined this PC as "${row.pc_name}" on ${localDay(row.used_at)}, and the hub has heard from it since (or revoked it): a code joins a PC once. To join again, an administrator revokes "${row.pc_name}" (wardkeep hub revoke --pc "${row.pc_name}"), then makes a new code.`,
        );
      await c.query('UPDATE hub_pcs SET public_key = $2 WHERE pc_id = $1', [req.pcId, req.publicKey]);
      await c.query('INSERT INTO hub_replicas (replica, pc_id) VALUES ($1, $2) ON CONFLICT (replica) DO NOTHING', [req.replica, req.pcId]);
      await c.query('COMMIT');
      return { pcName: row.pc_name, hubId, receiptKey, proof: enrolProof(row.code_key, 'hub', facts), hubTime: Date.now() };
    }
    if (!proven) throw notProven();
    // A PC id an active PC holds is that PC's: a code cannot take it over (its key, its name). A PC
    // joining again (after leaving, or revoked) does so once an administrator has revoked it.
    const held = (
      await c.query<{ name: string }>('SELECT name FROM hub_pcs WHERE pc_id = $1 AND revoked_at IS NULL FOR UPDATE', [req.pcId])
    ).rows[0];
    if (held)
      throw new HubHttpError(
        409,
        'forbidden',
        `This PC is still enrolled at the hub as "${held.name}": an administrator revokes it first (wardkeep hub revoke --pc "${held.name}"), then a new code joins it again. Nothing was changed.`,
      );
    // A name is one PC's while it is enrolled: `hub revoke --pc NAME` then takes out that PC alone.
    // Checked here too, since two codes may be made for one name before either is used.
    if ((await c.query(activeByName, [row.pc_name])).rowCount) throw new HubHttpError(409, 'bad_code', nameTaken(row.pc_name));
    // "hub" names the hub's own clock stamps: a history of that name would be credited with its decisions.
    if (req.replica === HUB_NODE || req.pcId === HUB_NODE)
      throw new HubHttpError(403, 'forbidden', 'A PC or its history cannot be called "hub": that name is the hub\'s own. Nothing was changed.');
    // Its first history (the chain named at enrolment) is reserved for it: no other PC can push under it.
    const owner = (
      await c.query<{ pc_id: string }>(
        `SELECT pc_id FROM hub_replicas WHERE replica = $1 UNION SELECT pc_id FROM hub_pcs WHERE pc_id = $1`,
        [req.replica],
      )
    ).rows.find((r) => r.pc_id !== req.pcId);
    if (owner)
      throw new HubHttpError(
        409,
        'forbidden',
        "This PC's history is another PC's at the hub: its database may be a copy of another PC's. Nothing was changed.",
      );
    await c.query(
      `INSERT INTO hub_pcs (pc_id, name, public_key) VALUES ($1, $2, $3)
       ON CONFLICT (pc_id) DO UPDATE SET name = EXCLUDED.name, public_key = EXCLUDED.public_key, revoked_at = NULL, enrolled_at = now()`,
      [req.pcId, row.pc_name, req.publicKey],
    );
    await c.query('INSERT INTO hub_replicas (replica, pc_id) VALUES ($1, $2) ON CONFLICT (replica) DO NOTHING', [req.replica, req.pcId]);
    await c.query('UPDATE hub_enrol_codes SET used_at = now(), used_by = $2 WHERE code_id = $1', [req.codeId, req.pcId]);
    await c.query('COMMIT');
    return { pcName: row.pc_name, hubId, receiptKey, proof: enrolProof(row.code_key, 'hub', facts), hubTime: Date.now() };
  } catch (err) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    c.release();
  }
}

/** Revokes every active PC of that name; returns how many. */
export async function revokePc(pool: pg.Pool, name: string): Promise<number> {
  const r = await pool.query('UPDATE hub_pcs SET revoked_at = now() WHERE lower(name) = lower($1) AND revoked_at IS NULL', [name.trim()]);
  return r.rowCount ?? 0;
}

/** The PC that signed a request, or an error saying why it is not let in. */
export async function authenticate(
  pool: pg.Pool,
  method: string,
  path: string,
  headers: Record<string, string | string[] | undefined>,
  body: Buffer,
): Promise<Pc> {
  const one = (name: string) => {
    const v = headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const pcId = one(HEADER.pc);
  const nonce = one(HEADER.nonce);
  const signature = one(HEADER.signature);
  if (!pcId || !nonce || !signature || !/^[0-9a-f]{32}$/.test(nonce))
    throw new HubHttpError(401, 'unauthenticated', 'The request is not signed by an enrolled PC.');
  const pc = (
    await pool.query<{ name: string; public_key: string; revoked_at: Date | null }>(
      'SELECT name, public_key, revoked_at FROM hub_pcs WHERE pc_id = $1',
      [pcId],
    )
  ).rows[0];
  if (!pc)
    throw new HubHttpError(
      401,
      // Its own code: the PC then lets a new code join it again (sync/engine.ts enrolPc), since the hub holds nothing of it.
      'unknown_pc',
      'This PC is not enrolled at this hub (the hub may have been put back from a backup made before this PC joined): leave the hub on this PC (Settings → Hospital hub), then join again with a new code from the administrator. It keeps its data and sends it again.',
    );
  if (!verifyRequest(pc.public_key, method, path, pcId, nonce, body, signature))
    throw new HubHttpError(401, 'unauthenticated', "The request's signature does not match this PC's key.");
  if (pc.revoked_at) throw revokedError(pc.name, pc.revoked_at);
  const fresh = await pool.query('INSERT INTO hub_nonces (pc_id, nonce) VALUES ($1, $2) ON CONFLICT DO NOTHING', [pcId, nonce]);
  if (!fresh.rowCount) throw new HubHttpError(401, 'unauthenticated', 'This request was already received once (a replay): it was refused.');
  await sweepNonces(pool);
  return { pcId, name: pc.name };
}
