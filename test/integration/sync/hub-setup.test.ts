import { X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runCli } from '../../../main/cli';
import { startHub } from '../../../main/hub/server';
import { createDatabase, queryAt as sql } from '../../helpers/pg';
import { tempDir } from '../../helpers/core';

/**
 * Hospital IT setting the hub up with `wardkeep hub …` and getting something wrong: each mistake
 * is one sentence naming the file, folder or address to fix, exit 1 (docs/cli.md "The hub and
 * syncing"), and leaves nothing half-made: no hub tables in a database no hub was started on, no
 * certificate kept that the hub then holds against IT's own.
 */

/** `wardkeep …` in-process, with main/cli/main.ts's handling of what runCli throws. */
async function cli(argv: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  let code: number;
  try {
    code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env, cwd: process.cwd() });
  } catch (err) {
    stderr += `wardkeep failed unexpectedly: ${err instanceof Error ? err.message : String(err)}\n`;
    code = 1;
  }
  return { code, stdout, stderr };
}

/** The tables in the database: a refused command must leave it as it found it. */
async function tables(url: string): Promise<string[]> {
  return (await sql<{ t: string }>(url, "SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")).map((r) => r.t);
}

const dbs: { drop(): Promise<void> }[] = [];
afterAll(async () => {
  for (const d of dbs) await d.drop().catch(() => undefined);
}, 60_000);
async function freshDb() {
  const db = await createDatabase(inject('pgBaseUrl'));
  dbs.push(db);
  return db;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

/** Two key and certificate pairs of real hubs (each made by a hub on a scratch database), as IT would put in --tls-dir. */
const pairs: { keyPem: string; certPem: string }[] = [];
beforeAll(async () => {
  for (let i = 0; i < 2; i++) {
    const db = await freshDb();
    const hub = await startHub({ databaseUrl: db.url, host: '127.0.0.1', port: 0, tlsDir: null, log: () => undefined });
    pairs.push({ keyPem: hub.tls.keyPem, certPem: hub.tls.certPem });
    await hub.close();
  }
}, 60_000);

const KEY = 'hub-key.pem';
const CERT = 'hub-cert.pem';
const serve = (url: string, tlsDir: string) => cli(['hub', 'serve', '--database', url, '--listen', '127.0.0.1:0', '--tls-dir', tlsDir]);

describe('wardkeep hub serve checks the key and certificate IT put in --tls-dir before storing anything', () => {
  it("a certificate without its key is refused naming hub-key.pem; nothing is stored; once IT adds the key the hub starts with IT's certificate", async () => {
    const db = await freshDb();
    const tlsDir = tempDir();
    const itsPair = pairs[0]!;
    writeFileSync(path.join(tlsDir, CERT), itsPair.certPem);
    const refused = await serve(db.url, tlsDir);
    expect(refused).toMatchObject({ code: 1, stdout: '' });
    expect(refused.stderr).toBe(
      `The folder ${tlsDir} holds hub-cert.pem but not its private key, hub-key.pem: put the certificate's key there as hub-key.pem (PEM), or remove hub-cert.pem for the hub to write its own pair.\n`,
    );
    // Nothing half-made: no hub (and no certificate of the hub's own) in the database.
    expect(await tables(db.url)).toEqual([]);
    // No hub was started there: an enrolment code printed now would join no PC.
    expect((await cli(['hub', 'enrol-code', '--database', db.url, '--name', 'Ward 4B'])).code).toBe(1);

    writeFileSync(path.join(tlsDir, KEY), itsPair.keyPem, { mode: 0o600 });
    const hub = await startHub({ databaseUrl: db.url, host: '127.0.0.1', port: 0, tlsDir, log: () => undefined });
    const itsFingerprint = new X509Certificate(itsPair.certPem).fingerprint256;
    try {
      expect(hub.tls.fingerprint).toBe(itsFingerprint);
      const code = await cli(['hub', 'enrol-code', '--database', db.url, '--name', 'Ward 4B']);
      expect(code.code).toBe(0);
      expect(code.stdout).toContain(`The hub's certificate fingerprint (SHA-256), for the PC to compare: ${itsFingerprint}\n`);
    } finally {
      await hub.close();
    }
    expect(readFileSync(path.join(tlsDir, CERT), 'utf8')).toBe(itsPair.certPem);
  });

  it('a key without its certificate is refused naming hub-cert.pem, and nothing is stored', async () => {
    const db = await freshDb();
    const tlsDir = tempDir();
    writeFileSync(path.join(tlsDir, KEY), pairs[0]!.keyPem, { mode: 0o600 });
    const r = await serve(db.url, tlsDir);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `The folder ${tlsDir} holds hub-key.pem but not its certificate, hub-cert.pem: put the key's certificate there as hub-cert.pem (PEM), or remove hub-key.pem for the hub to write its own pair.\n`,
    );
    expect(await tables(db.url)).toEqual([]);
  });

  it('a key and a certificate that do not belong together are refused naming the folder, and nothing is stored', async () => {
    const db = await freshDb();
    const tlsDir = tempDir();
    writeFileSync(path.join(tlsDir, KEY), pairs[0]!.keyPem, { mode: 0o600 });
    writeFileSync(path.join(tlsDir, CERT), pairs[1]!.certPem);
    const r = await serve(db.url, tlsDir);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `The key and the certificate in ${tlsDir} do not belong together (hub-key.pem is not the private key of hub-cert.pem): put the certificate's own key there, or remove both files for the hub to write its own pair.\n`,
    );
    expect(await tables(db.url)).toEqual([]);
  });

  it('a certificate or a key file that is not PEM is named in a sentence, and nothing is stored', async () => {
    const db = await freshDb();
    const tlsDir = tempDir();
    writeFileSync(path.join(tlsDir, KEY), pairs[0]!.keyPem, { mode: 0o600 });
    writeFileSync(path.join(tlsDir, CERT), 'this is the .crt file from the old intranet server, saved as DER by mistake\n');
    const cert = await serve(db.url, tlsDir);
    expect(cert.code).toBe(1);
    expect(cert.stderr).toMatch(
      new RegExp(
        `^The file ${path.join(tlsDir, CERT)} is not a certificate in PEM form \\(text beginning -----BEGIN CERTIFICATE-----\\): [^\\n]+\\.\\n$`,
      ),
    );
    writeFileSync(path.join(tlsDir, CERT), pairs[0]!.certPem);
    writeFileSync(path.join(tlsDir, KEY), pairs[0]!.certPem);
    const key = await serve(db.url, tlsDir);
    expect(key.code).toBe(1);
    expect(key.stderr).toBe(
      `The file ${path.join(tlsDir, KEY)} is not a private key in PEM form (text beginning -----BEGIN PRIVATE KEY-----): save the key in PEM form.\n`,
    );
    expect(await tables(db.url)).toEqual([]);
  });

  it("a pair other than the hub's own, put in the folder after the hub's first start, is refused: PCs pinned the hub's", async () => {
    const db = await freshDb();
    const tlsDir = tempDir();
    const hub = await startHub({ databaseUrl: db.url, host: '127.0.0.1', port: 0, tlsDir, log: () => undefined });
    const own = hub.tls.fingerprint;
    await hub.close();
    // The hub wrote its own pair there; the same certificate with Windows line ends is still its own.
    const certFile = path.join(tlsDir, CERT);
    writeFileSync(certFile, readFileSync(certFile, 'utf8').replace(/\n/g, '\r\n'));
    const again = await startHub({ databaseUrl: db.url, host: '127.0.0.1', port: 0, tlsDir, log: () => undefined });
    expect(again.tls.fingerprint).toBe(own);
    await again.close();

    writeFileSync(path.join(tlsDir, KEY), pairs[1]!.keyPem, { mode: 0o600 });
    writeFileSync(certFile, pairs[1]!.certPem);
    const r = await serve(db.url, tlsDir);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `The certificate in ${certFile} is not the one this hospital's hub uses (the one in its database). Remove the files from ${tlsDir}, or point --tls-dir elsewhere; PCs have pinned the database's one.\n`,
    );
    expect(await sql(db.url, 'SELECT count(*)::int AS n FROM hub_tls')).toEqual([{ n: 1 }]);
  });
});

