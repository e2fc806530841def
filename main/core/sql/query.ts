import type { Database, RunResult, Statement } from 'better-sqlite3';
import type { Core, WriteCore } from '../context';

/**
 * Typed, cached statements: the one place rows are typed (and the one place `prepare` is called
 * for the app's own data). A query is declared once, usually at the top of its feature's file,
 * with the row type it returns (from sql/rows.ts, or a Pick of one) and its named parameters:
 *
 *   const userById = query<UserRow, { id: string }>('SELECT * FROM users WHERE id = @id');
 *   userById.get(core, { id })
 *
 * Reads take any core; writes (`command`) take the WriteCore that only a transaction hands out,
 * and refuse at run time outside one: a read channel cannot write.
 */

type Params = Record<string, unknown>;
/** No parameters, or one object of named ones (`@name` in the SQL). */
type Args<P extends Params | void> = P extends Params ? [params: P] : [];

/**
 * THE statement cache: each query holds its prepared statement per connection (the main one, a
 * worker's), prepared on first use. Queries built at run time (an IN list of n ids) are looked up
 * by their text, so the same text reuses its statement; that lookup is bounded.
 */
function preparer(sql: string, mode: 'rows' | 'pluck' | 'tuples'): (db: Database) => Statement {
  const perConnection = new WeakMap<Database, Statement>();
  // The app has one connection per thread: remembering the last one skips the map on the hot path.
  let lastDb: Database | null = null;
  let lastStmt: Statement | null = null;
  return (db) => {
    if (db === lastDb) return lastStmt!;
    let stmt = perConnection.get(db);
    if (!stmt) {
      stmt = db.prepare(sql);
      if (mode === 'pluck') stmt.pluck();
      if (mode === 'tuples') stmt.raw(true);
      perConnection.set(db, stmt);
    }
    lastDb = db;
    lastStmt = stmt;
    return stmt;
  };
}

const built = new Map<string, unknown>();
const MAX_BUILT = 500;
function memo<T>(key: string, make: () => T): T {
  const hit = built.get(key) as T | undefined;
  if (hit) return hit;
  const value = make();
  if (built.size >= MAX_BUILT) built.delete(built.keys().next().value!);
  built.set(key, value);
  return value;
}

export interface Query<Row, P extends Params | void = void> {
  readonly sql: string;
  get(core: Pick<Core, 'db'>, ...args: Args<P>): Row | undefined;
  all(core: Pick<Core, 'db'>, ...args: Args<P>): Row[];
  iterate(core: Pick<Core, 'db'>, ...args: Args<P>): IterableIterator<Row>;
}

/** A SELECT of one column: its value rather than a row (the barcode lookup's id). */
export interface Scalar<V, P extends Params | void = void> {
  readonly sql: string;
  get(core: Pick<Core, 'db'>, ...args: Args<P>): V | undefined;
}

export interface Command<P extends Params | void = void> {
  readonly sql: string;
  run(core: Pick<WriteCore, 'db' | 'writable'>, ...args: Args<P>): RunResult;
}

/** A SELECT: its rows typed as `Row` (the cast from better-sqlite3's `unknown` happens here and only here). */
export function query<Row, P extends Params | void = void>(sql: string): Query<Row, P> {
  const statement = preparer(sql, 'rows');
  return {
    sql,
    get: (core, ...args) => statement(core.db).get(...args) as Row | undefined,
    all: (core, ...args) => statement(core.db).all(...args) as Row[],
    iterate: (core, ...args) => statement(core.db).iterate(...args) as IterableIterator<Row>,
  };
}

/** A query whose text is built at run time: the same text gives the same query, and so the same statement. */
export function builtQuery<Row, P extends Params | void = void>(sql: string): Query<Row, P> {
  return memo(`q:${sql}`, () => query<Row, P>(sql));
}

/**
 * A SELECT whose rows come as arrays in column order, typed as the tuple `T`: for the hot lists
 * (the due list reads tens of thousands of rows), where building an object per row shows.
 */
export function tuples<T extends readonly unknown[], P extends Params | void = void>(sql: string): Query<T, P> {
  const statement = preparer(sql, 'tuples');
  return {
    sql,
    get: (core, ...args) => statement(core.db).get(...args) as T | undefined,
    all: (core, ...args) => statement(core.db).all(...args) as T[],
    iterate: (core, ...args) => statement(core.db).iterate(...args) as IterableIterator<T>,
  };
}

/** `tuples` for SQL built at run time (see builtQuery). */
export function builtTuples<T extends readonly unknown[], P extends Params | void = void>(sql: string): Query<T, P> {
  return memo(`t:${sql}`, () => tuples<T, P>(sql));
}

/** A one-column SELECT, its value typed as `V`. */
export function scalar<V, P extends Params | void = void>(sql: string): Scalar<V, P> {
  const statement = preparer(sql, 'pluck');
  return { sql, get: (core, ...args) => statement(core.db).get(...args) as V | undefined };
}

/** The statement of a write, refused outside a transaction (command, positionalCommand, returning). */
function writer(sql: string): (db: Database) => Statement {
  const statement = preparer(sql, 'rows');
  return (db) => {
    if (!db.inTransaction) throw new Error(`A write outside a transaction was refused: ${sql.slice(0, 60)}`);
    return statement(db);
  };
}

/** An INSERT, UPDATE or DELETE: only inside a transaction, with a WriteCore. */
export function command<P extends Params | void = void>(sql: string): Command<P> {
  const statement = writer(sql);
  return { sql, run: (core, ...args) => statement(core.db).run(...args) };
}

/** A command whose parameters are positional (`?` in the SQL), its values given in order, typed as the tuple `T`. */
export interface PositionalCommand<T extends readonly unknown[]> {
  readonly sql: string;
  run(core: Pick<WriteCore, 'db' | 'writable'>, ...values: T): RunResult;
}

/**
 * `command` with positional parameters, for the few inserts run tens of thousands of times in one
 * transaction (an import's devices and their audit entries): binding by name costs a few per cent
 * of such an insert, and the import builds no object per row for it (issue 17). Name the tuple's members after their columns, in the
 * SQL's order; a wrong count is refused by better-sqlite3 at run time, a wrong order is not, so
 * elsewhere named parameters stay the rule.
 */
export function positionalCommand<T extends readonly unknown[]>(sql: string): PositionalCommand<T> {
  const statement = writer(sql);
  return { sql, run: (core, ...values) => statement(core.db).run(...values) };
}

export interface Returning<Row, P extends Params | void = void> {
  readonly sql: string;
  get(core: Pick<WriteCore, 'db' | 'writable'>, ...args: Args<P>): Row | undefined;
}

/** An INSERT, UPDATE or DELETE with a RETURNING clause: a command (in a transaction) whose row is typed as `Row`. */
export function returning<Row, P extends Params | void = void>(sql: string): Returning<Row, P> {
  const statement = writer(sql);
  return { sql, get: (core, ...args) => statement(core.db).get(...args) as Row | undefined };
}

/** A command whose text is built at run time (see builtQuery). */
export function builtCommand<P extends Params | void = void>(sql: string): Command<P> {
  return memo(`c:${sql}`, () => command<P>(sql));
}

/** `(@p0, @p1, …)` and its parameters, for an IN list of values. */
export function inList(prefix: string, values: readonly unknown[]): { sql: string; params: Record<string, unknown> } {
  const params: Record<string, unknown> = {};
  values.forEach((v, i) => (params[`${prefix}${i}`] = v));
  return { sql: `(${values.map((_, i) => `@${prefix}${i}`).join(', ')})`, params };
}
