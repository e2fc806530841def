import type pg from 'pg';
import { localDay } from '../../shared/date-format';
import { codeId, codeKey, enrolProof, newEnrolCode, normaliseCode, proofsMatch } from '../core/sync/enrol-code';
import type { EnrolRequest, EnrolResponse } from '../core/sync/protocol';
import { HEADER, verifyRequest } from '../core/sync/signing';
import { HubHttpError } from './errors';
import type { Pc } from './store';
import { HUB_NODE } from './store';

/**
 * Joining, trusting and leaving: one-time codes an administrator makes at the hub, enrolment, the
 * check of every signed request, and revocation (a stolen laptop). All of it in PostgreSQL.
 */

export const CODE_HOURS = 24;

/** Held while a PC joins: two codes made for one name before either was used join one PC, not two. */
const ENROL_LOCK = 0x454e524c; // 'ENRL'

const activeByName = 'SELECT 1 FROM hub_pcs WHERE lower(name) = lower($1) AND revoked_at IS NULL';

const nameTaken = (name: string) =>
  `There is already a PC called "${name}" at this hub: revoke it first (wardkeep hub revoke --pc "${name}"), or choose another name.`;

export async function createEnrolCode(pool: pg.Pool, name: string): Promise<{ code: string; expiresAt: Date }> {
  const trimmed = name.trim();
  if (!trimmed) throw new Error('Give the PC a name (--name), such as "Ward 4B".');
  const clash = await pool.query(activeByName, [trimmed]);
  if (clash.rowCount) throw new Error(nameTaken(trimmed));
  const code = newEnrolCode();
  const plain = normaliseCode(code)!;
  const r = await pool.query<{ expires_at: Date }>(
    `INSERT INTO hub_enrol_codes (code_id, code_key, pc_name, expires_at) VALUES ($1, $2, $3, now() + make_interval(hours => $4)) RETURNING expires_at`,
    [codeId(plain), codeKey(plain), trimmed, CODE_HOURS],
  );
  await pool.query("DELETE FROM hub_nonces WHERE seen_at < now() - interval '7 days'");
  return { code, expiresAt: r.rows[0]!.expires_at };
}

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
      await c.query<{ code_key: string; pc_name: string; expired: boolean; used_at: Date | null }>(
        'SELECT code_key, pc_name, expires_at < now() AS expired, used_at FROM hub_enrol_codes WHERE code_id = $1 FOR UPDATE',
        [req.codeId],
      )
    ).rows[0];
    if (!row)
      throw new HubHttpError(
        403,
        'bad_code',
        'The hub knows no such enrolment code: check it, or ask the administrator for a new one (wardkeep hub enrol-code).',
      );
    if (row.used_at)
      throw new HubHttpError(
        403,
        'bad_code',
        'This enrolment code was already used: each code joins one PC. Ask the administrator for a new one.',
      );
    if (row.expired)
      throw new HubHttpError(
        403,
        'bad_code',
        `This enrolment code has expired (codes last ${CODE_HOURS} hours). Ask the administrator for a new one.`,
      );
    const facts = { fingerprint, publicKey: req.publicKey, pcId: req.pcId, replica: req.replica };
    if (!proofsMatch(enrolProof(row.code_key, 'pc', facts), req.proof)) {
      throw new HubHttpError(
        403,
        'bad_code',
        'The enrolment code does not match, or the PC is not talking to this hub directly (another certificate was in the way). Nothing was changed.',
      );
    }
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
      'unauthenticated',
      'This PC is not enrolled at this hub: enrol it with a code from the administrator (wardkeep sync enrol).',
    );
  if (!verifyRequest(pc.public_key, method, path, pcId, nonce, body, signature))
    throw new HubHttpError(401, 'unauthenticated', "The request's signature does not match this PC's key.");
  if (pc.revoked_at) {
    throw new HubHttpError(
      403,
      'revoked',
      // The hospital's own day (the hub's local day), as YYYY-MM-DD: each PC writes it in its own date format (formatDaysIn).
      // No instruction here: the PC says how to join again where it shows this (the app, `wardkeep sync`).
      `This PC ("${pc.name}") was revoked at the hub on ${localDay(pc.revoked_at)}: it keeps its data but no longer syncs.`,
    );
  }
  const fresh = await pool.query('INSERT INTO hub_nonces (pc_id, nonce) VALUES ($1, $2) ON CONFLICT DO NOTHING', [pcId, nonce]);
  if (!fresh.rowCount) throw new HubHttpError(401, 'unauthenticated', 'This request was already received once (a replay): it was refused.');
  return { pcId, name: pc.name };
}