describe('wardkeep hub serve on an address it cannot listen on', () => {
  it('a port something else listens on is refused in one sentence (exit 1)', async () => {
    const db = await freshDb();
    const blocker = createNetServer();
    const port = await listen(blocker);
    try {
      const r = await cli(['hub', 'serve', '--database', db.url, '--listen', `127.0.0.1:${port}`]);
      expect(r).toMatchObject({ code: 1 });
      expect(r.stderr).toBe(`The hub cannot listen on 127.0.0.1:${port}: something else already listens there.\n`);
    } finally {
      blocker.close();
    }
  });
});

describe('hub enrol-code and hub revoke work on a hub already started, never making one', () => {
  it('on a database no hub was started on (a mistyped --database), both refuse in one sentence and create nothing there', async () => {
    const wrong = await freshDb();
    const shown = wrong.url;
    for (const argv of [
      ['hub', 'enrol-code', '--database', wrong.url, '--name', 'Ward 4B'],
      ['hub', 'revoke', '--database', wrong.url, '--pc', 'Ward 4B'],
    ]) {
      const r = await cli(argv);
      expect(r).toEqual({
        code: 1,
        stdout: '',
        stderr: `No hub has been started on the database at ${shown}: check --database, or run \`wardkeep hub serve\` on it first.\n`,
      });
    }
    expect(await tables(wrong.url)).toEqual([]);
  });

  it('on a hub a newer Wardkeep has upgraded, hub serve, enrol-code and revoke each refuse in one sentence and write nothing', async () => {
    const db = await freshDb();
    const hub = await startHub({ databaseUrl: db.url, host: '127.0.0.1', port: 0, tlsDir: null, log: () => undefined });
    await hub.close();
    // What a newer hub leaves: a higher schema version (its new tables or columns would be here too).
    const version = (await sql<{ version: number }>(db.url, 'SELECT version FROM hub_schema'))[0]!.version;
    await sql(db.url, `UPDATE hub_schema SET version = ${version + 1}`);
    const pcsBefore = await sql(db.url, 'SELECT * FROM hub_pcs ORDER BY 1');
    const metaBefore = await sql(db.url, 'SELECT * FROM hub_meta ORDER BY 1');
    const sentence = `This database was set up by a newer Wardkeep hub (schema version ${version + 1}); this one knows version ${version} at most. Update Wardkeep.\n`;
    for (const argv of [
      ['hub', 'enrol-code', '--database', db.url, '--name', 'Ward 4B'],
      ['hub', 'revoke', '--database', db.url, '--pc', 'Ward 4B'],
      ['hub', 'serve', '--database', db.url, '--listen', '127.0.0.1:0'],
    ]) {
      expect(await cli(argv)).toEqual({ code: 1, stdout: '', stderr: sentence });
    }
    expect(await sql(db.url, 'SELECT * FROM hub_pcs ORDER BY 1')).toEqual(pcsBefore);
    expect(await sql(db.url, 'SELECT * FROM hub_meta ORDER BY 1')).toEqual(metaBefore);
    expect(await sql(db.url, 'SELECT version FROM hub_schema')).toEqual([{ version: version + 1 }]);
  });
});

