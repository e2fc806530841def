import type { JoinProgress, SyncReport } from '../../core/sync/engine';
import { enrolPc, failureSentence, SyncClient, SyncError, transportFor } from '../../core/sync/engine';
import { DEFAULT_INTERVAL_MS, runSyncLoop } from '../../core/sync/loop';
import type { SyncStatus } from '../../core/sync/status';
import { syncStatus } from '../../core/sync/status';
import type { Command, CommandContext } from '../command';
import { EXIT, refuseArgs, UsageError } from '../io';

/**
 * `wardkeep sync …`: this PC and the hospital's hub. Exit 0 on success, 1 when the hub refused
 * (a wrong or used code, a revoked PC, a certificate that is not the pinned one), 2 for a usage
 * error, 3 when the hub cannot be reached.
 */

export const EXIT_UNREACHABLE = 3;

/** The engine's sentence, and for a revoked PC or one the hub does not know the way back (the hub's sentence gives none). */
function problemText(err: SyncError): string {
  if (err.kind === 'unknown_pc') return `${err.message} Or, without leaving, with the new code: wardkeep sync enrol --hub URL --code CODE (it replaces this PC's enrolment).\n`;
  if (err.kind !== 'revoked') return `${err.message}\n`;
  return `${err.message} To join again: leave the hub in the app (Settings → Hospital hub), then join with a new code from the hub's administrator.\n`;
}

function exitFor(err: SyncError): number {
  return err.kind === 'unreachable' ? EXIT_UNREACHABLE : EXIT.input;
}

const n = (v: number) => v.toLocaleString('en');

export function joinLine(p: JoinProgress): string {
  if (p.phase === 'recompute') return 'Downloaded the hospital; working out due dates and service status…';
  if (p.phase === 'done') return 'This PC now holds the whole hospital.';
  const pct = p.total ? ((100 * p.done) / p.total).toFixed(1) : '100.0';
  return `Downloading the hospital: ${n(p.done)} of ${n(p.total)} rows (${pct}%)`;
}

function reportLine(r: SyncReport): string {
  const parts = [`sent ${n(r.pushed)} change${r.pushed === 1 ? '' : 's'}`, `received ${n(r.pulled)}`];
  if (r.quarantined) parts.push(`${n(r.quarantined)} refused by the hub (see wardkeep sync status)`);
  if (r.foreignWrites) parts.push(`${n(r.foreignWrites)} row(s) changed outside Wardkeep, not sent`);
  return `Synced: ${parts.join(', ')}.`;
}

export const syncEnrolCommand: Command = {
  name: 'sync enrol',
  summary: "join this PC to the hospital's hub with a one-time code from its administrator",
  usage: '--hub URL --code CODE',
  options: { hub: { type: 'string' }, code: { type: 'string' } },
  async run({ args, values, io, openCore }) {
    refuseArgs(args);
    const hub = typeof values.hub === 'string' ? values.hub.trim() : '';
    const code = typeof values.code === 'string' ? values.code.trim() : '';
    if (!hub) throw new UsageError("Give the hub's address: --hub https://HOST:PORT.");
    if (!code) throw new UsageError('Give the one-time code from the hub: --code XXXX-XXXX-XXXX-XXXX.');
    const core = openCore();
    try {
      const r = await enrolPc(core, hub, code);
      io.stdout(
        `This PC joined the hub at ${hub} as "${r.pcName}".\nThe hub's certificate fingerprint (SHA-256), now pinned: ${r.fingerprint}\n` +
          'Run "wardkeep sync --once" to download the hospital, or start the app.\n',
      );
      return EXIT.ok;
    } catch (err) {
      if (err instanceof SyncError) {
        io.stderr(problemText(err));
        return exitFor(err);
      }
      throw err;
    } finally {
      core.close();
    }
  },
};

