import Database from 'better-sqlite3';

type Runner = (...args: unknown[]) => unknown;

/** Records the SQL of every statement run while `fn` runs (better-sqlite3 keeps each statement's text as `source`). */
export async function statementsRun(fn: () => Promise<void>): Promise<Set<string>> {
  const probe = new Database(':memory:');
  const proto = Object.getPrototypeOf(probe.prepare('SELECT 1')) as Record<'all' | 'get' | 'iterate' | 'run', Runner>;
  probe.close();
  const ran = new Set<string>();
  const originals = { all: proto.all, get: proto.get, iterate: proto.iterate, run: proto.run };
  for (const name of ['all', 'get', 'iterate', 'run'] as const) {
    const original = originals[name];
    proto[name] = function (this: { source: string }, ...args: unknown[]) {
      ran.add(this.source);
      return original.apply(this, args);
    };
  }
  try {
    await fn();
  } finally {
    Object.assign(proto, originals);
  }
  return ran;
}
