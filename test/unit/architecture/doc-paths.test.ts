import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { docPathChecker, repositoryFiles } from './doc-paths';

const root = path.resolve(import.meta.dirname, '../../..');
const documents = ['README.md', ...readdirSync(path.join(root, 'docs')).filter((n) => n.endsWith('.md')).map((n) => `docs/${n}`)];

describe('paths in the documentation', () => {
  it('every repository path in README.md and docs/*.md, in backticks or a link, exists', () => {
    const checker = docPathChecker(root);
    const broken = documents.flatMap((file) => checker.broken(file, readFileSync(path.join(root, file), 'utf8')));
    expect(broken).toEqual([]);
  });

  it('finds a path that points nowhere (the check itself works)', () => {
    const checker = docPathChecker(root);
    const text = [
      'Follow `renderer/src/screens/log/LogScreen.tsx` and `main/core/dispatcher/handler.ts`,',
      'see [scheduling](scheduling.md), [gone](gone.md#rules) and [the site](https://example.org/x.md);',
      'each feature in `main/core/<feature>/`, `main/nowhere/<feature>/`, `dispatcher/rights.ts` and `dispatcher/wrongs.ts`;',
      'the data folder holds `wardkeep.json`; the build writes `out/main/index.js`.',
    ].join('\n');
    expect(checker.broken('docs/example.md', text)).toEqual([
      'docs/example.md:1: `renderer/src/screens/log/LogScreen.tsx`',
      'docs/example.md:2: link gone.md#rules',
      'docs/example.md:3: `main/nowhere/<feature>/`',
      'docs/example.md:3: `dispatcher/wrongs.ts`',
    ]);
  });

  /**
   * Comments cite documents of this repository (`docs/scheduling.md rule 9`), never files that
   * exist nowhere here (the SCHEDULING.md, DOMAIN.md, CLI.md of the project's early notes), and the
   * files they point to (`renderer/src/features/print/views.tsx`) are where they say.
   */
  it('every document or repository file a source file names exists', () => {
    // Inside a CREATE TABLE of migration 0001: part of the schema text SQLite stores in every
    // database made since, so it keeps the name it was written with (the comment above the table
    // gives the document it means).
    const allowed = new Set(['main/core/migrations/0001-initial.ts: SCHEDULING.md']);
    // This file and its checker hold made-up names on purpose.
    const own = new Set(['test/unit/architecture/doc-paths.test.ts', 'test/unit/architecture/doc-paths.ts']);
    const texts = repositoryFiles(root)
      .filter((f) => /\.(ts|tsx|js|mjs|cjs)$/.test(f) && !own.has(f))
      .map((f) => ({ f, text: readFileSync(path.join(root, f), 'utf8') }));
    const documents = texts.flatMap(({ f, text }) => [...text.matchAll(/(?<![\w/.-])([\w./-]*[\w-]+\.md)\b/g)].map((m) => ({ f, cited: m[1]! })));
    expect(documents.length).toBeGreaterThan(50);
    const files = texts.flatMap(({ f, text }) =>
      [...text.matchAll(/(?<![\w/.-])((?:main|shared|renderer|test|scripts|bench|assets)\/[\w./-]+\.(?:ts|tsx|mjs|css|json))\b/g)].map((m) => ({ f, cited: m[1]! })),
    );
    expect(files.length).toBeGreaterThan(50);
    const nowhere = [...documents, ...files]
      .filter(({ cited }) => !existsSync(path.join(root, cited)) && !existsSync(path.join(root, 'docs', cited)))
      .map(({ f, cited }) => `${f}: ${cited}`)
      .filter((c) => !allowed.has(c));
    expect(nowhere).toEqual([]);
  });
});
