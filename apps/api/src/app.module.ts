import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { DestinationStream } from 'pino';
import { AgentDeskModule } from './agent-desk/agent-desk.module';
import { AuthModule } from './auth/auth.module';
import { BackgroundModule } from './background/background.module';
import { CatalogModule } from './catalog/catalog.module';
import { ContactsModule } from './contacts/contacts.module';
import { API_CONFIG, type ApiConfig } from './config/api-config';
import { createDataSourceOptions, type DatabasePart, defaultDatabaseParts } from './database/data-source';
import { DatabaseModule } from './database/database.module';
import { EventsModule } from './events/events.module';
import { FlowTestsModule } from './flow-tests/flow-tests.module';
import { FlowsModule } from './flows/flows.module';
import { HealthModule } from './health/health.module';
import { InfrastructureModule } from './infrastructure/infrastructure.module';
import { LoggingModule } from './logging/logging.module';
import { MetricsModule } from './metrics/metrics.module';
import { RoutingModule } from './routing/routing.module';
import { SupervisorModule } from './supervisor/supervisor.module';

export interface AppModuleOptions {
  config: ApiConfig;
  /** The database parts to compose (default: {@link defaultDatabaseParts}). */
  databaseParts?: DatabasePart[];
  /** Where JSON log lines go (default stdout). */
  logDestination?: DestinationStream;
}

/**
 * The API. Feature modules: auth, flows, catalog, contacts, the agents' desk, supervisors, health,
 * metrics; routing and events (global) underneath; the background relay, consumers and routing
 * maintenance beside them.
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
        EventsModule,
        RoutingModule,
        AuthModule,
        CatalogModule,
        FlowsModule,
        FlowTestsModule,
        ContactsModule,
        AgentDeskModule,
        SupervisorModule,
        BackgroundModule,
      ],
      providers: [{ provide: API_CONFIG, useValue: config }],
      exports: [API_CONFIG],
    };
  }
}
