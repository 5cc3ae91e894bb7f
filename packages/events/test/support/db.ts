import { createTestDatabase, type TestDatabase } from '@tandem/testkit';
import { DataSource } from 'typeorm';
import { eventsEntities, eventsMigrations } from '../../src';

/** A fresh database with the package's migrations applied, the way the API composes them. */
export async function migratedDatabase(prefix: string, poolSize = 10): Promise<{ db: TestDatabase; dataSource: DataSource; close(): Promise<void> }> {
  const db = await createTestDatabase(prefix);
  const dataSource = new DataSource({
    type: 'postgres',
    url: db.url,
    entities: eventsEntities,
    migrations: eventsMigrations,
    migrationsTransactionMode: 'each',
    extra: { max: poolSize },
    logging: false,
  });
  await dataSource.initialize();
  await dataSource.runMigrations();
  return {
    db,
    dataSource,
    async close() {
      if (dataSource.isInitialized) await dataSource.destroy();
      await db.drop();
    },
  };
}
