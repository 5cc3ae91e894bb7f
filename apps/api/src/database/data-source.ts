import { eventsEntities, eventsMigrations } from '@tandem/events';
import { routingEntities, routingMigrations } from '@tandem/routing';
import { DataSource, type DataSourceOptions, type EntitySchema, type MixedList } from 'typeorm';
import { ApiKeyEntity } from '../auth/api-key.entity';
import { CalendarEntity } from '../catalog/calendar.entity';
import { CustomActivityEntity } from '../catalog/custom-activity.entity';
import { FlowVersionEntity } from '../flows/flow-version.entity';
import { FlowEntity } from '../flows/flow.entity';
import { FlowVersionTests1767400000000 } from '../flows/migrations/1767400000000-flow-version-tests';
import { ApiInit1763860000000 } from './migrations/1763860000000-api-init';
import { ApiRoutingAndEvents1767300000000 } from './migrations/1767300000000-api-routing-and-events';
import { TypeOrmLogAdapter } from './typeorm-logger';

/**
 * A package's share of the API's database: its entities and the migrations that create their
 * tables. The API's DataSource is the union of several parts — its own, and routing's and events'
 * (`routingEntities` / `routingMigrations`) as they land — so one `migrate` brings everything up.
 *
 * @example
 * createDataSourceOptions(url, [apiDatabasePart, { entities: routingEntities, migrations: routingMigrations }])
 */
export interface DatabasePart {
  name: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type for entity classes
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type for migration classes
  migrations: MixedList<Function | string>;
}

/** The API's own tables. */
export const apiDatabasePart: DatabasePart = {
  name: 'api',
  entities: [ApiKeyEntity, FlowEntity, FlowVersionEntity, CustomActivityEntity, CalendarEntity],
  // The second migration reads routing.queue: TypeORM runs all parts' migrations in timestamp order.
  migrations: [ApiInit1763860000000, ApiRoutingAndEvents1767300000000, FlowVersionTests1767400000000],
};

/** Routing's tables (schema `routing`): queues, agents, work items, offers, history, tickets. */
export const routingDatabasePart: DatabasePart = { name: 'routing', entities: [...routingEntities], migrations: [...routingMigrations] };

/** Events' tables (schema `events`): outbox, consumer dedupe, dead letters, inbound contacts, projections. */
export const eventsDatabasePart: DatabasePart = { name: 'events', entities: [...eventsEntities], migrations: [...eventsMigrations] };

/** Every part the API composes: its own, routing's and events'. One `migrate` brings them all up. */
export function defaultDatabaseParts(): DatabasePart[] {
  return [apiDatabasePart, routingDatabasePart, eventsDatabasePart];
}

const asArray = <T>(list: MixedList<T>): T[] => (Array.isArray(list) ? list : Object.values(list as Record<string, T>));

/**
 * DataSource options for PostgreSQL with the given parts. Never `synchronize`: the schema changes
 * only through migrations ({@link runMigrations}, at start or by `cli migrate`).
 */
export function createDataSourceOptions(url: string, parts: DatabasePart[] = defaultDatabaseParts(), options: { poolSize?: number } = {}): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: parts.flatMap((p) => asArray(p.entities)),
    migrations: parts.flatMap((p) => asArray(p.migrations)),
    migrationsTableName: 'migrations',
    migrationsRun: false,
    synchronize: false,
    logger: new TypeOrmLogAdapter(),
    maxQueryExecutionTime: 1_000,
    extra: { max: options.poolSize ?? 10, application_name: 'tandem-api' },
  };
}

/** Arbitrary but fixed: every Tandem process that migrates this database takes the same lock. */
const MIGRATION_LOCK_KEY = 7_364_201_511;

/**
 * Runs pending migrations, each in its own transaction, under a PostgreSQL advisory lock so that
 * several API replicas (or the API and `cli migrate`) starting at once never run the same migration
 * twice. Returns the names of the migrations it ran.
 */
export async function runMigrations(ds: DataSource): Promise<string[]> {
  const lock = ds.createQueryRunner();
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const ran = await ds.runMigrations({ transaction: 'each' });
    return ran.map((m) => m.name);
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lock.release();
  }
}

/** Opens a short-lived DataSource on `url`, runs pending migrations, and returns their names. */
export async function migrate(url: string, parts: DatabasePart[] = defaultDatabaseParts()): Promise<string[]> {
  const ds = new DataSource(createDataSourceOptions(url, parts, { poolSize: 2 }));
  await ds.initialize();
  try {
    return await runMigrations(ds);
  } finally {
    await ds.destroy();
  }
}
