import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCircles, importGraph, sourceFiles } from './import-graph';

const root = path.resolve(import.meta.dirname, '../../..');

describe('the import graph', () => {
  it('has no circles in main/, shared/ or renderer/ (type-only imports count)', () => {
    const circles = importCircles(importGraph(sourceFiles(root, ['main', 'shared', 'renderer'])));
    expect(circles.map((c) => c.map((f) => path.relative(root, f)))).toEqual([]);
  });

  it('finds a circle when there is one (the check itself works)', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['d']],
      ['e', ['a']],
    ]);
    expect(importCircles(graph)).toEqual([['a', 'b', 'c'], ['d']]);
  });
});
