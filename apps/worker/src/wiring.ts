/**
 * The worker's production wiring: routing on PostgreSQL, contact events on Kafka, tickets, the
 * custom activities, and the background routing loops (resolution delivery, offer expiry). `main.ts`
 * runs it; the API's end-to-end tests start the same thing in process.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { ActivityRegistry, isCustomActivity, type CustomActivity } from '@tandem/activity-kit';
import type { TandemConfig } from '@tandem/config';
import { EventPublisher, ensureTopics, prefixedTopics } from '@tandem/events';
import { QueueStatistics, ResolutionOutbox, TicketDesk, WorkRouter, routingEntities } from '@tandem/routing';
import { preloadBotModels } from '@tandem/virtual-agent';
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import type { ActivityDependencies } from './activities';
import type { DeliverMessageRequest } from './activities/contract';
import type { CalendarDirectory, MessageChannel, PlanStore, TicketStore } from './activities/ports';
import { KafkaContactEventSink } from './adapters/events';
import { RoutingWorkItemGateway } from './adapters/routing';
import { createDraftEmailReplyActivity, createHttpRequestActivity, createOrderLookupActivity } from '@tandem/activity-library';
import type { Logger } from './logger';
import { startWorkerHttp, WorkerMetrics } from './http';
import { contactWorkflowBundle, createContactWorker, PREBUILT_BUNDLE, type WorkflowBundleOption } from './worker';

/** The worker's own settings, on top of @tandem/config's shared ones. */
export const workerSettingsSchema = z.object({
  /** Comma-separated module paths exporting custom activities (`defineActivity` results). */
  TANDEM_ACTIVITY_MODULES: z.string().default(''),
  /** Hosts the built-in `http.request` activity may call, comma-separated (none by default). */
  TANDEM_HTTP_ALLOWED_HOSTS: z.string().default(''),
  /** Database the `orders.lookup` example activity reads; the activity is registered only when set. */
  TANDEM_ORDERS_DATABASE_URL: z.string().default(''),
  /** POSTs messages the flow sends outside a customer's turn (greetings, agent replies) to this URL. */
  TANDEM_CHANNEL_WEBHOOK_URL: z.string().url().or(z.literal('')).default(''),
  /** `0` leaves the delivery of work-item resolutions to another process. */
  TANDEM_WORKER_ROUTING_LOOPS: z.enum(['0', '1']).default('1'),
  TANDEM_WORKER_MAX_ACTIVITIES: z.coerce.number().int().min(1).max(1000).default(100),
  TANDEM_WORKER_MAX_WORKFLOW_TASKS: z.coerce.number().int().min(1).max(1000).default(40),
  /** How often the resolution-delivery loop looks for work, in ms. */
  TANDEM_WORKER_RESOLUTION_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(500),
  /** Port of the worker's `/health` and `/metrics` (on `TANDEM_WORKER_HTTP_HOST`); `0` picks a free one. */
  TANDEM_WORKER_HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  TANDEM_WORKER_HTTP_HOST: z.string().min(1).default('127.0.0.1'),
  /** Put in front of Tandem's topic names (suites and tenants sharing a cluster); the API must use the same. */
  TANDEM_KAFKA_TOPIC_PREFIX: z.string().regex(/^[A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" or "-" (Kafka topic characters)').max(100).default(''),
  /** Partitions of the topics the worker creates when they are missing. */
  TANDEM_KAFKA_TOPIC_PARTITIONS: z.coerce.number().int().min(1).max(1000).default(6),
});
export type WorkerSettings = z.infer<typeof workerSettingsSchema>;

export function loadWorkerSettings(env: Record<string, string | undefined> = process.env): WorkerSettings {
  const parsed = workerSettingsSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(`invalid worker configuration:\n${parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  return parsed.data;
}

/** Calendars and subflow plans travel with each contact (pinned when it starts); nothing to look up. */
class PinnedWithContact implements CalendarDirectory, PlanStore {
  async get(name: string): Promise<undefined> {
    throw new Error(`the calendar "${name}" was not given with the contact; start contacts through the API, which pins the calendars a flow uses`);
  }
  async latestPublished(flowId: string): Promise<undefined> {
    throw new Error(`the subflow "${flowId}" was not given with the contact; start contacts through the API, which pins subflow plans`);
  }
}

/** Chat clients read the transcript (API); a webhook pushes out-of-turn messages to a channel gateway. */
export class WebhookChannel implements MessageChannel {
  constructor(private readonly url: string) {}
  async deliver(request: DeliverMessageRequest): Promise<void> {
    const res = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `${request.contactId}/${request.index}` },
      body: JSON.stringify(request),
      signal: AbortSignal.timeout(10_000),
    });
    if (res.status >= 300) throw new Error(`the channel webhook answered ${res.status}`);
  }
}

const transcriptOnly: MessageChannel = { deliver: async () => undefined };

class RoutingTickets implements TicketStore {
  constructor(private readonly desk: TicketDesk) {}
  async create(key: string, r: Parameters<TicketStore['create']>[1]): Promise<{ ticketId: string }> {
    const { ticket } = await this.desk.create({
      idempotencyKey: key,
      kind: r.kind,
      queue: r.queue,
      contactId: r.contactId,
      workflowId: r.workflowId,
      nodeId: r.nodeId,
      channel: r.channel,
      customer: r.customer,
      subject: r.subject,
      body: r.body,
      priority: Math.max(0, Math.min(1000, Math.round(r.priority))),
      dueAt: r.dueAt,
      handoff: r.handoff,
    });
    return { ticketId: ticket.id };
  }
}

/** Loads custom activities from modules (their exported `defineActivity` results, or an array of them). */
export function loadActivityModules(specs: string[], cwd = process.cwd()): CustomActivity[] {
  const found: CustomActivity[] = [];
  for (const spec of specs) {
    const resolved = spec.startsWith('.') || spec.startsWith('/') ? path.resolve(cwd, spec) : spec;
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- modules named in configuration
    const mod = require(resolved) as Record<string, unknown>;
    const values = Object.values(mod).flatMap((v): unknown[] => (Array.isArray(v) ? (v as unknown[]) : [v]));
    const activities = values.filter(isCustomActivity);
    if (!activities.length) throw new Error(`${spec} exports no custom activity (use defineActivity from @tandem/activity-kit)`);
    found.push(...activities);
  }
  return found;
}

export interface WorkerRuntime {
  worker: Worker;
  dependencies: ActivityDependencies;
  registry: ActivityRegistry;
  metrics: WorkerMetrics;
  /** Where `/health` and `/metrics` are served. */
  httpUrl: string;
  /** Runs the worker until `stop()`. */
  run(): Promise<void>;
  stop(): Promise<void>;
}

export interface WorkerRuntimeOptions {
  config: TandemConfig;
  settings: WorkerSettings;
  logger: Logger;
  /** Defaults to the configured task queue. */
  taskQueue?: string;
  /** A prebuilt bundle of the workflow code (else `dist/workflow-bundle.js` when built, else bundled now). */
  workflowBundle?: WorkflowBundleOption;
  /** Where out-of-turn messages go; overrides `TANDEM_CHANNEL_WEBHOOK_URL`. */
  channel?: MessageChannel;
  /** The worker's counters (tests pass their own to read them). */
  metrics?: WorkerMetrics;
}

export async function startWorkerRuntime(options: WorkerRuntimeOptions): Promise<WorkerRuntime> {
  const { config, settings, logger } = options;
  const metrics = options.metrics ?? new WorkerMetrics();
  const dataSource = new DataSource({ type: 'postgres', url: config.database.url, entities: routingEntities, synchronize: false, extra: { max: 10 } });
  await dataSource.initialize();
  const router = new WorkRouter({ dataSource });
  const stats = new QueueStatistics({ dataSource });

  const kafka = new Kafka({
    clientId: `${config.kafka.clientId}-worker`,
    brokers: config.kafka.brokers,
    logLevel: logLevel.WARN,
    // kafkajs' warnings and errors into the worker's JSON log rather than its own console lines.
    logCreator:
      () =>
      ({ level, log }) => {
        const { message, ...rest } = log;
        if (level === logLevel.ERROR) logger.error({ kafka: rest }, message);
        else logger.warn({ kafka: rest }, message);
      },
  });
  const admin = kafka.admin();
  await admin.connect();
  const topics = prefixedTopics(settings.TANDEM_KAFKA_TOPIC_PREFIX);
  await ensureTopics(admin, topics, { partitions: settings.TANDEM_KAFKA_TOPIC_PARTITIONS });
  await admin.disconnect();
  const publisher = new EventPublisher({ kafka, topics });

  const customActivities: CustomActivity[] = [
    createDraftEmailReplyActivity(),
    createHttpRequestActivity({ allowedHosts: settings.TANDEM_HTTP_ALLOWED_HOSTS.split(',').map((h) => h.trim()).filter(Boolean) }),
  ];
  let ordersPool: Pool | undefined;
  if (settings.TANDEM_ORDERS_DATABASE_URL) {
    ordersPool = new Pool({ connectionString: settings.TANDEM_ORDERS_DATABASE_URL, max: 5 });
    customActivities.push(createOrderLookupActivity({ pool: ordersPool }));
  }
  customActivities.push(...loadActivityModules(settings.TANDEM_ACTIVITY_MODULES.split(',').map((m) => m.trim()).filter(Boolean)));
  const registry = new ActivityRegistry(customActivities);

  const pinned = new PinnedWithContact();
  const dependencies: ActivityDependencies = {
    workItems: new RoutingWorkItemGateway(router, stats),
    calendars: pinned,
    plans: pinned,
    tickets: new RoutingTickets(new TicketDesk({ dataSource })),
    channel: options.channel ?? (settings.TANDEM_CHANNEL_WEBHOOK_URL ? new WebhookChannel(settings.TANDEM_CHANNEL_WEBHOOK_URL) : transcriptOnly),
    events: new KafkaContactEventSink(publisher, { deadLetters: dataSource, metrics, logger }),
    customActivities: registry,
    logger,
  };

  // Train the default intent model now rather than on the first customer message.
  const t0 = Date.now();
  await preloadBotModels([{}]);
  logger.info({ ms: Date.now() - t0 }, 'virtual agent model ready');

  const nativeConnection = await NativeConnection.connect({ address: config.temporal.address });
  const worker = await createContactWorker({
    connection: nativeConnection,
    namespace: config.temporal.namespace,
    taskQueue: options.taskQueue ?? config.temporal.taskQueue,
    dependencies,
    workflowBundle: options.workflowBundle ?? (fs.existsSync(PREBUILT_BUNDLE) ? { codePath: PREBUILT_BUNDLE } : await contactWorkflowBundle()),
    tuning: { maxConcurrentActivityTaskExecutions: settings.TANDEM_WORKER_MAX_ACTIVITIES, maxConcurrentWorkflowTaskExecutions: settings.TANDEM_WORKER_MAX_WORKFLOW_TASKS },
  });

  // Background routing work: workItemResolved delivery (at least once; the workflow dedupes by work
  // item). Leased, so several workers (or the API too) may run it. Offer expiry and overflow
  // (startRoutingMaintenance) run in the API, next to the notification stream.
  const stops: (() => Promise<void>)[] = [];
  let clientConnection: Connection | undefined;
  if (settings.TANDEM_WORKER_ROUTING_LOOPS === '1') {
    clientConnection = await Connection.connect({ address: config.temporal.address });
    const client = new Client({ connection: clientConnection, namespace: config.temporal.namespace });
    const pollMs = settings.TANDEM_WORKER_RESOLUTION_POLL_MS;
    const outbox = new ResolutionOutbox({ dataSource, ...(pollMs < 500 ? { baseBackoffSeconds: 0.05, maxBackoffSeconds: 0.5 } : {}) });
    stops.push(outbox.start(client, { intervalMs: pollMs, onError: (e) => logger.warn({ err: e }, 'resolution delivery failed; will retry') }));
  }

  const http = await startWorkerHttp({ port: settings.TANDEM_WORKER_HTTP_PORT, host: settings.TANDEM_WORKER_HTTP_HOST, metrics, healthy: () => worker.getState() === 'RUNNING' });

  let running: Promise<void> | undefined;
  return {
    worker,
    dependencies,
    registry,
    metrics,
    httpUrl: http.url,
    run() {
      running ??= worker.run();
      return running;
    },
    async stop() {
      worker.shutdown();
      await running;
      await http.close();
      for (const stop of stops) await stop();
      await clientConnection?.close();
      await nativeConnection.close();
      await publisher.disconnect();
      await ordersPool?.end();
      await dataSource.destroy();
    },
  };
}
