import 'reflect-metadata';
import { createPrivateKey, createPublicKey, webcrypto, X509Certificate } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import * as x509 from '@peculiar/x509';
import type pg from 'pg';

/**
 * The hub's TLS key and self-signed certificate, made at its first start. PCs do not trust a
 * certificate authority for the hub: each pins this certificate's SHA-256 fingerprint when it
 * enrols. Every hub process of a hospital must show the same certificate, so it is kept in
 * PostgreSQL (the hub keeps no state outside it; note that pg_dump then holds the hub's key) and
 * written to --tls-dir as well, where a key and certificate IT puts there first are used instead.
 * Node's crypto makes keys but cannot write an X.509 certificate: @peculiar/x509 does that (on
 * Node's own WebCrypto), with reflect-metadata, which its dependency injection needs.
 */

export interface HubTls {
  keyPem: string;
  certPem: string;
  /** SHA-256 fingerprint, as `AA:BB:…`. */
  fingerprint: string;
  privateKey: KeyObject;
  /** The public half, SPKI PEM: PCs check the hub's signed receipts with it. */
  publicKeyPem: string;
}

const KEY_FILE = 'hub-key.pem';
const CERT_FILE = 'hub-cert.pem';

function describe(keyPem: string, certPem: string): HubTls {
  const privateKey = createPrivateKey(keyPem);
  const cert = new X509Certificate(certPem);
  return {
    keyPem,
    certPem,
    fingerprint: cert.fingerprint256,
    privateKey,
    publicKeyPem: createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString(),
  };
}

async function makeCertificate(): Promise<{ keyPem: string; certPem: string }> {
  x509.cryptoProvider.set(webcrypto as unknown as Crypto);
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as unknown as CryptoKeyPair;
  const now = new Date();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(16)))
      .toString('hex')
      .replace(/^[89a-f]/, '1'),
    name: `CN=Wardkeep hub ${hostname()}`,
    notBefore: new Date(now.getTime() - 24 * 3600 * 1000),
    notAfter: new Date(now.getTime() + 20 * 365 * 24 * 3600 * 1000),
    signingAlgorithm: alg,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.SubjectAlternativeNameExtension([
        { type: 'dns', value: hostname() },
        { type: 'dns', value: 'localhost' },
        { type: 'ip', value: '127.0.0.1' },
      ]),
    ],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)).toString('base64');
  const keyPem = `-----BEGIN PRIVATE KEY-----\n${pkcs8.match(/.{1,64}/g)!.join('\n')}\n-----END PRIVATE KEY-----\n`;
  return { keyPem, certPem: cert.toString('pem') + '\n' };
}

function writeFiles(dir: string, keyPem: string, certPem: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, KEY_FILE), keyPem, { mode: 0o600 });
  chmodSync(path.join(dir, KEY_FILE), 0o600);
  writeFileSync(path.join(dir, CERT_FILE), certPem);
}

/** The hospital's hub certificate: from PostgreSQL, else from --tls-dir, else made now. */
export async function loadOrCreateTls(pool: pg.Pool, tlsDir: string | null): Promise<HubTls> {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    await c.query('LOCK TABLE hub_tls IN EXCLUSIVE MODE');
    const row = (await c.query<{ key_pem: string; cert_pem: string }>('SELECT key_pem, cert_pem FROM hub_tls WHERE id = 1')).rows[0];
    let pair: { keyPem: string; certPem: string };
    if (row) {
      pair = { keyPem: row.key_pem, certPem: row.cert_pem };
    } else if (tlsDir && existsSync(path.join(tlsDir, KEY_FILE)) && existsSync(path.join(tlsDir, CERT_FILE))) {
      pair = { keyPem: readFileSync(path.join(tlsDir, KEY_FILE), 'utf8'), certPem: readFileSync(path.join(tlsDir, CERT_FILE), 'utf8') };
      describe(pair.keyPem, pair.certPem);
      await c.query('INSERT INTO hub_tls (id, key_pem, cert_pem) VALUES (1, $1, $2)', [pair.keyPem, pair.certPem]);
    } else {
      pair = await makeCertificate();
      await c.query('INSERT INTO hub_tls (id, key_pem, cert_pem) VALUES (1, $1, $2)', [pair.keyPem, pair.certPem]);
    }
    await c.query('COMMIT');
    if (tlsDir) {
      const certFile = path.join(tlsDir, CERT_FILE);
      const current = existsSync(certFile) ? readFileSync(certFile, 'utf8') : null;
      if (current !== pair.certPem) {
        if (current !== null) {
          throw new Error(
            `The certificate in ${certFile} is not the one this hospital's hub uses (the one in its database). Remove the files from ${tlsDir}, or point --tls-dir elsewhere; PCs have pinned the database's one.`,
          );
        }
        writeFiles(tlsDir, pair.keyPem, pair.certPem);
      }
    }
    return describe(pair.keyPem, pair.certPem);
  } catch (err) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    c.release();
  }
}
