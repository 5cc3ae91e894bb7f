import { loadConfig, withDatabase } from '@tandem/config';
import { Client } from 'pg';
import { uniqueName, uniqueNameTime } from './names';

export interface TestDatabase {
  name: string;
  url: string;
  /** Drops the database (terminating leftover connections). */
  drop(): Promise<void>;
}

async function admin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: loadConfig().database.url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Test databases older than this, with nobody connected, are left over from killed runs. */
export const STALE_TEST_DATABASE_MS = 3 * 60 * 60 * 1000;

/** When a test database was created, from the time `uniqueName` put in its name; undefined if none. */
export function testDatabaseCreatedAt(name: string): Date | undefined {
  return name.startsWith('t_') ? uniqueNameTime(name) : undefined;
}

/**
 * Drops test databases a killed run left behind (its `drop()` never ran): those named by
 * `createTestDatabase`, created more than `olderThanMs` ago, with no connection open. Returns their
 * names. A suite's own database is never that old, so concurrent suites are safe.
 */
export async function sweepStaleTestDatabases(olderThanMs = STALE_TEST_DATABASE_MS): Promise<string[]> {
  const now = Date.now();
  return admin(async (c) => {
    const { rows } = await c.query<{ datname: string; numbackends: number }>(
      `SELECT d.datname, COALESCE(s.numbackends, 0)::int AS numbackends
         FROM pg_database d LEFT JOIN pg_stat_database s ON s.datid = d.oid
        WHERE d.datname LIKE 't\\_%' AND NOT d.datistemplate`,
    );
    const dropped: string[] = [];
    for (const { datname, numbackends } of rows) {
      const created = testDatabaseCreatedAt(datname);
      if (!created || now - created.getTime() < olderThanMs || numbackends > 0) continue;
      try {
        // Without FORCE: someone who connected meanwhile keeps it.
        await c.query(`DROP DATABASE IF EXISTS "${datname.replace(/"/g, '""')}"`);
        dropped.push(datname);
      } catch {
        // in use after all, or dropped by a concurrent sweep: leave it
      }
    }
    return dropped;
  });
}

let swept: Promise<unknown> | undefined;

/**
 * Creates an empty database on the stack's PostgreSQL for one test suite; tests that touch the
 * database never share state. The first call in a process also sweeps stale test databases (best
 * effort: a failure there never fails the suite).
 */
export async function createTestDatabase(prefix = 'test'): Promise<TestDatabase> {
  swept ??= sweepStaleTestDatabases().catch(() => []);
  await swept;
  const name = uniqueName(`t_${prefix}`).toLowerCase().replace(/[^a-z0-9_]/g, '_').slice(0, 63);
  await admin((c) => c.query(`CREATE DATABASE "${name}"`));
  return {
    name,
    url: withDatabase(loadConfig().database.url, name),
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}
