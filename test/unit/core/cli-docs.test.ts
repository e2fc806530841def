import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commands } from '../../../main/cli';
import { HEADER_ALIASES, STATUS_SYNONYMS } from '../../../shared/domain/equipment';

/** The command line is a published interface: its documentation must not drift from the code. */
describe('docs/cli.md', () => {
  const doc = readFileSync('docs/cli.md', 'utf8');

  it('documents every command', () => {
    for (const c of commands) expect(doc, c.name).toContain(`## wardkeep ${c.name}`);
  });

  it('lists every header alias and status synonym the import accepts', () => {
    for (const aliases of Object.values(HEADER_ALIASES)) for (const a of aliases) expect(doc, a).toContain(a);
    for (const words of Object.values(STATUS_SYNONYMS)) for (const w of words) expect(doc, w).toContain(w);
  });
});
