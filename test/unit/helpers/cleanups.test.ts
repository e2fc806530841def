import { existsSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/core';

/**
 * The tests' own cleaning up (test/helpers/cleanups.ts): a folder made in a test goes after that
 * test, one made in a beforeAll after the file's last test, wherever the beforeAll stands. Once
 * it was told apart by vitest's name of the current test, which a beforeAll after a test still
 * saw (and, where files share a process, a file's first beforeAll saw the last file's): the
 * folder went after the next test, under the rest of the tests using it.
 */
let madeInFirstTest = '';
it('a folder made in a test', () => {
  madeInFirstTest = tempDir();
  expect(existsSync(madeInFirstTest)).toBe(true);
});

it('is gone after that test', () => {
  expect(existsSync(madeInFirstTest)).toBe(false);
});

describe('a folder made in a beforeAll after a test', () => {
  let dir = '';
  let perTest = '';
  let firstPerTest = '';
  beforeAll(() => {
    dir = tempDir();
  });
  beforeEach(() => {
    perTest = tempDir();
  });
  it('is there in the first test', () => {
    expect(existsSync(dir)).toBe(true);
    expect(existsSync(perTest)).toBe(true);
    firstPerTest = perTest;
  });
  it('is there in the second test, and one made in a beforeEach is the test’s', () => {
    expect(existsSync(dir)).toBe(true);
    expect(existsSync(perTest)).toBe(true);
    expect(firstPerTest).not.toBe('');
    expect(existsSync(firstPerTest)).toBe(false);
  });
  afterAll(() => {
    // Still there while the file's afterAll hooks run (the setup file's runs after this one).
    expect(existsSync(dir)).toBe(true);
  });
});
