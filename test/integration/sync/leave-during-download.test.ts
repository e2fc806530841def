import { describe, expect, it } from 'vitest';
import { createBackend } from '../../../main/core/backend';
import { newSession } from '../../../main/core/session';
import { enrolPc, SyncClient } from '../../../main/core/sync/engine';
import type { Transport } from '../../../main/core/sync/transport';
import { HubRequestError } from '../../../main/core/sync/transport';
import { createEnrolCode } from '../../../main/hub/pcs';
import { testCore } from '../../helpers/core';
import { signedInUser } from '../../helpers/users';
import { device, done, equipmentRow, plan, planRow } from '../plans/fixtures';
import { directTransport, testHub, testPc } from './harness';

/**
 * Leaving the hub part-way through the download of the hospital (Settings → Hospital hub → Leave
 * the hub…): the PC keeps what it downloaded and works on its own, so what it holds is worked out
 * as it leaves, as the end of the download would have: a device a failed test it holds tagged out
 * is out of service, and every plan has its due date.
 */

const DAY = 86_400_000;

describe('leaving the hub half-way through joining', () => {
  it('a device a failed test tagged out is out of service, and its plan due as on the PC that logged it', async () => {
    const hub = await testHub();
    const em = await testPc(hub, 'Emergency');
    const pump = device(em.core, 'IP-0300');
    const safety = plan(em.core, pump, 'electrical_safety', '12m', '2025-01-01');
    done(em.core, safety.id, new Date(Date.now() - DAY).toISOString(), 'fail');
    expect(equipmentRow(em.core, pump).status).toBe('out_of_service');
    await em.sync();

    // A new PC joins; the network drops while it downloads the audit trail (its last table).
    const core = testCore();
    const { code } = await createEnrolCode(hub.pool, 'Clinic');
    await enrolPc(core, 'https://hub.invalid', code, {
      peek: async () => ({ fingerprint: hub.tls.fingerprint, pem: hub.tls.certPem }),
      transport: () => directTransport(hub, core),
    });
    const inner = directTransport(hub, core);
    const flaky: Transport = {
      post: async (path, body) => {
        if (path === '/v1/snapshot/page' && (body as { tbl: string }).tbl === 'audit_log')
          throw new HubRequestError('unreachable', 'The hub at https://hub.invalid cannot be reached: the connection was cut.');
        return inner.post(path, body);
      },
    };
    await expect(new SyncClient(core, flaky).syncOnce()).rejects.toThrow(/cannot be reached/);
    expect(core.db.prepare('SELECT count(*) FROM completions').pluck().get()).toBe(1);

    // The administrator gives up and leaves the hub.
    const backend = createBackend(core, {
      logError: (err) => {
        throw err;
      },
    });
    const session = newSession(Date.now());
    signedInUser(core, 'admin', { name: 'Ada Admin', session });
    const left = await backend.invoke(session, 'sync.leave', { confirm: true });
    expect(left.ok ? left.value.state : left.error.message).toBe('not_enrolled');
    // "It keeps all its data and works on its own": the failed test it holds tags the pump out here too.
    expect(equipmentRow(core, pump)).toEqual(equipmentRow(em.core, pump));
    expect(equipmentRow(core, pump).status).toBe('out_of_service');
    expect(planRow(core, safety.id)).toEqual(planRow(em.core, safety.id));
  });
});
