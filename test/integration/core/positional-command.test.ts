import { describe, expect, it } from 'vitest';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { positionalCommand } from '../../../main/core/sql/query';
import { testCore } from '../../helpers/core';

/** A scratch table of this connection only, so the test writes nothing of the app's. */
function coreWithScratch() {
  const core = testCore();
  core.db.exec('CREATE TEMP TABLE scratch (label TEXT NOT NULL, amount INTEGER, note TEXT)');
  const rows = () => core.db.prepare('SELECT label, amount, note FROM scratch ORDER BY rowid').all();
  return { core, rows };
}

const insertScratch = positionalCommand<[label: string, amount: number | null, note: string | null]>(
  'INSERT INTO scratch (label, amount, note) VALUES (?, ?, ?)',
);

describe('positionalCommand (issue 17: the import binds its hot inserts by position)', () => {
  it('refuses to run outside a transaction, and writes nothing', () => {
    const { core, rows } = coreWithScratch();
    // @ts-expect-error a read's core is not a WriteCore: the compiler refuses a read handler that writes
    expect(() => insertScratch.run(core, 'read', 1, null)).toThrow('A write outside a transaction was refused: INSERT INTO scratch');
    expect(() => insertScratch.run({ ...core, writable: true }, 'forged', 2, null)).toThrow('A write outside a transaction was refused');
    expect(rows()).toEqual([]);
  });

  it('binds the values in the order given, nulls and numbers included', () => {
    const { core, rows } = coreWithScratch();
    inTransaction(core, (w) => {
      insertScratch.run(w, 'first', 7, 'seven');
      insertScratch.run(w, 'second', null, null);
      insertScratch.run(w, 'third', 0, '');
    });
    expect(rows()).toEqual([
      { label: 'first', amount: 7, note: 'seven' },
      { label: 'second', amount: null, note: null },
      { label: 'third', amount: 0, note: '' },
    ]);
  });

  it('a wrong number of values is refused by the driver, and the transaction writes nothing', () => {
    const { core, rows } = coreWithScratch();
    const tooFew = positionalCommand<[label: string, amount: number]>('INSERT INTO scratch (label, amount, note) VALUES (?, ?, ?)');
    const tooMany = positionalCommand<[label: string, amount: number, note: string, extra: string]>(
      'INSERT INTO scratch (label, amount, note) VALUES (?, ?, ?)',
    );
    expect(() =>
      inTransaction(core, (w) => {
        insertScratch.run(w, 'kept until the refusal', 1, null);
        tooFew.run(w, 'short', 1);
      }),
    ).toThrow(/Too few parameter values/);
    expect(() => inTransaction(core, (w) => tooMany.run(w, 'long', 1, 'x', 'y'))).toThrow(/Too many parameter values/);
    expect(rows()).toEqual([]);
    // The tuple is checked by the compiler too.
    // @ts-expect-error a value missing
    expect(() => inTransaction(core, (w) => insertScratch.run(w, 'short', 1))).toThrow(/Too few parameter values/);
  });

  it('each connection gets its own statement (two databases, one command)', () => {
    const a = coreWithScratch();
    const b = coreWithScratch();
    inTransaction(a.core, (w) => insertScratch.run(w, 'in a', 1, null));
    inTransaction(b.core, (w) => insertScratch.run(w, 'in b', 2, null));
    inTransaction(a.core, (w) => insertScratch.run(w, 'in a again', 3, null));
    expect(a.rows()).toEqual([
      { label: 'in a', amount: 1, note: null },
      { label: 'in a again', amount: 3, note: null },
    ]);
    expect(b.rows()).toEqual([{ label: 'in b', amount: 2, note: null }]);
  });
});
