import { describe, expect, it } from 'vitest';
import { failureSentence } from '../../../main/core/sync/engine';

/**
 * A failed sync in words for the header, the details and `wardkeep sync status`: what is not the
 * hub's own refusal is "The last sync stopped: …", a busy database, a full disk or a row that could
 * not be written named as such, never an error object, a stack or a schema dump.
 */
describe('why the last sync stopped, in a sentence', () => {
  it('names a busy database, a full disk and a row it cannot write in words (never the error object)', () => {
    const sqlite = (code: string, message: string) => Object.assign(new Error(message), { code });
    expect(failureSentence(sqlite('SQLITE_BUSY', 'database is locked'))).toMatch(/^The last sync stopped: the database was busy with another program\. .*next sync\.$/);
    expect(failureSentence(sqlite('SQLITE_FULL', 'database or disk is full'))).toMatch(/^The last sync stopped: the disk of this PC is full\./);
    expect(failureSentence(sqlite('SQLITE_CONSTRAINT_CHECK', 'CHECK constraint failed: risk'))).toBe(
      'The last sync stopped: a row from the hub could not be written on this PC (CHECK constraint failed: risk). Nothing is lost: it is tried again at the next sync.',
    );
    expect(failureSentence(new TypeError("Cannot read properties of undefined (reading 'x')"))).toMatch(/^The last sync stopped: Cannot read/);
    expect(failureSentence(new Error('first line\n    at apply (apply.ts:12:3)'))).not.toContain('\n');
  });
});