describe('a PostgreSQL that cannot be used is one sentence naming its address, exit 1', () => {
  it('something other than PostgreSQL at that address (a web server): hub serve and hub enrol-code say so', async () => {
    const web = createHttpServer((_req, res) => res.end('hello'));
    const port = await listen(web);
    const url = `postgres://wardkeep@127.0.0.1:${port}/wardkeep`;
    const said = `The hub's database at ${url} cannot be used: the server at 127.0.0.1:${port} closed the connection without answering as PostgreSQL does (is that PostgreSQL's port? It is 5432 unless set otherwise).\n`;
    try {
      expect(await cli(['hub', 'enrol-code', '--database', url, '--name', 'Ward 4B'])).toEqual({ code: 1, stdout: '', stderr: said });
      expect(await cli(['hub', 'serve', '--database', url, '--listen', '127.0.0.1:0'])).toEqual({ code: 1, stdout: '', stderr: said });
    } finally {
      web.close();
    }
  });

  it('an address that takes the connection and never answers gives up after WARDKEEP_HUB_CONNECT_TIMEOUT seconds, not never', async () => {
    const sockets: Socket[] = [];
    const silent = createNetServer((s) => sockets.push(s));
    const port = await listen(silent);
    const url = `postgres://wardkeep@127.0.0.1:${port}/wardkeep`;
    try {
      const started = Date.now();
      const r = await cli(['hub', 'revoke', '--database', url, '--pc', 'Ward 4B'], { WARDKEEP_HUB_CONNECT_TIMEOUT: '1' });
      expect(r).toEqual({
        code: 1,
        stdout: '',
        stderr: `The hub's database at ${url} cannot be used: the server at 127.0.0.1:${port} did not answer within 1 second (is PostgreSQL running there, or does a firewall hold the connection?).\n`,
      });
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(sockets.length).toBeGreaterThan(0);
    } finally {
      for (const s of sockets) s.destroy();
      silent.close();
    }
    const bad = await cli(['hub', 'revoke', '--database', url, '--pc', 'Ward 4B'], { WARDKEEP_HUB_CONNECT_TIMEOUT: 'soon' });
    expect(bad).toMatchObject({ code: 2 });
    expect(bad.stderr).toMatch(/WARDKEEP_HUB_CONNECT_TIMEOUT must be a number of seconds, such as 15 \(it was "soon"\)/);
  });

  describe('with a role that must give its password', () => {
    const base = inject('pgBaseUrl');
    const role = 'hub_setup_pw';
    let hbaFile = '';
    let hbaBefore = '';
    afterAll(async () => {
      if (hbaFile && hbaBefore) {
        writeFileSync(hbaFile, hbaBefore);
        await sql(`${base}postgres`, 'SELECT pg_reload_conf()');
      }
    });

    it('no password given (a systemd unit without PGPASSWORD) says where to put it; a wrong one is said as refused', async () => {
      expect(process.env.PGPASSWORD).toBeUndefined();
      const db = await freshDb();
      hbaFile = (await sql<{ hba_file: string }>(`${base}postgres`, 'SHOW hba_file'))[0]!.hba_file;
      hbaBefore = readFileSync(hbaFile, 'utf8');
      // This role alone must give its password (the cluster trusts the others, as the harness set it up).
      writeFileSync(hbaFile, `host all ${role} 127.0.0.1/32 scram-sha-256\n${hbaBefore}`);
      await sql(`${base}postgres`, `DROP ROLE IF EXISTS ${role}`);
      await sql(`${base}postgres`, `CREATE ROLE ${role} LOGIN PASSWORD 'right-password'`);
      const dbName = new URL(db.url).pathname.slice(1);
      await sql(`${base}postgres`, `ALTER DATABASE ${dbName} OWNER TO ${role}`);
      await sql(`${base}postgres`, 'SELECT pg_reload_conf()');
      const hostPort = new URL(base).host;

      const none = await cli(['hub', 'enrol-code', '--database', `postgres://${role}@${hostPort}/${dbName}`, '--name', 'Ward 4B']);
      expect(none).toEqual({
        code: 1,
        stdout: '',
        stderr: `The hub's database at postgres://${role}@${hostPort}/${dbName} cannot be used: no password was given: put it in the environment variable PGPASSWORD (in a systemd unit, Environment=PGPASSWORD=…) or in the address, postgres://USER:PASSWORD@HOST/DATABASE.\n`,
      });
      const wrong = await cli(['hub', 'serve', '--database', `postgres://${role}:typo@${hostPort}/${dbName}`, '--listen', '127.0.0.1:0']);
      expect(wrong).toEqual({
        code: 1,
        stdout: '',
        stderr: `The hub's database at postgres://${role}:***@${hostPort}/${dbName} cannot be used: the password was refused.\n`,
      });
    }, 30_000);
  });
});
