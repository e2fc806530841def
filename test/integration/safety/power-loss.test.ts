import { describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/core';
import { killLoop } from './power-loss';

/** The full 100 kills run in `npm run test:soak`; CI runs 10. */
describe('power loss: a writer killed with SIGKILL at random moments', () => {
  it('loses no reported record and leaves an intact database and audit chain, 10 times', async () => {
    const reported = await killLoop(tempDir(), 10);
    expect(reported).toBeGreaterThan(0);
  }, 180_000);
});
