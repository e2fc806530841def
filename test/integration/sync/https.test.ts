import 'reflect-metadata';
import { webcrypto, X509Certificate } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { Agent, get as getHttps } from 'node:https';
import { connect } from 'node:net';
import path from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import * as x509 from '@peculiar/x509';
import { describe, expect, inject, it } from 'vitest';
import { enrolPc, SyncClient, SyncError, transportFor } from '../../../main/core/sync/engine';
import { getState } from '../../../main/core/sync/state';
import { HttpsTransport } from '../../../main/core/sync/transport';
import { createEnrolCode, revokePc } from '../../../main/hub/pcs';
import { startHub } from '../../../main/hub/server';
import { createDatabase } from '../../helpers/pg';
import { tempDir, testCore } from '../../helpers/core';
import { device } from '../plans/fixtures';

describe('the hub over HTTPS', () => {
  it('makes its certificate at first start, keeps it for a second process, and a PC enrols by code and syncs', async () => {
    const db = await createDatabase(inject('pgBaseUrl'));
    const tlsDir = tempDir();
    const one = await startHub({ databaseUrl: db.url, host: '127.0.0.1', port: 0, tlsDir, log: () => undefined });
    const two = await startHub({ databaseUrl: db.url, host: '127.0.0.1', port: 0, tlsDir: null, log: () => undefined });
    try {
      expect(two.tls.fingerprint).toBe(one.tls.fingerprint);
      expect(readFileSync(path.join(tlsDir, 'hub-cert.pem'), 'utf8')).toBe(one.tls.certPem);
      expect(statSync(path.join(tlsDir, 'hub-key.pem')).mode & 0o777).toBe(0o600);
      expect(new X509Certificate(one.tls.certPem).fingerprint256).toBe(one.tls.fingerprint);
      const pc = testCore();
      device(pc, 'DF-1');
      const { code } = await createEnrolCode(one.pool, 'Ward 4B');
      // A code is for one PC: a typo, then the real one.
      await expect(enrolPc(pc, one.url, 'AAAA-BBBB-CCCC-DDDD')).rejects.toThrow(/knows no such enrolment code/);
      const enrolled = await enrolPc(pc, one.url, code.toLowerCase());
      expect(enrolled).toEqual({ pcName: 'Ward 4B', fingerprint: one.tls.fingerprint });
      expect(getState(pc, 'hub_fingerprint')).toBe(one.tls.fingerprint);
      const other = testCore();
      await expect(enrolPc(other, one.url, code)).rejects.toThrow(/already used/);

      // The same hospital through the second hub process.
      const client = new SyncClient(
        pc,
        new HttpsTransport(two.url, getState(pc, 'hub_cert')!, { pcId: pc.pcId, privateKey: getState(pc, 'pc_key')! }),
      );
      const report = await client.syncOnce();
      expect(report.pushed).toBeGreaterThan(0);
      const rows = await one.pool.query<{ asset_tag: string }>('SELECT asset_tag FROM equipment');
      expect(rows.rows).toEqual([{ asset_tag: 'DF-1' }]);

      // Revoked: the PC keeps its data and stops syncing, with a sentence.
      expect(await revokePc(one.pool, 'Ward 4B')).toBe(1);
      await expect(new SyncClient(pc, transportFor(pc)).syncOnce()).rejects.toThrow(/revoked at the hub/);
      expect(getState(pc, 'revoked')).toMatch(/revoked/);
      expect(pc.db.prepare('SELECT count(*) FROM equipment').pluck().get()).toBe(1);
    } finally {
      await one.close();
      await two.close();
      await db.drop();
    }
  });

  it('refuses a server whose certificate is not the one the PC pinned, and sends nothing', async () => {
    const dbA = await createDatabase(inject('pgBaseUrl'));
    const dbB = await createDatabase(inject('pgBaseUrl'));
    const real = await startHub({ databaseUrl: dbA.url, host: '127.0.0.1', port: 0, tlsDir: null, log: () => undefined });
    const impostor = await startHub({ databaseUrl: dbB.url, host: '127.0.0.1', port: 0, tlsDir: null, log: () => undefined });
    try {
      const pc = testCore();
      const { code } = await createEnrolCode(real.pool, 'Ward 4B');
      await enrolPc(pc, real.url, code);
      const pinned = getState(pc, 'hub_cert')!;
      const client = new SyncClient(
        pc,
        new HttpsTransport(impostor.url, pinned, { pcId: pc.pcId, privateKey: getState(pc, 'pc_key')! }),
      );
      const err = await client.syncOnce().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SyncError);
      expect((err as SyncError).kind).toBe('certificate');
      expect((err as Error).message).toMatch(/not the one this PC pinned|did not show the certificate this PC pinned/);
      const seen = await impostor.pool.query('SELECT count(*)::int AS n FROM hub_nonces');
      expect(seen.rows[0]).toEqual({ n: 0 });
      // Unreachable: a sentence, and the PC notes since when.
      await real.close();
      const err2 = await new SyncClient(pc, transportFor(pc)).syncOnce().catch((e: unknown) => e);
      expect((err2 as SyncError).kind).toBe('unreachable');
      expect((err2 as Error).message).toMatch(/cannot be reached/);
      expect(getState(pc, 'offline_since')).not.toBeNull();
    } finally {
      await real.close().catch(() => undefined);
      await impostor.close();
      await dbA.drop();
      await dbB.drop();
    }
  });
});

