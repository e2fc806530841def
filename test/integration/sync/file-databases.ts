import { afterAll, inject } from 'vitest';
import { createDatabase } from '../../helpers/pg';

/**
 * The hub databases of one test file on the test cluster, all dropped after its tests: a fresh one
 * (`fresh`), and a copy of one as it is now (`dumpOf`: last night's pg_dump, restored; the hub
 * stopped, so no connections). Each is given by its URL.
 */
export function fileDatabases(): { fresh(): Promise<string>; dumpOf(url: string): Promise<string> } {
  const dbs: { drop(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const d of dbs) await d.drop().catch(() => undefined);
  });
  const kept = (db: { url: string; drop(): Promise<void> }) => {
    dbs.push(db);
    return db.url;
  };
  return {
    fresh: async () => kept(await createDatabase(inject('pgBaseUrl'))),
    dumpOf: async (url) => kept(await createDatabase(inject('pgBaseUrl'), new URL(url).pathname.slice(1))),
  };
}
