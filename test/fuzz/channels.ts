import fc from 'fast-check';
import { expect } from 'vitest';
import type { ChannelName } from '../../shared/contract';
import { contract } from '../../shared/contract';
import type { ErrorCode, Result } from '../../shared/result';
import { verifyAuditChain } from '../../main/core/audit';
import { createBackend } from '../../main/core/backend';
import type { Core } from '../../main/core/context';
import { systemActor } from '../../main/core/context';
import { inTransaction } from '../../main/core/dispatcher/transaction';
import { hashSecret } from '../../main/core/auth/passwords';
import { insertUser } from '../../main/core/users/service';
import type { SessionUser } from '../../main/core/session';
import { newSession } from '../../main/core/session';
import { fixedClock, testCore } from '../helpers/core';
import { seedEquipment, snapshot } from '../integration/safety/helpers';
import { keyedObject, leaf, payloadFor, schemaKeys, validShaped } from './arbitraries';

const ERROR_CODES: readonly ErrorCode[] = ['invalid_input', 'not_found', 'conflict', 'unauthenticated', 'forbidden', 'locked', 'storage', 'internal'];

/**
 * Rejected calls that may still write, and why. Anything not listed must leave every table's row
 * count and the audit trail's head exactly as they were.
 */
export const REJECTED_MAY_WRITE: Partial<Record<ChannelName, string>> = {
  'auth.signIn': 'a wrong PIN counts towards the account lockout, and that is audited',
  'completions.log': 'a wrong PIN when signing counts towards the lockout, and that is audited',
  'completions.amend': 'a wrong PIN when signing counts towards the lockout, and that is audited',
  'completions.review': 'a wrong PIN when signing counts towards the lockout, and that is audited',
  ...Object.fromEntries(
    (['workOrders.report', 'workOrders.take', 'workOrders.wait', 'workOrders.resume', 'workOrders.repair', 'workOrders.return', 'workOrders.retire'] as const).map(
      (c) => [c, 'every step of a work order is signed: a wrong PIN counts towards the lockout, and that is audited (issue 16)'],
    ),
  ),
  'auth.setOwnPin': 'a wrong current PIN counts towards the lockout like a sign-in, and that is audited (issue 13)',
};

/** Only a refused PIN or password (or a locked account) may leave those writes behind. */
const refusedSecret = (error: { code: string; field?: string }) => error.field === 'secret' || error.field === 'currentSecret' || error.code === 'locked';

/** A signed-in admin who exists in the database, as in the app. */
let adminPinHash: Promise<string> | null = null;
export async function realAdmin(core: Core): Promise<SessionUser> {
  adminPinHash ??= hashSecret('4826'); // scrypt is slow on purpose: once per test file
  const pinHash = await adminPinHash;
  const user = inTransaction(core, (core) =>
    insertUser(core, systemActor, { name: 'Fuzz Admin', role: 'admin', homeLocationId: null, pinHash, passwordHash: null, mustSetPin: false }),
  );
  return { id: user.id, name: user.name, role: 'admin' };
}

/**
 * Fuzzes one channel through backend.invoke, as an admin and as nobody. Each call must return a
 * result value (never throw, never an internal error), leave Object.prototype alone, and, when it
 * is rejected, leave the database as it was.
 */
export async function fuzzChannel(channel: ChannelName, numRuns: number, seed?: number): Promise<void> {
  const clock = fixedClock('2026-03-10T10:00:00Z');
  const core = testCore({ clock });
  const internal: unknown[] = [];
  const backend = createBackend(core, { logError: (err) => internal.push(err) });
  const admin = await realAdmin(core);
  const seeding = newSession(clock.now().getTime());
  seeding.user = admin;
  const { locationId, ids } = await seedEquipment(backend, seeding, 3, 'FZ');
  const known = fc.constantFrom(locationId, ...ids);
  const schema = contract[channel].input;
  const payload = fc.oneof(
    { arbitrary: payloadFor(schema), weight: 3 },
    { arbitrary: keyedObject(schemaKeys(schema), fc.oneof(leaf, known)), weight: 2 },
    { arbitrary: validShaped(schema, known), weight: 4 },
  );
  const protoNames = Object.getOwnPropertyNames(Object.prototype).sort();

  await fc.assert(
    fc.asyncProperty(payload, fc.constantFrom('admin', 'nobody'), async (input, who) => {
      const session = newSession(clock.now().getTime());
      if (who === 'admin') session.user = { ...admin };
      const before = snapshot(core.db);
      let result: Result<unknown>;
      try {
        result = await backend.invoke(session, channel, input);
      } catch (err) {
        throw new Error(`${channel} threw instead of returning an error value: ${String(err)}`);
      }
      if (internal.length > 0) throw new Error(`${channel} failed internally: ${String((internal[0] as Error)?.stack ?? internal[0])}`);
      expect(typeof result.ok).toBe('boolean');
      if (!result.ok) {
        expect(ERROR_CODES).toContain(result.error.code);
        expect(typeof result.error.message).toBe('string');
        expect(result.error.message.length).toBeGreaterThan(0);
        expect(result.error.message).not.toMatch(/\n\s+at /); // no stack trace
        if (!REJECTED_MAY_WRITE[channel] || !refusedSecret(result.error)) {
          expect(snapshot(core.db), `${channel} was rejected but changed the database`).toEqual(before);
        }
      } else {
        expect('value' in result).toBe(true);
      }
      expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(protoNames);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    }),
    { numRuns, ...(seed !== undefined ? { seed } : {}) },
  );
  expect(verifyAuditChain(core.db)).toMatchObject({ ok: true });
  const integrity = core.db.pragma('quick_check', { simple: true });
  expect(integrity).toBe('ok');
}
