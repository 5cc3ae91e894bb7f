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

  it('are idempotent to re-run and revert cleanly, one at a time', async () => {
    const exists = async (table: string) => (await env.dataSource.query<{ exists: boolean }[]>(`SELECT to_regclass($1) IS NOT NULL AS exists`, [table]))[0]!.exists;
    expect(await env.dataSource.runMigrations()).toEqual([]);
    await env.dataSource.undoLastMigration();
    expect(await exists('events.customer_contacts')).toBe(false);
    expect(await exists('events.producer_dead_letters')).toBe(true);
    await env.dataSource.undoLastMigration();
    expect(await exists('events.producer_dead_letters')).toBe(false);
    expect(await exists('events.outbox')).toBe(true);
    await env.dataSource.undoLastMigration();
    expect(await exists('events.outbox')).toBe(false);
    expect((await env.dataSource.runMigrations()).map((m) => m.name)).toEqual(['EventsInitialSchema1767225600000', 'EventsProducerDeadLetters1767312000000', 'EventsCustomerContacts1767600000000']);
  });
});
