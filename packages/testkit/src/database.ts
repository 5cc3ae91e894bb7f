import { loadConfig, withDatabase } from '@tandem/config';
import { Client } from 'pg';
import { uniqueName } from './names';

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

/**
 * Creates an empty database on the stack's PostgreSQL for one test suite; tests that touch the
 * database never share state.
 */
export async function createTestDatabase(prefix = 'test'): Promise<TestDatabase> {
  const name = uniqueName(`t_${prefix}`).toLowerCase().replace(/[^a-z0-9_]/g, '_').slice(0, 63);
  await admin((c) => c.query(`CREATE DATABASE "${name}"`));
  return {
    name,
    url: withDatabase(loadConfig().database.url, name),
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}
