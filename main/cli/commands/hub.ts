import path from 'node:path';
import type { Command, CommandContext } from '../command';
import { EXIT, refuseArgs, UsageError } from '../io';

/**
 * `wardkeep hub …`: the hospital's hub service and its administration. The hub's modules (and
 * PostgreSQL's client, and the certificate library) load only when one of these runs.
 */

export const DEFAULT_LISTEN = '0.0.0.0:8443';

function databaseUrl(ctx: CommandContext): string {
  const url = ctx.values.database;
  if (typeof url !== 'string' || !url.trim())
    throw new UsageError("Give the hub's PostgreSQL database: --database postgres://USER@HOST/DATABASE.");
  if (!/^postgres(ql)?:\/\//.test(url))
    throw new UsageError(`--database must be a PostgreSQL address starting with postgres:// (it was "${url}").`);
  return url;
}

export function parseListen(text: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(text.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new UsageError(`--listen must be HOST:PORT, such as 0.0.0.0:8443 (it was "${text}").`);
  return { host: (m[1] ?? m[2])!, port };
}

/**
 * How long connecting to PostgreSQL may take: WARDKEEP_HUB_CONNECT_TIMEOUT in seconds (docs/cli.md),
 * else the hub's default, 15 seconds.
 */
function connectTimeoutMs(ctx: CommandContext): number | undefined {
  const text = ctx.io.env.WARDKEEP_HUB_CONNECT_TIMEOUT;
  if (text === undefined || text.trim() === '') return undefined;
  const s = Number(text);
  if (!Number.isFinite(s) || s <= 0 || s > 3600)
    throw new UsageError(`WARDKEEP_HUB_CONNECT_TIMEOUT must be a number of seconds, such as 15 (it was "${text}").`);
  return Math.max(1, Math.round(s * 1000));
}

/**
 * What the operator must fix (the database's address, its password, the TLS folder, a database no
 * hub has started on) is one sentence naming it, exit 1; the hub said it as a HubSetupError.
 */
async function withHubErrors(ctx: CommandContext, fn: () => Promise<number>): Promise<number> {
  const { HubSetupError } = await import('../../hub/errors');
  try {
    return await fn();
  } catch (err) {
    if (err instanceof HubSetupError || (err instanceof Error && /newer Wardkeep hub/.test(err.message))) {
      ctx.io.stderr(`${err.message}\n`);
      return EXIT.input;
    }
    throw err;
  }
}

export const hubServeCommand: Command = {
  name: 'hub serve',
  summary: "run the hospital's hub (migrates its PostgreSQL schema first); stops on Ctrl+C or SIGTERM",
  usage: '--database URL [--listen HOST:PORT] [--tls-dir DIR]',
  options: { database: { type: 'string' }, listen: { type: 'string' }, 'tls-dir': { type: 'string' } },
  async run(ctx) {
    refuseArgs(ctx.args);
    const url = databaseUrl(ctx);
    const { host, port } = parseListen(typeof ctx.values.listen === 'string' ? ctx.values.listen : DEFAULT_LISTEN);
    const tlsDir = typeof ctx.values['tls-dir'] === 'string' ? path.resolve(ctx.io.cwd, ctx.values['tls-dir']) : null;
    const timeout = connectTimeoutMs(ctx);
    return withHubErrors(ctx, async () => {
      const { startHub } = await import('../../hub/server');
      let hub;
      try {
        hub = await startHub({
          databaseUrl: url,
          host,
          port,
          tlsDir,
          log: (line) => ctx.io.stderr(`${line}\n`),
          connectTimeoutMs: timeout,
        });
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
          ctx.io.stderr(
            `The hub cannot listen on ${host}:${port}: ${code === 'EADDRINUSE' ? 'something else already listens there' : code === 'EACCES' ? 'this user may not use that port' : 'this machine has no such address'}.\n`,
          );
          return EXIT.input;
        }
        throw err;
      }
      ctx.io.stdout(`Wardkeep hub listening on ${hub.url}\nCertificate fingerprint (SHA-256): ${hub.tls.fingerprint}\n`);
      if (tlsDir) ctx.io.stdout(`Key and certificate: ${tlsDir}\n`);
      const running = hub;
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      await running.close();
      ctx.io.stdout('Wardkeep hub stopped.\n');
      return EXIT.ok;
    });
  },
};

export const hubEnrolCodeCommand: Command = {
  name: 'hub enrol-code',
  summary: 'print a one-time code (valid 24 hours) that joins one PC, by name, to the hub',
  usage: '--database URL --name TEXT',
  options: { database: { type: 'string' }, name: { type: 'string' } },
  async run(ctx) {
    refuseArgs(ctx.args, { name: 'name', value: ctx.values.name });
    const url = databaseUrl(ctx);
    const name = typeof ctx.values.name === 'string' ? ctx.values.name.trim() : '';
    if (!name) throw new UsageError('Name the PC the code is for: --name "Ward 4B".');
    const timeout = connectTimeoutMs(ctx);
    return withHubErrors(ctx, async () => {
      const { openExistingHub } = await import('../../hub/server');
      const { createEnrolCode } = await import('../../hub/pcs');
      const hub = await openExistingHub(url, 2, timeout);
      try {
        const { code, expiresAt } = await createEnrolCode(hub.pool, name);
        ctx.io.stdout(
          `Enrolment code for "${name}": ${code}\nValid until ${expiresAt.toISOString()} (once).\n` +
            `On that PC: wardkeep sync enrol --hub https://THIS-SERVER:PORT --code ${code}\n` +
            `The hub's certificate fingerprint (SHA-256), for the PC to compare: ${hub.tls.fingerprint}\n`,
        );
        return EXIT.ok;
      } catch (err) {
        if (err instanceof Error && /already a PC called/.test(err.message)) {
          ctx.io.stderr(`${err.message}\n`);
          return EXIT.input;
        }
        throw err;
      } finally {
        await hub.pool.end();
      }
    });
  },
};

export const hubRevokeCommand: Command = {
  name: 'hub revoke',
  summary: 'revoke a PC (a stolen laptop): it keeps its data but can no longer sync',
  usage: '--database URL --pc NAME',
  options: { database: { type: 'string' }, pc: { type: 'string' } },
  async run(ctx) {
    refuseArgs(ctx.args, { name: 'pc', value: ctx.values.pc });
    const url = databaseUrl(ctx);
    const name = typeof ctx.values.pc === 'string' ? ctx.values.pc.trim() : '';
    if (!name) throw new UsageError('Name the PC to revoke: --pc "Ward 4B".');
    const timeout = connectTimeoutMs(ctx);
    return withHubErrors(ctx, async () => {
      const { openExistingHub } = await import('../../hub/server');
      const { revokePc } = await import('../../hub/pcs');
      const hub = await openExistingHub(url, 2, timeout);
      try {
        const n = await revokePc(hub.pool, name);
        if (n === 0) {
          ctx.io.stderr(`No PC called "${name}" is enrolled at this hub (or it is already revoked).\n`);
          return EXIT.input;
        }
        ctx.io.stdout(`Revoked "${name}": it keeps its data but can no longer sync. A new code enrols it again.\n`);
        return EXIT.ok;
      } finally {
        await hub.pool.end();
      }
    });
  },
};
