import { createTestDatabase, type TestDatabase } from '@tandem/testkit';
import { type DataSource } from 'typeorm';
import { openDataSource, routingTestContext, escalation, type RoutingTestContext } from './helpers';

describe('schema', () => {
  let db: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase('routing_schema');
    dataSource = await openDataSource(db.url);
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('migrates up, agrees with the entities, migrates down and up again', async () => {
    const applied = await dataSource.runMigrations();
    expect(applied.map((m) => m.name)).toEqual(['CreateRouting1763856000000', 'CreateTickets1763900000000', 'AssignmentsAndDeferredEvents1765100000000']);
    // The entities describe the columns the migrations built (names, types, nullability), so an
    // application can read routing tables through repositories. The migrations own the rest
    // (constraints, partial indexes, functions, triggers).
    for (const entity of dataSource.entityMetadatas) {
      const columns: { column_name: string; data_type: string; is_nullable: string }[] = await dataSource.query(
        `SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY column_name`,
        [entity.schema, entity.tableName],
      );
      const described = entity.columns
        .map((c) => ({
          column_name: c.databaseName,
          data_type: c.isArray ? 'ARRAY' : String(c.type),
          is_nullable: c.isNullable ? 'YES' : 'NO',
        }))
        .sort((a, b) => a.column_name.localeCompare(b.column_name));
      expect({ table: entity.tableName, columns: described }).toEqual({ table: entity.tableName, columns });
    }
    await dataSource.undoLastMigration();
    await dataSource.undoLastMigration();
    await dataSource.undoLastMigration();
    const [{ exists }] = await dataSource.query(`SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'routing') AS exists`);
    expect(exists).toBe(false);
    expect((await dataSource.runMigrations()).length).toBe(3);
  });
});

describe('history', () => {
  let ctx: RoutingTestContext;
  beforeAll(async () => {
    ctx = await routingTestContext('routing_history');
    await ctx.directory.defineQueue({ name: 'billing', slaTargetSeconds: 60 });
  });
  afterAll(() => ctx?.close());

  it('is append-only: the database refuses updates and deletes', async () => {
    const { workItem } = await ctx.router.createWorkItem(escalation('billing'));
    const [entry] = await ctx.router.history(workItem.id);
    expect(entry).toMatchObject({ type: 'created', toStatus: 'queued', actor: 'workflow' });
    await expect(ctx.dataSource.query(`UPDATE routing.work_item_history SET reason = 'x' WHERE work_item_id = $1`, [workItem.id])).rejects.toThrow(/append-only/);
    await expect(ctx.dataSource.query(`DELETE FROM routing.work_item_history WHERE work_item_id = $1`, [workItem.id])).rejects.toThrow(/append-only/);
    await expect(ctx.dataSource.query(`TRUNCATE routing.work_item_history CASCADE`)).rejects.toThrow(/append-only/);
    expect(await ctx.router.history(workItem.id)).toHaveLength(1);
  });
});
