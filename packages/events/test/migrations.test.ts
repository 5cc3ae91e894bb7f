import { migratedDatabase } from './support/db';

describe('eventsEntities and eventsMigrations', () => {
  let env: Awaited<ReturnType<typeof migratedDatabase>>;
  beforeAll(async () => {
    env = await migratedDatabase('events_migrations');
  });
  afterAll(() => env.close());

  it('create exactly the schema the entities describe (TypeORM sees nothing to synchronize)', async () => {
    const pending = await env.dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('are idempotent to re-run and revert cleanly', async () => {
    expect(await env.dataSource.runMigrations()).toEqual([]);
    await env.dataSource.undoLastMigration();
    const [{ exists }] = await env.dataSource.query(`SELECT to_regclass('events.outbox') IS NOT NULL AS exists`);
    expect(exists).toBe(false);
    expect((await env.dataSource.runMigrations()).map((m) => m.name)).toEqual(['EventsInitialSchema1767225600000']);
  });
});
