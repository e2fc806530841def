import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { createDatabase } from '../../helpers/pg';

describe('the throwaway PostgreSQL cluster', () => {
  it('gives each test file a database of its own on 127.0.0.1', async () => {
    const a = await createDatabase(inject('pgBaseUrl'));
    const b = await createDatabase(inject('pgBaseUrl'));
    try {
      expect(a.url).not.toBe(b.url);
      expect(a.url).toMatch(/^postgres:\/\/wardkeep@127\.0\.0\.1:\d+\/t_[0-9a-f]{12}$/);
      const client = new pg.Client({ connectionString: a.url });
      await client.connect();
      const r = await client.query<{ v: string; fsync: string }>(
        "SELECT current_setting('server_version_num') AS v, current_setting('fsync') AS fsync",
      );
      await client.end();
      expect(Number(r.rows[0]!.v)).toBeGreaterThanOrEqual(150000);
      expect(r.rows[0]!.fsync).toBe('off');
    } finally {
      await a.drop();
      await b.drop();
    }
  });
});
