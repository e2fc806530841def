import fc from 'fast-check';
import { describe, it } from 'vitest';
import { CHANNEL_NAMES } from '../../shared/contract';
import { fuzzChannel } from '../fuzz/channels';
import { hostileCsv, importEnv, importOnce } from '../fuzz/csv-import';

describe('soak: fuzzing', () => {
  it.each(CHANNEL_NAMES)('%s, 300 payloads', async (channel) => {
    await fuzzChannel(channel, 300);
  });

  it('600 hostile CSV files', async () => {
    const env = await importEnv();
    await fc.assert(fc.asyncProperty(hostileCsv, fc.boolean(), (bytes, generate) => importOnce(env, bytes, generate ? 'FZ' : null).then(() => undefined)), { numRuns: 600 });
  });
});
