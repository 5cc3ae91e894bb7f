import 'reflect-metadata';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../src';

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
