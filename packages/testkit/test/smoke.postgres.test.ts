import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { loadConfig, withDatabase } from '@tandem/config';
import { createTestDatabase, sweepStaleTestDatabases, testDatabaseCreatedAt, type TestDatabase } from '../src';

class CreateGreeting1700000000000 implements MigrationInterface {
  name = 'CreateGreeting1700000000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE greeting (id serial PRIMARY KEY, text text NOT NULL)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE greeting`);
  }
}

describe('smoke: PostgreSQL', () => {
  let db: TestDatabase;
  let ds: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase('smoke');
    ds = new DataSource({ type: 'postgres', url: db.url, migrations: [CreateGreeting1700000000000], synchronize: false });
    await ds.initialize();
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('runs a TypeORM migration and reads back a row', async () => {
    const applied = await ds.runMigrations();
    expect(applied.map((m) => m.name)).toEqual(['CreateGreeting1700000000000']);
    await ds.query(`INSERT INTO greeting (text) VALUES ($1)`, ['hello, postgres']);
    const rows: { text: string }[] = await ds.query(`SELECT text FROM greeting`);
    expect(rows).toEqual([{ text: 'hello, postgres' }]);
    // A second run finds nothing left to apply.
    expect(await ds.runMigrations()).toEqual([]);
  });
});

describe('stale test databases', () => {
  it('reads the creation time uniqueName put in a test database name', () => {
    const at = Date.UTC(2026, 10, 23, 3, 0, 43, 185);
    expect(testDatabaseCreatedAt(`t_worker_${at.toString(36)}_d1629d`)?.getTime()).toBe(at);
    expect(testDatabaseCreatedAt(`t_events_outage_${at.toString(36)}_da0c9b`)?.getTime()).toBe(at);
    expect(testDatabaseCreatedAt('tandem')).toBeUndefined();
    expect(testDatabaseCreatedAt('t_handmade')).toBeUndefined();
  });

  it('drops databases a killed run left behind, and only those', async () => {
    const admin = new Client({ connectionString: loadConfig().database.url });
    await admin.connect();
    const day = 24 * 60 * 60 * 1000;
    const stale = `t_sweep_${(Date.now() - day).toString(36)}_${randomBytes(3).toString('hex')}`;
    const staleInUse = `t_sweep_${(Date.now() - day).toString(36)}_${randomBytes(3).toString('hex')}`;
    const fresh = await createTestDatabase('sweep');
    const holder = new Client({ connectionString: withDatabase(loadConfig().database.url, staleInUse) });
    try {
      await admin.query(`CREATE DATABASE "${stale}"`);
      await admin.query(`CREATE DATABASE "${staleInUse}"`);
      await holder.connect();
      const dropped = await sweepStaleTestDatabases();
      expect(dropped).toContain(stale);
      expect(dropped).not.toContain(staleInUse);
      expect(dropped).not.toContain(fresh.name);
      const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname = ANY($1)`, [[stale, staleInUse, fresh.name]]);
      expect(rows.map((r) => r.datname).sort()).toEqual([fresh.name, staleInUse].sort());
    } finally {
      await holder.end().catch(() => undefined);
      await admin.query(`DROP DATABASE IF EXISTS "${staleInUse}" WITH (FORCE)`);
      await admin.query(`DROP DATABASE IF EXISTS "${stale}" WITH (FORCE)`);
      await admin.end();
      await fresh.drop();
    }
  });
});
