import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/core';
import { killLoop } from '../integration/safety/power-loss';

describe('soak: power loss', () => {
  it('100 SIGKILLs at random moments lose no reported record', async () => {
    expect(await killLoop(tempDir(), 100)).toBeGreaterThan(0);
  });
});
