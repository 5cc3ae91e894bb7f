import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  ensureTopics,
  INBOUND_GROUP_ID,
  OutboxRelay,
  PROJECTIONS_GROUP_ID,
  runConsumer,
  runInboundContactsConsumer,
  runProjectionConsumer,
  type RunningConsumer,
} from '@tandem/events';
import { type ItemOperation, startRoutingMaintenance, WorkRouter } from '@tandem/routing';
import type { Admin } from 'kafkajs';
import { DataSource } from 'typeorm';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { ContactLauncher } from '../contacts/contact-launcher.service';
import { EscalationContextService } from '../events/escalation-context.service';
import { eventsLogger, KafkaClient } from '../events/kafka.service';
import { MetricsService } from '../metrics/metrics.service';
import { AssignmentSignalsService } from '../routing/assignment-signals.service';
import { RoutingNotificationsService } from '../routing/routing-notifications.service';

/** The consumer group that records escalation contexts from `contact.escalated`. */
export const ESCALATIONS_GROUP_ID = 'tandem-api-escalations';

type Part = 'topics' | 'outboxRelay' | 'projections' | 'inboundContacts' | 'escalationContexts' | 'routingMaintenance';

/** What routing maintenance was doing to an item, for its log line. */
const ITEM_OPERATION: Record<ItemOperation, string> = { offer: 'offer', expire_offer: 'expire the offer of', overflow: 'overflow' };

/**
 * What the API runs besides serving requests, each behind its own switch (`TANDEM_API_*`, see
 * docs/api.md): the outbox relay, the projection consumer, the inbound-contacts consumer, the
 * escalation-context consumer and routing's maintenance loop (offer expiry, overflow, push dispatch,
 * the events of the worker's routing changes, and the retries of `workItemAssigned` signals),
 * whose ticks and item failures are counted in `/metrics` and whose failed items are logged with their
 * id (one bad item never stops a tick from serving the others).
 *
 * Started after the application is up and never in the way of it: a part whose dependency is down
 * (Kafka, typically) is retried with backoff while the API serves — `/health` says what is down.
 */
