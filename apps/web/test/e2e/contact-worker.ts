/**
 * The contact worker of the end-to-end suites, in the test process: the real interpreter workflow and
 * activities (virtual agent, routing, tickets, events) on the suite's own task queue, Kafka topics and
 * database, so test chats in the designer run on the real runtime.
 */
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
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { Kafka, logLevel } from 'kafkajs';
import type { DataSource } from 'typeorm';

/** The parts of the API's configuration the worker shares (task queue, topics, addresses). */
export interface SharedConfig {
  temporal: { address: string; namespace: string; taskQueue: string };
  kafka: { brokers: string[] };
  events: { topics: ConstructorParameters<typeof EventPublisher>[0]['topics']; partitions: number };
}

let runtimeInstalled = false;

export interface ContactWorker {
  stop(): Promise<void>;
}

export async function startContactWorker(config: SharedConfig, dataSource: DataSource): Promise<ContactWorker> {
  if (!runtimeInstalled) {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
    runtimeInstalled = true;
  }
  const kafka = new Kafka({ clientId: 'web-e2e-worker', brokers: config.kafka.brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, config.events.topics, { partitions: config.events.partitions });
  await admin.disconnect();
  const publisher = new EventPublisher({ kafka, topics: config.events.topics });
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
  const dependencies: ActivityDependencies = {
    workItems: new RoutingWorkItemGateway(new WorkRouter({ dataSource }), new QueueStatistics({ dataSource })),
    // The API pins calendars and subflow plans into each contact's input; the worker needs none of its own.
    calendars: { get: async () => undefined },
    plans: { latestPublished: async () => undefined },
    tickets,
    channel: { deliver: async () => undefined },
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
