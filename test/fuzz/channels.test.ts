import { describe, it } from 'vitest';
import { CHANNEL_NAMES } from '../../shared/contract';
import { fuzzChannel } from './channels';

/** Every channel, 30 arbitrary payloads each in CI (the soak run does 300). */
describe('fuzzing every IPC channel with hostile payloads', () => {
  it.each(CHANNEL_NAMES)('%s returns a result value, never throws, and rejected calls change nothing', async (channel) => {
    await fuzzChannel(channel, 30);
  });
});
