import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { errorValue } from '../../../main/core/dispatcher/errors';
import type { Commit } from '../../../main/core/dispatcher/transaction';
import { onCommit } from '../../../main/core/dispatcher/transaction';
import { deserializeError, serializeError } from '../../../main/core/worker/protocol';
import { runJob, setWorkerEntry } from '../../../main/core/worker/run';
import { testBackend, testCore } from '../../helpers/core';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A 50,000-row inventory file: a large hospital's whole register. */
function bigCsv(rows: number): string {
  const lines = ['asset_tag,name,location,serial,manufacturer'];
  for (let i = 0; i < rows; i++)
    lines.push(`BIG-${String(i).padStart(6, '0')},Infusion pump ${i},General Hospital > Ward ${i % 40},SN${i},Acme`);
  return lines.join('\n');
}

/** True while another connection holds the write lock: the import's transaction is open. */
function writeLockHeld(file: string): boolean {
  const probe = new BetterSqlite3(file, { timeout: 0 });
  try {
    probe.exec('BEGIN IMMEDIATE');
    probe.exec('ROLLBACK');
    return false;
  } catch (err) {
    if ((err as { code?: string }).code === 'SQLITE_BUSY') return true;
    throw err;
  } finally {
    probe.close();
  }
}

describe('heavy work off the main thread', () => {
  it('the dispatcher answers a read while a 50,000-row import runs in the worker', async () => {
    const { core, backend, session } = testBackend('supervisor');
    const site = await backend.invoke(session, 'locations.create', { name: 'General Hospital' });
    expect(site.ok).toBe(true);
    const text = bigCsv(50_000);

    let importDone = false;
    const importing = backend.invoke(session, 'equipment.import.commit', { source: { text } }).finally(() => (importDone = true));
    // Wait until the worker holds the write lock: its one transaction is writing the 50,000 rows.
    while (!writeLockHeld(core.file)) {
      if (importDone) throw new Error(`The import ended before it was seen writing: ${JSON.stringify(await importing)}`);
      await sleep(5);
    }

    // Meanwhile this thread serves the window: a read, answered before the import ends, sees the
    // inventory as it was (the import is all or nothing, and not committed yet).
    const read = await backend.invoke(session, 'equipment.search', { text: 'pump', limit: 5 });
    expect(importDone).toBe(false);
    expect(read).toMatchObject({ ok: true, value: { total: 0 } });
    expect(writeLockHeld(core.file)).toBe(true);

    expect(await importing).toMatchObject({ ok: true, value: { created: 50_000 } });
    const after = await backend.invoke(session, 'equipment.search', { text: 'pump', limit: 5 });
    expect(after).toMatchObject({ ok: true, value: { total: 50_000 } });
  });

  it("announces the worker's commit here, with its channel, its actor and the audit entries it wrote", async () => {
    const { core, backend, session } = testBackend('supervisor');
    await backend.invoke(session, 'locations.create', { name: 'General Hospital' });
    const commits: Commit[] = [];
    onCommit(core, (c) => commits.push(c));
    const res = await backend.invoke(session, 'equipment.import.commit', { source: { text: bigCsv(3) } });
    expect(res).toMatchObject({ ok: true, value: { created: 3 } });
    expect(commits).toHaveLength(1);
    const { origin, actor, audit } = commits[0]!;
    expect({ origin, actor }).toEqual({
      origin: 'equipment.import.commit',
      actor: expect.objectContaining({ name: 'Test supervisor', role: 'supervisor' }),
    });
    const entries = core.db
      .prepare('SELECT entity, action FROM audit_log WHERE seq BETWEEN ? AND ? ORDER BY seq')
      .all(audit!.from, audit!.to);
    expect(entries.filter((e) => (e as { entity: string }).entity === 'equipment')).toHaveLength(4); // three devices and the import itself
  });

  it('brings a refusal back as the same error value, every problem listed', async () => {
    const { backend, session } = testBackend('supervisor');
    const res = await backend.invoke(session, 'equipment.import.commit', {
      source: { text: 'asset_tag,name,location\nA-1,,Ward\nA-1,Pump,Ward\n' },
    });
    expect(res).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', details: [expect.objectContaining({ row: 2 }), expect.objectContaining({ row: 3 })] },
    });
  });

  it('brings a full disk in the worker back as the plain storage sentence', () => {
    const full = deserializeError(serializeError(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' })));
    expect(errorValue(full)).toEqual({
      code: 'storage',
      message: 'The disk is full, so nothing was saved. Free some space on this PC and try again.',
    });
  });

  // Last in the file: it leaves the worker entry unset for the rest of this file.
  describe('run from the sources with no built bundle (the benchmarks, tsx)', () => {
    it('finds thread.ts beside run.ts and runs it through tsx', async () => {
      setWorkerEntry(null);
      const core = testCore();
      expect(await runJob(core, 'verify', {})).toMatchObject({ ok: true, integrityOk: true });
    });
  });
});
