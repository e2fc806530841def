import { Agent, request } from 'node:https';
import type { RequestOptions } from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { HubError } from './protocol';
import { signRequest } from './signing';

/**
 * How a PC talks to its hub. `HttpsTransport` is the real one: TLS with the hub's certificate
 * pinned by fingerprint (no certificate authority is trusted for the hub), every request signed
 * with the PC's key, gzip both ways. Tests put a simulated network in its place.
 */

export type FailureKind = 'unreachable' | 'refused' | 'certificate';

/** Why a request to the hub did not work, in a sentence. */
export class HubRequestError extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly code: string | null = null,
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = 'HubRequestError';
  }
}

export interface Transport {
  /** Posts JSON to the hub (signed when the PC has a key) and returns the parsed answer. */
  post(path: string, body: unknown): Promise<unknown>;
}

export interface Identity {
  pcId: string;
  privateKey: string;
}

const unzip = promisify(gunzip);
const zip = promisify(gzip);

const TIMEOUT_MS = 120_000;

function refusal(status: number, json: unknown, url: string): HubRequestError {
  const parsed = HubError.safeParse(json);
  if (parsed.success) return new HubRequestError('refused', parsed.data.error.message, parsed.data.error.code, status);
  return new HubRequestError('refused', `The hub at ${url} answered with an error (HTTP ${status}).`, null, status);
}

function unreachable(url: string, err: Error & { code?: string }): HubRequestError {
  const why: Record<string, string> = {
    ECONNREFUSED: 'nothing answers at that address (is the hub running?)',
    ENOTFOUND: 'that name is not known on this network',
    ETIMEDOUT: 'it did not answer in time',
    ECONNRESET: 'the connection was cut',
    EHOSTUNREACH: 'the network has no way there',
    ENETUNREACH: 'this PC is not on a network that reaches it',
  };
  return new HubRequestError('unreachable', `The hub at ${url} cannot be reached: ${why[err.code ?? ''] ?? err.message}.`);
}

/** The certificate a server shows, without trusting it: for enrolment, before anything is pinned. */
export async function peekCertificate(hubUrl: string): Promise<{ fingerprint: string; pem: string }> {
  const url = new URL('/v1/hello', hubUrl);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', rejectUnauthorized: false, timeout: 30_000, agent: false }, (res) => {
      const cert = (res.socket as TLSSocket).getPeerX509Certificate?.();
      res.resume();
      if (!cert) return reject(new HubRequestError('certificate', `The server at ${hubUrl} showed no certificate.`));
      resolve({ fingerprint: cert.fingerprint256, pem: cert.toString() });
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    req.on('error', (err) => reject(unreachable(hubUrl, err)));
    req.end();
  });
}

/**
 * Connections to the hub whose certificate is the pinned one, and no other. The pin is the whole
 * trust: not a certificate authority, not the name, not the certificate's dates. A pinned
 * certificate past its end date (IT's own, made for a year) is still the hub's, and every PC of
 * the hospital stopping on that day, told "it may not be your hospital's hub", would be wrong.
 * A connection is handed to a request only once the server has shown the pinned certificate and,
 * by completing the handshake, that it holds its key: nothing is written to any other server.
 */
class PinnedAgent extends Agent {
  constructor(private readonly fingerprint: string) {
    // No TLS sessions resumed: each connection shows its certificate again.
    super({ keepAlive: true, maxSockets: 2, rejectUnauthorized: false, maxCachedSessions: 0 });
  }

  override createConnection(options: RequestOptions, callback?: (err: Error | null, stream: Duplex) => void): Duplex | null | undefined {
    const socket = super.createConnection({ ...options, rejectUnauthorized: false }) as TLSSocket;
    const settle = (err: Error | null) => {
      socket.off('secureConnect', shown);
      socket.off('error', failed);
      socket.off('timeout', late);
      socket.setTimeout(0);
      if (err) socket.destroy();
      callback?.(err, socket);
    };
    const shown = () => {
      const seen = socket.getPeerX509Certificate()?.fingerprint256 ?? 'none';
      settle(
        seen === this.fingerprint
          ? null
          : new HubRequestError(
              'certificate',
              `The hub's certificate (${seen}) is not the one this PC pinned when it enrolled (${this.fingerprint}): it may not be your hospital's hub. Nothing was sent.`,
            ),
      );
    };
    const failed = (err: Error) => settle(err);
    const late = () => settle(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' }));
    socket.once('secureConnect', shown);
    socket.once('error', failed);
    socket.once('timeout', late);
    socket.setTimeout(TIMEOUT_MS);
    return callback ? undefined : socket;
  }
}

export class HttpsTransport implements Transport {
  private readonly agent: Agent;

  constructor(
    readonly hubUrl: string,
    pinnedCert: string,
    private readonly identity: Identity | null,
  ) {
    this.agent = new PinnedAgent(new X509Certificate(pinnedCert).fingerprint256);
  }

  close(): void {
    this.agent.destroy();
  }

  async post(path: string, body: unknown): Promise<unknown> {
    const url = new URL(path, this.hubUrl);
    const raw = Buffer.from(JSON.stringify(body));
    const payload = raw.length > 16_384 ? await zip(raw, { level: 1 }) : raw;
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'accept-encoding': 'gzip',
      'content-length': String(payload.length),
      ...(payload !== raw ? { 'content-encoding': 'gzip' } : {}),
      ...(this.identity ? signRequest(this.identity.privateKey, 'POST', url.pathname, this.identity.pcId, raw) : {}),
    };
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = request(url, { method: 'POST', agent: this.agent, headers, timeout: TIMEOUT_MS }, resolve);
      req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
      req.on('error', (err: Error & { code?: string }) => {
        if (err instanceof HubRequestError) reject(err);
        else if (/certificate|self.signed|CERT_|unable to verify/i.test(`${err.code ?? ''} ${err.message}`)) {
          reject(
            new HubRequestError(
              'certificate',
              `The hub at ${this.hubUrl} did not show the certificate this PC pinned: it may not be your hospital's hub. Nothing was sent. (${err.message})`,
            ),
          );
        } else reject(unreachable(this.hubUrl, err));
      });
      req.end(payload);
    });
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of res) chunks.push(chunk as Buffer);
    } catch (err) {
      throw unreachable(this.hubUrl, err as Error);
    }
    let text = Buffer.concat(chunks);
    if (res.headers['content-encoding'] === 'gzip') text = await unzip(text);
    let json: unknown;
    try {
      json = JSON.parse(text.toString('utf8'));
    } catch {
      throw new HubRequestError(
        'refused',
        `The server at ${this.hubUrl} did not answer as a Wardkeep hub does (HTTP ${res.statusCode ?? '?'}).`,
      );
    }
    if ((res.statusCode ?? 500) >= 400) throw refusal(res.statusCode ?? 500, json, this.hubUrl);
    return json;
  }
}
