import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EWH, gc, hostileCsv, importEnv, importOnce } from './csv-import';

describe('fuzzed CSV imports', () => {
  it('random bytes, truncated and garbled files: a clear answer every time, and nothing half-imported', async () => {
    const env = await importEnv();
    await fc.assert(
      fc.asyncProperty(hostileCsv, fc.boolean(), async (bytes, generate) => {
        await importOnce(env, bytes, generate ? 'FZ' : null);
      }),
      { numRuns: 60 },
    );
    // The same checks pass on the real file, which imports whole.
    expect(await importOnce(await importEnv(), new Uint8Array(EWH), 'EWH')).toMatchObject({ ok: true, value: { created: 23 } });
  });

  it('a 100,000-row file with one bad row: nothing imported, the row named, memory bounded', async () => {
    const env = await importEnv();
    const rows = ['asset_tag,name,location,serial,status'];
    for (let i = 0; i < 100_000; i++) rows.push(`T-${i},Infusion pump ${i},Hospital > Ward ${i % 40} > Room ${i % 7},SN${i},${i === 99_998 ? 'exploded' : 'operational'}`);
    const bytes = new TextEncoder().encode(rows.join('\r\n'));
    rows.length = 0;
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const res = await importOnce(env, bytes);
    expect(res).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(res.ok ? [] : res.error.details?.map((d) => d.row)).toEqual([100_000]);
    gc();
    const kept = process.memoryUsage().heapUsed - heapBefore;
    // Nothing of the file is kept once the answer is given.
    expect(kept).toBeLessThan(40 * 1024 * 1024);
  }, 120_000);

  it('a 10 MB field is refused with a sentence, and a file over 20 MB before it is even read', async () => {
    const env = await importEnv();
    const big = new TextEncoder().encode(`asset_tag,name,location,notes\nA-1,Pump,Ward 1,"${'n'.repeat(10 * 1024 * 1024)}"\n`);
    const res = await importOnce(env, big);
    expect(res).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(res.ok ? '' : res.error.message).toMatch(/row 2/i);
    const huge = new Uint8Array(20_000_001);
    const tooBig = await importOnce(env, huge);
    expect(tooBig).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringMatching(/too large \(20 MB at most\)/) } });
  }, 60_000);
});
