import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { DestinationStream } from 'pino';
import { AuthModule } from './auth/auth.module';
import { CatalogModule } from './catalog/catalog.module';
import { API_CONFIG, type ApiConfig } from './config/api-config';
import { createDataSourceOptions, type DatabasePart, defaultDatabaseParts } from './database/data-source';
import { DatabaseModule } from './database/database.module';
import { FlowsModule } from './flows/flows.module';
import { HealthModule } from './health/health.module';
import { InfrastructureModule } from './infrastructure/infrastructure.module';
import { LoggingModule } from './logging/logging.module';
import { MetricsModule } from './metrics/metrics.module';

export interface AppModuleOptions {
  config: ApiConfig;
  /** The database parts to compose (default: {@link defaultDatabaseParts}). */
  databaseParts?: DatabasePart[];
  /** Where JSON log lines go (default stdout). */
  logDestination?: DestinationStream;
}

/**
 * The API. Feature modules: auth, flows, catalog, health, metrics — contacts and the agents'
 * queue API join here in phase 2.
 */
@Module({})
export class AppModule {
  static forRoot(options: AppModuleOptions): DynamicModule {
    const { config } = options;
    const parts = options.databaseParts ?? defaultDatabaseParts();
    return {
      module: AppModule,
      global: true,
      imports: [
        LoggingModule.forRoot(config, options.logDestination),
        TypeOrmModule.forRoot({ ...createDataSourceOptions(config.database.url, parts), retryAttempts: 3, retryDelay: 1000 }),
        DatabaseModule.forRoot(config),
        InfrastructureModule,
        MetricsModule,
        HealthModule,
        AuthModule,
        CatalogModule,
        FlowsModule,
      ],
      providers: [{ provide: API_CONFIG, useValue: config }],
      exports: [API_CONFIG],
    };
  }
}
