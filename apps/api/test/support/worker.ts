import { ActivityRegistry } from '@tandem/activity-kit';
import { EventPublisher, ensureTopics } from '@tandem/events';
import { QueueStatistics, ResolutionOutbox, TicketDesk, WorkRouter } from '@tandem/routing';
import {
  type ActivityDependencies,
  contactWorkflowBundle,
  createContactWorker,
  createDraftEmailReplyActivity,
  createLogger,
  KafkaContactEventSink,
  RoutingWorkItemGateway,
  type TicketStore,
} from '@tandem/worker';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { Kafka, logLevel } from 'kafkajs';
import type { DataSource } from 'typeorm';
import type { ApiConfig } from '../../src/config/api-config';

let runtimeInstalled = false;

/** A contact worker in the test process: the real interpreter and activities, on the suite's own task queue, topics and database. */
export interface TestWorker {
  worker: Worker;
  /** Messages the flow delivered outside a customer's turn (agent replies, greetings). */
  deliveries: { contactId: string; from: string; text: string }[];
  stop(): Promise<void>;
}

/**
 * Starts what `startWorkerRuntime` starts, from its pieces, so that its events go to the suite's
 * topics (the worker's own wiring publishes to the production topic names): routing on the suite's
 * database, contact events on Kafka, the resolution delivery loop.
 */
export async function startTestWorker(config: ApiConfig, dataSource: DataSource): Promise<TestWorker> {
  if (!runtimeInstalled) {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
    runtimeInstalled = true;
  }
  const kafka = new Kafka({ clientId: 'api-test-worker', brokers: config.kafka.brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, config.events.topics, { partitions: config.events.partitions });
  await admin.disconnect();
  const publisher = new EventPublisher({ kafka, topics: config.events.topics });
  const router = new WorkRouter({ dataSource });
  const desk = new TicketDesk({ dataSource });
  const tickets: TicketStore = {
    async create(key, r) {
      const { ticket } = await desk.create({
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
    },
  };
  const deliveries: TestWorker['deliveries'] = [];
  const dependencies: ActivityDependencies = {
    workItems: new RoutingWorkItemGateway(router, new QueueStatistics({ dataSource })),
    calendars: { get: async () => undefined },
    plans: { latestPublished: async () => undefined },
    tickets,
    channel: { deliver: async (m) => void deliveries.push({ contactId: m.contactId, from: m.from, text: m.text }) },
    events: new KafkaContactEventSink(publisher),
    customActivities: new ActivityRegistry([createDraftEmailReplyActivity()]),
    logger: createLogger('warn'),
  };
  const native = await NativeConnection.connect({ address: config.temporal.address });
  const worker = await createContactWorker({
    connection: native,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    dependencies,
    workflowBundle: await contactWorkflowBundle(),
  });
  const running = worker.run();
  const connection = await Connection.connect({ address: config.temporal.address });
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const outbox = new ResolutionOutbox({ dataSource, baseBackoffSeconds: 0.05, maxBackoffSeconds: 0.5 });
  const stopDelivery = outbox.start(client, { intervalMs: 200, onError: () => undefined });
  return {
    worker,
    deliveries,
    async stop() {
      await stopDelivery();
      worker.shutdown();
      await running;
      await connection.close();
      await native.close();
      await publisher.disconnect();
    },
  };
}
