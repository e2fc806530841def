import 'reflect-metadata';
import { createPrivateKey, createPublicKey, webcrypto, X509Certificate } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import * as x509 from '@peculiar/x509';
import type pg from 'pg';
import { HubSetupError } from './errors';

/**
 * The hub's TLS key and self-signed certificate, made at its first start. PCs do not trust a
 * certificate authority for the hub: each pins this certificate's SHA-256 fingerprint when it
 * enrols. Every hub process of a hospital must show the same certificate, so it is kept in
 * PostgreSQL (the hub keeps no state outside it; note that pg_dump then holds the hub's key) and
 * written to --tls-dir as well, where a key and certificate IT puts there first are used instead
 * (checked before anything is stored: see readTlsFolder).
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
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, KEY_FILE), keyPem, { mode: 0o600 });
    chmodSync(path.join(dir, KEY_FILE), 0o600);
    writeFileSync(path.join(dir, CERT_FILE), certPem);
  } catch (err) {
    // The pair is in the database already: the next start writes the files once the folder is fixed.
    throw new HubSetupError(
      `The hub cannot write its key and certificate to ${dir} (${(err as { code?: string }).code ?? String(err)}): give the user it runs as permission to write there, or point --tls-dir elsewhere.`,
    );
  }
}

/** A key and certificate that belong together, as PEM text. */
export interface TlsPair {
  keyPem: string;
  certPem: string;
}

/** The --tls-dir folder: the pair IT (or an earlier start) put there, or none yet. */
export interface TlsFolder {
  dir: string;
  pair: TlsPair | null;
}

function readPem(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw new HubSetupError(
      code === 'EACCES' || code === 'EPERM'
        ? `The hub may not read ${file}: give the user it runs as permission to read it.`
        : `The hub cannot read ${file} (${code ?? String(err)}).`,
    );
  }
}

/**
 * Reads and checks the key and certificate in --tls-dir, before anything is stored: a folder
 * holding one file without the other, a file that is not PEM, or a key that is not the
 * certificate's is refused in one sentence naming the file or folder, so that what IT fixes in
 * the folder is all there is to fix (no certificate of the hub's own is kept in the meantime).
 */
export function readTlsFolder(dir: string): TlsFolder {
  if (existsSync(dir) && !statSync(dir).isDirectory())
    throw new HubSetupError(
      `--tls-dir ${dir} is a file, not a folder: name the folder that holds (or is to hold) ${KEY_FILE} and ${CERT_FILE}.`,
    );
  const keyFile = path.join(dir, KEY_FILE);
  const certFile = path.join(dir, CERT_FILE);
  const hasKey = existsSync(keyFile);
  const hasCert = existsSync(certFile);
  if (!hasKey && !hasCert) return { dir, pair: null };
  if (!hasKey)
    throw new HubSetupError(
      `The folder ${dir} holds ${CERT_FILE} but not its private key, ${KEY_FILE}: put the certificate's key there as ${KEY_FILE} (PEM), or remove ${CERT_FILE} for the hub to write its own pair.`,
    );
  if (!hasCert)
    throw new HubSetupError(
      `The folder ${dir} holds ${KEY_FILE} but not its certificate, ${CERT_FILE}: put the key's certificate there as ${CERT_FILE} (PEM), or remove ${KEY_FILE} for the hub to write its own pair.`,
    );
  const keyPem = readPem(keyFile);
  const certPem = readPem(certFile);
  let key: KeyObject;
  try {
    key = createPrivateKey(keyPem);
  } catch (err) {
    throw new HubSetupError(
      (err as { code?: string }).code === 'ERR_MISSING_PASSPHRASE'
        ? `The key in ${keyFile} is protected by a passphrase, which the hub cannot be given: save it without one (openssl pkey -in OLD -out ${keyFile}).`
        : `The file ${keyFile} is not a private key in PEM form (text beginning -----BEGIN PRIVATE KEY-----): save the key in PEM form.`,
    );
  }
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
  } catch {
    throw new HubSetupError(
      `The file ${certFile} is not a certificate in PEM form (text beginning -----BEGIN CERTIFICATE-----): save the certificate in PEM form (from DER: openssl x509 -inform der -in OLD -out ${certFile}).`,
    );
  }
  let belong = false;
  try {
    belong = cert.checkPrivateKey(key);
  } catch {
    belong = false;
  }
  if (!belong)
    throw new HubSetupError(
      `The key and the certificate in ${dir} do not belong together (${KEY_FILE} is not the private key of ${CERT_FILE}): put the certificate's own key there, or remove both files for the hub to write its own pair.`,
    );
  return { dir, pair: { keyPem, certPem } };
}

/** The certificate this hub's database holds, or null before a hub has started there (read only). */
export async function loadTls(pool: pg.Pool): Promise<HubTls | null> {
  const row = (await pool.query<{ key_pem: string; cert_pem: string }>('SELECT key_pem, cert_pem FROM hub_tls WHERE id = 1')).rows[0];
  return row ? describe(row.key_pem, row.cert_pem) : null;
}

/**
 * The hospital's hub certificate: from PostgreSQL, else from --tls-dir, else made now. `folder` is
 * what readTlsFolder found, checked before the database was touched; a pair there that is not the
 * database's is refused before COMMIT, so a refusal stores nothing.
 */
export async function loadOrCreateTls(pool: pg.Pool, folder: TlsFolder | null): Promise<HubTls> {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    await c.query('LOCK TABLE hub_tls IN EXCLUSIVE MODE');
    const row = (await c.query<{ key_pem: string; cert_pem: string }>('SELECT key_pem, cert_pem FROM hub_tls WHERE id = 1')).rows[0];
    let pair: TlsPair;
    if (row) {
      pair = { keyPem: row.key_pem, certPem: row.cert_pem };
    } else {
      pair = folder?.pair ?? (await makeCertificate());
      await c.query('INSERT INTO hub_tls (id, key_pem, cert_pem) VALUES (1, $1, $2)', [pair.keyPem, pair.certPem]);
    }
    // Compared by fingerprint: the same certificate saved with Windows line ends is the same one.
    if (folder?.pair && new X509Certificate(folder.pair.certPem).fingerprint256 !== new X509Certificate(pair.certPem).fingerprint256) {
      throw new HubSetupError(
        `The certificate in ${path.join(folder.dir, CERT_FILE)} is not the one this hospital's hub uses (the one in its database). Remove the files from ${folder.dir}, or point --tls-dir elsewhere; PCs have pinned the database's one.`,
      );
    }
    await c.query('COMMIT');
    if (folder && !folder.pair) writeFiles(folder.dir, pair.keyPem, pair.certPem);
    return describe(pair.keyPem, pair.certPem);
  } catch (err) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    c.release();
  }
}
