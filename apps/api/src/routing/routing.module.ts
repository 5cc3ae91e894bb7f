import { Global, Logger, Module } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { QueueStatistics, RoutingDirectory, TicketDesk, WorkRouter } from '@tandem/routing';
import type { DataSource } from 'typeorm';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { MetricsService } from '../metrics/metrics.service';
import { RoutingOutboxSink } from '../events/routing-outbox.sink';
import { AssignmentSignalsService } from './assignment-signals.service';
import { RoutingNotificationsService } from './routing-notifications.service';

/**
 * `@tandem/routing` on the API's DataSource: the work router (its state changes append their events
 * to the outbox in the same transaction), the directory of queues and agents, queue statistics,
 * tickets, the LISTEN stream behind the agents' offer streams, and the delivery of `workItemAssigned`
 * signals to contacts.
 */
@Global()
@Module({
  providers: [
    {
      provide: WorkRouter,
      inject: [getDataSourceToken(), RoutingOutboxSink, API_CONFIG, MetricsService],
      useFactory: (dataSource: DataSource, sink: RoutingOutboxSink, config: ApiConfig, metrics: MetricsService) => {
        const logger = new Logger('routing');
        return new WorkRouter({
          dataSource,
          eventSink: sink,
          maxConcurrentClaims: config.api.maxConcurrentClaims,
          // The offer that follows a committed change (a reject, a transfer, a new item in a push queue)
          // failed: the request still succeeded; the item is offered again by the next dispatch.
          onItemFailure: ({ operation, workItemId, offerId, error }) => {
            metrics.routingItemFailures.inc({ operation });
            logger.warn({ err: error, operation, workItemId, offerId }, `routing could not ${operation} work item ${workItemId} after a change; the dispatcher tries again`);
          },
        });
      },
    },
    { provide: RoutingDirectory, inject: [getDataSourceToken()], useFactory: (dataSource: DataSource) => new RoutingDirectory({ dataSource }) },
    { provide: QueueStatistics, inject: [getDataSourceToken()], useFactory: (dataSource: DataSource) => new QueueStatistics({ dataSource }) },
    { provide: TicketDesk, inject: [getDataSourceToken()], useFactory: (dataSource: DataSource) => new TicketDesk({ dataSource }) },
    RoutingNotificationsService,
    AssignmentSignalsService,
  ],
  exports: [WorkRouter, RoutingDirectory, QueueStatistics, TicketDesk, RoutingNotificationsService, AssignmentSignalsService],
})
export class RoutingModule {}
