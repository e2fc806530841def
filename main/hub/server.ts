import { createServer } from 'node:https';
import type { Socket } from 'node:net';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type pg from 'pg';
import type { z } from 'zod';
import { EnrolRequest, PROTOCOL_VERSION, PullRequest, PushRequest, SnapshotPageRequest, StatusRequest } from '../core/sync/protocol';
import { connect, createPool, DEFAULT_CONNECT_TIMEOUT_MS, shownUrl } from './db';
import { HubHttpError, HubSetupError } from './errors';
import { authenticate, enrol } from './pcs';
import { migrateHub, refuseNewerHub } from './schema';
import type { Pc } from './store';
import { HubStore, RawJson } from './store';
import type { HubTls } from './tls';
import { loadOrCreateTls, loadTls, readTlsFolder } from './tls';

/**
 * The hub service: HTTPS in front of PostgreSQL. Every request but enrolment is signed by an
 * enrolled PC (pcs.ts). JSON in and out, gzip when the PC asks for it (a new PC downloads the
 * whole hospital). Errors are `{ error: { code, message } }` with a sentence a person can act on.
 */

const MAX_BODY = 64 * 1024 * 1024;
const unzip = promisify(gunzip);
const zip = promisify(gzip);

export interface HubOptions {
  databaseUrl: string;
  host: string;
  port: number;
  tlsDir: string | null;
  log?: (line: string) => void;
  /** How long connecting to PostgreSQL may take (default 15 s, db.ts). */
  connectTimeoutMs?: number;
}

export interface RunningHub {
  url: string;
  tls: HubTls;
  store: HubStore;
  pool: pg.Pool;
  server: Server;
  close(): Promise<void>;
}

/**
 * Connects to PostgreSQL, brings its schema up to date and loads the hub's identity. The TLS
 * folder is checked first and the connection's failure is said in a sentence (HubSetupError), so
 * a refused start has touched nothing.
 */
export async function openHub(
  databaseUrl: string,
  tlsDir: string | null,
  poolSize = 10,
  log?: (line: string) => void,
  connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS,
): Promise<{ pool: pg.Pool; store: HubStore; tls: HubTls; hubId: string }> {
  const folder = tlsDir === null ? null : readTlsFolder(tlsDir);
  const pool = createPool(databaseUrl, poolSize, log, connectTimeoutMs);
  try {
    const client = await connect(pool, databaseUrl, connectTimeoutMs);
    try {
      await migrateHub(client);
    } finally {
      client.release();
    }
    const hubId = (await pool.query<{ value: string }>("SELECT value FROM hub_meta WHERE key = 'hub_id'")).rows[0]!.value;
    const tls = await loadOrCreateTls(pool, folder);
    return { pool, store: new HubStore(pool, tls.privateKey, hubId), tls, hubId };
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw err;
  }
}

/**
 * An existing hub's database, for the administration commands (`hub enrol-code`, `hub revoke`):
 * never migrated, never given a certificate. A database no hub has started on (a mistyped
 * --database) is refused, so no code is printed that the hospital's hub does not know.
 */
export async function openExistingHub(
  databaseUrl: string,
  poolSize = 2,
  connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS,
): Promise<{ pool: pg.Pool; tls: HubTls; hubId: string }> {
  const pool = createPool(databaseUrl, poolSize, undefined, connectTimeoutMs);
  try {
    const client = await connect(pool, databaseUrl, connectTimeoutMs);
    let started: boolean;
    try {
      // hub_tls is filled by the first start that got as far as listening (see loadOrCreateTls).
      const r = await client.query<{ started: boolean }>(
        "SELECT to_regclass('hub_schema') IS NOT NULL AND to_regclass('hub_meta') IS NOT NULL AND to_regclass('hub_tls') IS NOT NULL AS started",
      );
      started = r.rows[0]?.started === true;
      // enrol-code and revoke write hub_pcs and hub_meta as this version knows them: not into a newer hub's.
      if (started) refuseNewerHub((await client.query<{ version: number }>('SELECT version FROM hub_schema')).rows[0]?.version ?? 0);
    } finally {
      client.release();
    }
    const tls = started ? await loadTls(pool) : null;
    const hubId = tls ? (await pool.query<{ value: string }>("SELECT value FROM hub_meta WHERE key = 'hub_id'")).rows[0]?.value : undefined;
    if (!tls || !hubId)
      throw new HubSetupError(
        `No hub has been started on the database at ${shownUrl(databaseUrl)}: check --database, or run \`wardkeep hub serve\` on it first.`,
      );
    return { pool, tls, hubId };
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw err;
  }
}

const tooLarge = () => new HubHttpError(413, 'too_large', 'The request is too large for the hub; send fewer changes at once.');

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  const raw = Buffer.concat(chunks);
  if (req.headers['content-encoding'] !== 'gzip') return raw;
  // Inflated no further than the limit: a small body can inflate to gigabytes.
  return unzip(raw, { maxOutputLength: MAX_BODY }).catch((err: unknown) => {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge();
    throw err;
  });
}