export const syncCommand: Command = {
  name: 'sync',
  summary: 'sync with the hub: with --once, send and receive until caught up, then exit; without, keep syncing until stopped',
  usage: '[--once] [--interval SECONDS]',
  options: { once: { type: 'boolean' }, interval: { type: 'string' } },
  database: 'exists',
  async run({ args, values, io, openCore }) {
    refuseArgs(args);
    let intervalMs = DEFAULT_INTERVAL_MS;
    if (typeof values.interval === 'string') {
      const s = Number(values.interval);
      if (!Number.isFinite(s) || s < 1 || s > 3600)
        throw new UsageError(`--interval is seconds between syncs, 1 to 3600 (it was "${values.interval}").`);
      intervalMs = s * 1000;
    }
    const core = openCore();
    let transport;
    try {
      transport = transportFor(core);
    } catch (err) {
      core.close();
      if (err instanceof SyncError) {
        io.stderr(problemText(err));
        return EXIT.input;
      }
      throw err;
    }
    const client = new SyncClient(core, transport);
    let lastJoinLine = '';
    client.onEvent((e) => {
      if (e.kind !== 'join') return;
      const line = joinLine(e.progress);
      if (line !== lastJoinLine) io.stdout(`${line}\n`);
      lastJoinLine = line;
    });
    try {
      if (values.once) {
        try {
          const r = await client.syncOnce();
          io.stdout(`${reportLine(r)}\n`);
          return EXIT.ok;
        } catch (err) {
          if (err instanceof SyncError) {
            io.stderr(problemText(err));
            return exitFor(err);
          }
          throw err;
        }
      }
      const controller = new AbortController();
      const stop = () => controller.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      io.stdout(
        `Syncing with ${syncStatus(core).hub ?? 'the hub'} every ${intervalMs / 1000} s (sooner when this PC changes something); Ctrl+C stops.\n`,
      );
      const ended = await runSyncLoop(client, {
        intervalMs,
        signal: controller.signal,
        onReport: (r) => {
          if (r.pushed || r.pulled || r.quarantined || r.foreignWrites) io.stdout(`${new Date().toISOString()} ${reportLine(r)}\n`);
        },
        onError: (err) => io.stderr(`${new Date().toISOString()} ${err instanceof SyncError ? problemText(err) : `${failureSentence(err)}\n`}`),
      });
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      return ended ? exitFor(ended) : EXIT.ok;
    } finally {
      transport.close();
      core.close();
    }
  },
};

/** The JSON fields of `sync status --format json`: a published interface (docs/cli.md). Add, never rename. */
export function statusJson(s: SyncStatus) {
  return {
    hub: s.hub,
    hub_fingerprint: s.hubFingerprint,
    pc_name: s.pcName,
    state: s.state,
    last_sync_at: s.lastSyncAt,
    last_attempt_at: s.lastAttemptAt,
    offline_since: s.offlineSince,
    last_error: s.lastError,
    pending_out: s.pendingOut,
    conflicts: s.conflicts,
    clashes: s.clashes,
    quarantined: s.quarantined,
    clock_offset_ms: s.clockOffsetMs,
    clock_warning: s.clockWarning,
    join: s.join ? { done: s.join.done, total: s.join.total, phase: s.join.phase } : null,
    capture_problems: s.captureProblems,
    // Added: the newest refused or unsent rows (the count is `quarantined`).
    quarantine: s.quarantine.map((q) => ({ table: q.table, row_key: q.rowKey, reason: q.reason, reported_at: q.at })),
  };
}

function statusTable(s: SyncStatus): string {
  if (!s.hub) return 'This PC is not in a hub (it works on its own). Join one with: wardkeep sync enrol --hub URL --code CODE\n';
  const rows: [string, string][] = [
    ['Hub', `${s.hub} (as "${s.pcName ?? ''}")`],
    ['State', s.state.replace('_', ' ')],
    ['Last sync', s.lastSyncAt ?? 'never'],
    ['Offline since', s.offlineSince ?? '-'],
    ['Waiting to send', n(s.pendingOut)],
    ['Conflicts to look at', n(s.conflicts)],
    ['Name clashes', n(s.clashes)],
    ['Refused or not sent', n(s.quarantined)],
    ['Clock offset', s.clockOffsetMs === null ? '-' : `${n(s.clockOffsetMs)} ms`],
  ];
  if (s.join) rows.push(['Download', joinLine(s.join)]);
  const width = Math.max(...rows.map((r) => r[0].length));
  const lines = rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`);
  for (const w of [s.clockWarning, s.lastError, ...s.captureProblems]) if (w) lines.push(`Warning: ${w}`);
  if (s.quarantine.length > 0) {
    const shown = s.quarantine.length < s.quarantined ? `the newest ${n(s.quarantine.length)} of ${n(s.quarantined)}` : 'all';
    lines.push('', `Refused by the hub or not sent (${shown}, newest first):`);
    const table = [['Table', 'Row', 'Reason', 'When'], ...s.quarantine.map((q) => [q.table, q.rowKey, q.reason, q.at])];
    const widths = [0, 1].map((i) => Math.max(...table.map((r) => r[i]!.length)));
    for (const r of table) lines.push(`  ${r[0]!.padEnd(widths[0]!)}  ${r[1]!.padEnd(widths[1]!)}  ${r[3]!.padEnd(24)}  ${r[2]!}`);
  }
  return `${lines.join('\n')}\n`;
}

export const syncStatusCommand: Command = {
  name: 'sync status',
  summary: 'what this PC knows of its hub: last sync, changes waiting, conflicts, clock offset',
  usage: '[--format table|json]',
  options: { format: { type: 'string' } },
  database: 'reads',
  run(ctx: CommandContext) {
    refuseArgs(ctx.args);
    const format = ctx.values.format ?? 'table';
    if (format !== 'table' && format !== 'json') throw new UsageError(`--format must be table or json (it was "${String(format)}").`);
    const core = ctx.openCore();
    try {
      const s = syncStatus(core);
      ctx.io.stdout(format === 'json' ? `${JSON.stringify(statusJson(s), null, 2)}\n` : statusTable(s));
      return EXIT.ok;
    } finally {
      core.close();
    }
  },
};
