import { readFileSync } from 'node:fs';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { expect } from 'vitest';
import type { Result } from '../../shared/result';
import { createBackend } from '../../main/core/backend';
import type { Backend } from '../../main/core/backend';
import { newSession } from '../../main/core/session';
import type { Session } from '../../main/core/session';
import { testCore } from '../helpers/core';
import { snapshot } from '../integration/safety/helpers';
import { realAdmin } from './channels';

setFlagsFromString('--expose_gc');
/** A full collection, so heap figures measure what is kept, not garbage not yet collected. */
export const gc = runInNewContext('gc') as () => void;

export const EWH = readFileSync(path.resolve('test/fixtures/ewh-hospital-inventory.csv'));

export async function importEnv(): Promise<{ backend: Backend; session: Session; internal: unknown[] }> {
  const core = testCore();
  const internal: unknown[] = [];
  const backend = createBackend(core, { logError: (err) => internal.push(err) });
  const session = newSession();
  session.user = await realAdmin(core);
  return { backend, session, internal };
}

/**
 * One import through the channel, as the app's import screen calls it: a value comes back (never
 * a throw or an internal error); a rejection changes nothing and says why in sentences; an
 * accepted file creates exactly the rows its preview counted.
 */
export async function importOnce(env: { backend: Backend; session: Session; internal: unknown[] }, bytes: Uint8Array, generateTagsPrefix: string | null = null) {
  const before = snapshot(env.backend.core.db);
  const input = { source: { bytes }, generateTagsPrefix };
  const preview = (await env.backend.invoke(env.session, 'equipment.import.preview', input)) as Result<{ counts: { rows: number }; problems: unknown[] }>;
  const res = (await env.backend.invoke(env.session, 'equipment.import.commit', input)) as Result<{ created: number }>;
  expect(env.internal, 'an import failed internally').toEqual([]);
  if (res.ok) {
    expect(preview.ok && preview.value.problems).toEqual([]);
    expect(res.value.created).toBe(preview.ok ? preview.value.counts.rows : -1);
    expect(snapshot(env.backend.core.db).counts.equipment).toBe((before.counts.equipment ?? 0) + res.value.created);
  } else {
    expect(['invalid_input', 'storage']).toContain(res.error.code);
    expect(res.error.message).toMatch(/\S/);
    for (const d of res.error.details ?? []) expect(d.message).toMatch(/\S/);
    expect(snapshot(env.backend.core.db)).toEqual(before);
  }
  return res;
}

/** Random bytes, and truncations of a real hospital inventory at every kind of place. */
export const hostileCsv: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ maxLength: 4000 }),
  fc.integer({ min: 0, max: EWH.length }).map((n) => new Uint8Array(EWH.subarray(0, n))),
  fc.tuple(fc.integer({ min: 0, max: EWH.length }), fc.uint8Array({ minLength: 1, maxLength: 50 })).map(([n, junk]) => new Uint8Array(Buffer.concat([EWH.subarray(0, n), junk]))),
  fc
    .array(fc.string({ unit: 'binary', maxLength: 30 }), { maxLength: 30 })
    .map((cells) => new TextEncoder().encode(`asset_tag,name,location\n${cells.map((c, i) => `${i % 3 === 0 ? '"' : ''}${c}`).join(',')}`)),
);