@Injectable()
export class BackgroundService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(BackgroundService.name);
  private readonly stops: (() => Promise<void>)[] = [];
  private readonly started = new Set<Part>();
  private stopping = false;
  /** Cuts a retry's backoff short when the application stops. */
  private readonly stopped = new AbortController();
  private startup?: Promise<void>;
  /** The admin client of a topic check in flight, disconnected at shutdown so it does not linger. */
  private connecting?: Admin;

  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly kafka: KafkaClient,
    private readonly router: WorkRouter,
    private readonly notifications: RoutingNotificationsService,
    private readonly launcher: ContactLauncher,
    private readonly contexts: EscalationContextService,
    private readonly metrics: MetricsService,
    private readonly assignments: AssignmentSignalsService,
  ) {}

  onApplicationBootstrap(): void {
    this.startup = this.startAll();
  }

  /** Resolves once every enabled part runs (tests wait on it; production does not need to). */
  async ready(): Promise<ReadonlySet<Part>> {
    await this.startup;
    return this.started;
  }

  private async startAll(): Promise<void> {
    const b = this.config.background;
    const { topics, groupPrefix } = this.config.events;
    const kafka = this.kafka.kafka;
    const usesKafka = b.outboxRelay || b.projections || b.inboundContacts || b.escalationContexts;
    const parts: Promise<void>[] = [];
    if (b.routingMaintenance) {
      parts.push(
        this.retrying('routingMaintenance', async () => {
          const stop = startRoutingMaintenance({
            router: this.router,
            notifications: await this.notifications.get(),
            intervalMs: b.routingMaintenanceIntervalMs,
            onTick: () => this.metrics.routingTicks.inc({ outcome: 'completed' }),
            // One item's failure: the tick served the others; this item is tried again later.
            onItemFailure: ({ operation, workItemId, offerId, error }) => {
              this.metrics.routingItemFailures.inc({ operation });
              this.logger.warn({ err: error, operation, workItemId, offerId }, `routing maintenance could not ${ITEM_OPERATION[operation]} work item ${workItemId}; the other items were served`);
            },
            onError: (err) => {
              this.metrics.routingTicks.inc({ outcome: 'failed' });
              this.logger.warn({ err }, 'routing maintenance failed; retrying on the next tick');
            },
          });
          this.stops.push(stop);
          // Retries the workItemAssigned signals the desk's immediate delivery could not send.
          this.stops.push(this.assignments.startLoop(b.routingMaintenanceIntervalMs));
        }),
      );
    }
    if (usesKafka) {
      await this.retrying('topics', async () => {
        // This loop retries; the admin client should fail fast rather than retry on its own.
        const admin = kafka.admin({ retry: { retries: 1, initialRetryTime: 200 } });
        this.connecting = admin;
        await admin.connect();
        try {
          const { created, mismatched } = await ensureTopics(admin, topics, { partitions: this.config.events.partitions });
          if (created.length) this.logger.log({ created }, 'created Kafka topics');
          for (const m of mismatched) this.logger.warn(m, `topic ${m.topic} has ${m.partitions} partitions, not ${this.config.events.partitions}; left as it is`);
        } finally {
          this.connecting = undefined;
          await admin.disconnect();
        }
      });
    }
    if (b.outboxRelay) {
      parts.push(
        this.retrying('outboxRelay', async () => {
          const relay = new OutboxRelay({ dataSource: this.dataSource, kafka, logger: eventsLogger('OutboxRelay') });
          await relay.start();
          this.stops.push(() => relay.stop());
        }),
      );
    }
    const consumer = (part: Part, run: () => Promise<RunningConsumer>) =>
      this.retrying(part, async () => {
        const running = await run();
        this.stops.push(() => running.stop());
      });
    if (b.projections) {
      parts.push(consumer('projections', () => runProjectionConsumer({ kafka, dataSource: this.dataSource, topics, groupId: `${groupPrefix}${PROJECTIONS_GROUP_ID}`, logger: eventsLogger('Projections') })));
    }
    if (b.inboundContacts) {
      parts.push(
        consumer('inboundContacts', () =>
          runInboundContactsConsumer({
            kafka,
            dataSource: this.dataSource,
            topics,
            groupId: `${groupPrefix}${INBOUND_GROUP_ID}`,
            startContact: (request) => this.launcher.startFromInbound(request),
            logger: eventsLogger('InboundContacts'),
          }),
        ),
      );
    }
    if (b.escalationContexts) {
      parts.push(
        consumer('escalationContexts', () =>
          runConsumer({
            kafka,
            dataSource: this.dataSource,
            groupId: `${groupPrefix}${ESCALATIONS_GROUP_ID}`,
            topics: [topics.contactEvents],
            handle: async (events, manager) => {
              for (const e of events) if (e.type === 'tandem.contact.escalated.v1') await this.contexts.recordFromEvent(manager, e);
            },
            logger: eventsLogger('EscalationContexts'),
          }),
        ),
      );
    }
    await Promise.all(parts);
  }

  /** Runs `start` until it succeeds (or the application stops), backing off from 500 ms to 30 s. */
  private async retrying(part: Part, start: () => Promise<void>): Promise<void> {
    for (let delay = 500; !this.stopping; delay = Math.min(delay * 2, 30_000)) {
      try {
        await start();
        if (this.stopping) {
          // It came up after shutdown began: stop it now, shutdown has moved on.
          await this.stopAll();
          return;
        }
        this.started.add(part);
        this.logger.log(`${part} started`);
        return;
      } catch (err) {
        this.logger.warn({ err, retryInMs: delay }, `${part} could not start; retrying`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          this.stopped.signal.addEventListener('abort', () => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    }
  }

  /** Before the DataSource closes: the relay and the consumers finish their batch in flight. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.stopped.abort();
    await this.connecting?.disconnect().catch(() => undefined);
    // A part still trying to start (a broker that does not answer) is not waited for: it stops
    // itself when it comes up (see `retrying`).
    await Promise.race([this.startup?.catch(() => undefined), new Promise((r) => setTimeout(r, 2_000).unref())]);
    await this.stopAll();
  }

  private async stopAll(): Promise<void> {
    for (const stop of this.stops.splice(0).reverse()) {
      try {
        await stop();
      } catch (err) {
        this.logger.warn({ err }, 'a background part did not stop cleanly');
      }
    }
  }
}
