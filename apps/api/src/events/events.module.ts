import { Global, Module } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { CustomerContactHistory, OutboxWriter, ProjectionQueries } from '@tandem/events';
import type { DataSource } from 'typeorm';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { EscalationContextService } from './escalation-context.service';
import { KafkaClient } from './kafka.service';
import { RoutingOutboxSink } from './routing-outbox.sink';

/**
 * Kafka events as the API produces and reads them: the transactional outbox writer (routing's event
 * sink appends through it), the escalation contexts that tie work item events to flow nodes, the
 * projection queries behind the metrics overlay, and each customer's contact history (what a starting
 * contact learns about the customer's recent contacts). The background relay and consumers run in
 * {@link BackgroundModule}.
 */
@Global()
@Module({
  providers: [
    KafkaClient,
    EscalationContextService,
    RoutingOutboxSink,
    { provide: OutboxWriter, inject: [API_CONFIG], useFactory: (config: ApiConfig) => new OutboxWriter({ topics: config.events.topics }) },
    { provide: ProjectionQueries, inject: [getDataSourceToken()], useFactory: (dataSource: DataSource) => new ProjectionQueries(dataSource) },
    { provide: CustomerContactHistory, inject: [getDataSourceToken()], useFactory: (dataSource: DataSource) => new CustomerContactHistory(dataSource) },
  ],
  exports: [KafkaClient, EscalationContextService, RoutingOutboxSink, OutboxWriter, ProjectionQueries, CustomerContactHistory],
})
export class EventsModule {}