/** A key and self-signed certificate valid from `from` to `to`, as IT might make one for the hub. */
async function certificate(from: Date, to: Date): Promise<{ keyPem: string; certPem: string }> {
  x509.cryptoProvider.set(webcrypto as unknown as Crypto);
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as unknown as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: 'CN=hub.hospital.local',
    notBefore: from,
    notAfter: to,
    signingAlgorithm: alg,
    keys,
    extensions: [new x509.BasicConstraintsExtension(false, undefined, true)],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)).toString('base64');
  return {
    keyPem: `-----BEGIN PRIVATE KEY-----\n${pkcs8.match(/.{1,64}/g)!.join('\n')}\n-----END PRIVATE KEY-----\n`,
    certPem: `${cert.toString('pem')}\n`,
  };
}

describe('the pinned certificate is the trust', () => {
  const DAY = 24 * 3600e3;

  it("IT's certificate past its end date: the PCs that pinned it keep syncing, rather than taking their own hub for another", async () => {
    const db = await createDatabase(inject('pgBaseUrl'));
    const tlsDir = tempDir();
    const itsOwn = await certificate(new Date(Date.now() - 400 * DAY), new Date(Date.now() - DAY));
    writeFileSync(path.join(tlsDir, 'hub-key.pem'), itsOwn.keyPem, { mode: 0o600 });
    writeFileSync(path.join(tlsDir, 'hub-cert.pem'), itsOwn.certPem);
    const hub = await startHub({ databaseUrl: db.url, host: '127.0.0.1', port: 0, tlsDir, log: () => undefined });
    try {
      const pc = testCore();
      device(pc, 'DF-1');
      const { code } = await createEnrolCode(hub.pool, 'Ward 4B');
      await enrolPc(pc, hub.url, code);
      const report = await new SyncClient(pc, transportFor(pc)).syncOnce();
      expect(report.pushed).toBeGreaterThan(0);
      expect((await hub.pool.query('SELECT asset_tag FROM equipment')).rows).toEqual([{ asset_tag: 'DF-1' }]);
    } finally {
      await hub.close();
      await db.drop();
    }
  });

  it('a server showing another certificate, even one in date, receives not one byte of the request', async () => {
    const db = await createDatabase(inject('pgBaseUrl'));
    const hub = await startHub({ databaseUrl: db.url, host: '127.0.0.1', port: 0, tlsDir: null, log: () => undefined });
    const other = await certificate(new Date(Date.now() - DAY), new Date(Date.now() + 365 * DAY));
    let received = 0;
    const impostor = createTlsServer({ key: other.keyPem, cert: other.certPem }, (socket) => {
      socket.on('data', (chunk: Buffer) => (received += chunk.length));
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => impostor.listen(0, '127.0.0.1', () => resolve()));
    try {
      const pc = testCore();
      const { code } = await createEnrolCode(hub.pool, 'Ward 4B');
      await enrolPc(pc, hub.url, code);
      const address = impostor.address() as { port: number };
      const transport = new HttpsTransport(`https://127.0.0.1:${address.port}`, getState(pc, 'hub_cert')!, {
        pcId: pc.pcId,
        privateKey: getState(pc, 'pc_key')!,
      });
      const err = await new SyncClient(pc, transport).syncOnce().catch((e: unknown) => e);
      transport.close();
      expect((err as SyncError).kind).toBe('certificate');
      expect((err as Error).message).toMatch(
        /^The hub's certificate \(.+\) is not the one this PC pinned when it enrolled \(.+\): it may not be your hospital's hub\. Nothing was sent\.$/,
      );
      await new Promise((r) => setTimeout(r, 100));
      expect(received).toBe(0);
    } finally {
      impostor.close();
      await hub.close();
      await db.drop();
    }
  });
});

describe('stopping the hub', () => {
  it('ends at once though a PC is half-way through connecting and another holds an idle connection', async () => {
    const db = await createDatabase(inject('pgBaseUrl'));
    const hub = await startHub({ databaseUrl: db.url, host: '127.0.0.1', port: 0, tlsDir: null, log: () => undefined });
    const port = Number(new URL(hub.url).port);
    // A PC whose connection is open but whose TLS handshake has not finished (a sync starting as
    // the hub is stopped), and one that finished a request and keeps its connection for the next.
    const halfway = connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => halfway.once('connect', () => resolve()));
    const idle = new Agent({ keepAlive: true, ca: hub.tls.certPem, checkServerIdentity: () => undefined });
    await new Promise<void>((resolve, reject) => {
      getHttps(`${hub.url}/v1/nothing-here`, { agent: idle }, (res) => {
        res.resume();
        res.once('end', () => resolve());
      }).once('error', reject);
    });
    try {
      const started = Date.now();
      await hub.close();
      // Without closing every socket, the half-open one holds the stop for the TLS handshake timeout
      // (120 s); closed, it takes milliseconds. The bound is far from both, so load does not matter.
      expect(Date.now() - started).toBeLessThan(30_000);
      expect(hub.server.listening).toBe(false);
    } finally {
      halfway.destroy();
      idle.destroy();
      await db.drop();
    }
  });
});
