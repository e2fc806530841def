// The head log's check in a process of its own (run with tsx), for its time and peak memory:
//   make DIR LINES        a data folder whose trail has LINES entries, a signed head line for each
//                         in audit-heads.log
//   grow DIR TAIL         TAIL entries more, each with its head line, as a running Wardkeep writes
//                         them after a check (the bench grows the log before the check from the last one)
//   check DIR [SINCE]     the check a start makes (from the checkpoint in the file SINCE, else every
//                         line, as the weekly deep check, `wardkeep verify` and a backup's check do);
//                         prints its time, peak memory, findings and the checkpoint it leaves
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { attachAnchors } from '../../main/core/anchors';
import { chainId } from '../../main/core/anchors/chain';
import { checkHeadLogSince } from '../../main/core/anchors/check';
import { headLogPath } from '../../main/core/anchors/head-log';
import { loadKeyRing } from '../../main/core/anchors/key';
import { GENESIS_HASH, hashEntry } from '../../main/core/audit';
import { openCore } from '../../main/core/open-core';
import { peakKb } from './peak.mjs';
import { tuneHeap } from '../../main/core/heap-tuning';

tuneHeap();

const [command, dir, ...rest] = process.argv.slice(2);
const clock = { now: () => new Date('2026-01-01T12:00:00Z') };
const core = openCore({ dataDir: dir!, clock });

if (command === 'make' || command === 'grow') {
  const [count] = rest.map(Number) as [number];
  const ring = attachAnchors(core).ring;
  const db = core.db;
  const chain = chainId(db);
  const pc = db.prepare("SELECT value FROM meta WHERE key = 'pc_id'").pluck().get() as string;
  const insert = db.prepare(
    'INSERT INTO audit_log (chain_id, seq, id, at, actor_user_id, actor_name, via, pc_id, action, entity, entity_id, old_value, new_value, prev_hash, hash) VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, NULL, NULL, NULL, ?, ?)',
  );
  const first = (db.prepare('SELECT coalesce(max(seq), 0) FROM audit_log').pluck().get() as number) + 1;
  let prev = first > 1 ? (db.prepare('SELECT hash FROM audit_log WHERE seq = ?').pluck().get(first - 1) as string) : GENESIS_HASH;
  const logFd = openSync(headLogPath(dir!), 'a');
  let batch: string[] = [];
  const flush = () => {
    if (batch.length) writeSync(logFd, `${batch.join('\n')}\n`);
    batch = [];
  };
  // The trail is written bare, not through inTransaction: a commit there would be announced and the
  // anchors would record a head line of their own, where the bench writes its own signed line per entry.
  // eslint-disable-next-line no-restricted-syntax -- see above: bare on purpose
  db.transaction(() => {
    for (let seq = first; seq < first + count; seq++) {
      const at = new Date(Date.UTC(2024, 0, 1) + seq * 60_000).toISOString();
      const row = { seq, id: `bench-${seq}`, at, actor_user_id: null, actor_name: 'Bench', via: 'system' as const, pc_id: pc, action: 'bench', entity: 'bench', entity_id: null, old_value: null, new_value: null, prev_hash: prev };
      const hash = hashEntry(row);
      insert.run(chain, seq, row.id, at, 'Bench', 'system', pc, 'bench', 'bench', prev, hash);
      prev = hash;
      const unsigned = { v: 1, kind: 'head', chain, seq, hash, from: seq, at };
      batch.push(JSON.stringify({ ...unsigned, key: ring.signing!.id, mac: ring.signing!.sign(unsigned) }));
      if (batch.length >= 10_000) flush();
    }
    flush();
  })();
  closeSync(logFd);
} else {
  const ring = loadKeyRing(dir!, undefined, { create: false });
  const since = rest[0] ? (JSON.parse(readFileSync(rest[0], 'utf8')) as Parameters<typeof checkHeadLogSince>[3]) : null;
  const started = performance.now();
  const { check, checkpoint } = checkHeadLogSince(core.db, dir!, ring, since);
  const ms = performance.now() - started;
  process.stdout.write(JSON.stringify({ ms, mb: peakKb() / 1024, ok: check.ok, findings: check.findings, notes: check.notes, checkpoint }));
}
core.close();