function parse<S extends z.ZodType>(schema: S, body: Buffer): z.infer<S> {
  let json: unknown;
  try {
    json = body.length ? JSON.parse(body.toString('utf8')) : {};
  } catch {
    throw new HubHttpError(400, 'bad_request', 'The request is not JSON.');
  }
  const r = schema.safeParse(json);
  if (!r.success)
    throw new HubHttpError(
      400,
      'bad_request',
      `The request does not fit: ${r.error.issues[0]?.path.join('.') ?? ''} ${r.error.issues[0]?.message ?? ''}`.trim(),
    );
  return r.data;
}

/** A value as the JSON text of an answer. */
export function serialise(value: unknown): string {
  return value instanceof RawJson ? value.text : JSON.stringify(value);
}

async function send(req: IncomingMessage, res: ServerResponse, status: number, value: unknown): Promise<void> {
  let body = Buffer.from(serialise(value));
  const headers: Record<string, string> = { 'content-type': 'application/json', 'cache-control': 'no-store' };
  if (body.length > 4096 && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
    body = await zip(body, { level: 1 });
    headers['content-encoding'] = 'gzip';
  }
  headers['content-length'] = String(body.length);
  res.writeHead(status, headers);
  res.end(body);
}

export interface HubContext {
  pool: pg.Pool;
  store: HubStore;
  tls: HubTls;
  hubId: string;
}

/** One request, whatever carried it: HTTPS here, or a test's simulated network. */
export async function dispatch(
  hub: HubContext,
  method: string,
  path: string,
  headers: Record<string, string | string[] | undefined>,
  body: Buffer,
  log: (line: string) => void,
): Promise<{ status: number; value: unknown }> {
  const signed = (): Promise<Pc> => authenticate(hub.pool, method, path, headers, body);
  try {
    if (method === 'GET' && path === '/v1/hello')
      return { status: 200, value: { hubId: hub.hubId, protocol: PROTOCOL_VERSION, hubTime: Date.now() } };
    if (method !== 'POST') throw new HubHttpError(404, 'not_found', 'There is no such address at the hub.');
    switch (path) {
      case '/v1/enrol':
        return {
          status: 200,
          value: await enrol(hub.pool, parse(EnrolRequest, body), hub.tls.fingerprint, hub.hubId, hub.tls.publicKeyPem),
        };
      case '/v1/status': {
        const pc = await signed();
        return { status: 200, value: await hub.store.status(pc, parse(StatusRequest, body)) };
      }
      case '/v1/push': {
        const pc = await signed();
        return { status: 200, value: await hub.store.push(pc, parse(PushRequest, body)) };
      }
      case '/v1/pull': {
        const pc = await signed();
        return { status: 200, value: await hub.store.pullRaw(pc, parse(PullRequest, body)) };
      }
      case '/v1/snapshot/start':
        await signed();
        return { status: 200, value: await hub.store.snapshotStart() };
      case '/v1/snapshot/page':
        await signed();
        return { status: 200, value: await hub.store.snapshotPageRaw(parse(SnapshotPageRequest, body)) };
      case '/v1/pcs':
        await signed();
        return { status: 200, value: await hub.store.pcs() };
      default:
        throw new HubHttpError(404, 'not_found', 'There is no such address at the hub.');
    }
  } catch (err) {
    if (err instanceof HubHttpError) return { status: err.status, value: { error: { code: err.code, message: err.message } } };
    log(`[hub] ${method} ${path} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return {
      status: 500,
      value: { error: { code: 'internal', message: 'The hub could not do this; the details are in its log. Nothing was changed.' } },
    };
  }
}

export function hubHandler(hub: HubContext, log: (line: string) => void) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0]!;
    let body: Buffer;
    try {
      body = req.method === 'POST' ? await readBody(req) : Buffer.alloc(0);
    } catch (err) {
      const e = err instanceof HubHttpError ? err : new HubHttpError(400, 'bad_request', 'The request could not be read.');
      return send(req, res, e.status, { error: { code: e.code, message: e.message } });
    }
    const { status, value } = await dispatch(hub, req.method ?? 'GET', path, req.headers, body, log);
    return send(req, res, status, value);
  };
}

export async function startHub(options: HubOptions): Promise<RunningHub> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const hub = await openHub(options.databaseUrl, options.tlsDir, 10, log, options.connectTimeoutMs);
  const handler = hubHandler(hub, log);
  const server = createServer({ key: hub.tls.keyPem, cert: hub.tls.certPem }, (req, res) => void handler(req, res));
  server.keepAliveTimeout = 65_000;
  // Every TCP connection, from its first byte: node's own tracking (closeAllConnections) starts
  // only once TLS is set up, and a PC half-way through its handshake when the hub is stopped
  // would hold the stop for the handshake timeout (two minutes).
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => resolve());
    });
  } catch (err) {
    await hub.pool.end().catch(() => undefined);
    throw err;
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `https://${host}:${port}`,
    tls: hub.tls,
    store: hub.store,
    pool: hub.pool,
    server,
    async close() {
      // Stop listening first, so no connection arrives after the sockets are closed; a request
      // in flight loses its answer (the PC retries at its next sync) but finishes its transaction.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
      await hub.pool.end();
    },
  };
}
