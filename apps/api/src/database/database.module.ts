import { type DynamicModule, Inject, Logger, Module, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ApiConfig } from '../config/api-config';
import { runMigrations } from './data-source';

const MIGRATE_ON_START = Symbol('MIGRATE_ON_START');

/**
 * Runs pending migrations when the API starts (`TANDEM_API_MIGRATE=1`, the default) before any
 * request is served; deployments that migrate as a separate release step set it to 0 and run
 * `npm run cli -w @tandem/api -- migrate`.
 */
@Module({})
export class DatabaseModule implements OnModuleInit {
  private readonly logger = new Logger('Database');

  constructor(
    private readonly dataSource: DataSource,
    @Inject(MIGRATE_ON_START) private readonly migrateOnStart: boolean,
  ) {}

  static forRoot(config: ApiConfig): DynamicModule {
    return { module: DatabaseModule, providers: [{ provide: MIGRATE_ON_START, useValue: config.api.migrateOnStart }] };
  }

  async onModuleInit(): Promise<void> {
    if (!this.migrateOnStart) return;
    const ran = await runMigrations(this.dataSource);
    if (ran.length) this.logger.log(`ran ${ran.length} migration(s): ${ran.join(', ')}`);
  }
}

