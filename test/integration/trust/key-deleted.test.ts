import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stopWorker } from '../../../main/core/worker/run';
import { loggingWorld, threePoints } from '../completions/fixture';
import { cli } from './helpers';

/**
 * The data folder's key file deleted (by hand, or by a clean-up tool): every head-log line it signed
 * can no longer be checked. `wardkeep verify` says so once per missing key, naming the key file and
 * the lines, instead of a finding per line blaming "someone without the key".
 */
describe('the key that signed the head log deleted', () => {
  it('verify names the missing key file once, with the lines it signed', async () => {
    const w = await loggingWorld();
    await w.as(w.tom)('completions.log', {
      planId: w.pumpPlan.id,
      performedAt: '2026-11-25T09:30:00Z',
      result: threePoints([[12, null], [100, null], [500, null]], w.analyser.id, w.calibration.id),
      secret: '1357',
    });
    const dir = w.core.dataDir;
    await stopWorker(w.core);
    w.core.close();
    const [keyFile] = readdirSync(path.join(dir, 'audit-keys'));
    const key = keyFile!.replace(/\.json$/, '');
    rmSync(path.join(dir, 'audit-keys'), { recursive: true });

    const res = await cli(['--data-dir', dir, 'verify']);
    expect(res.code).toBe(1);
    const out = res.stdout + res.stderr;
    const said = out.split('\n').filter((l) => l.includes(`signed with key ${key}`));
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(
      new RegExp(`Head log: lines 1 to \\d+ are signed with key ${key}, which this data folder does not have: its key file \\(audit-keys/${key}\\.json\\) was deleted, or someone without the key wrote them\\.`),
    );
    expect(out).not.toContain('is signed with a key this data folder does not have');
  });
});
