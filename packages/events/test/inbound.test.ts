/**
 * Inbound contacts: a contact-centre platform hands Tandem its traffic over Kafka. The same external
 * contact sent twice (two requests, plus a redelivery of one) starts ONE contact workflow on the real
 * Temporal dev server — deduped by the consumer, and rejected by Temporal as well.
 */
import { contactWorkflowId } from '@tandem/contracts';
import { loadConfig } from '@tandem/config';
import { uniqueName, waitFor } from '@tandem/testkit';
import { Client, Connection, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import type { Kafka } from 'kafkajs';
import {
  ensureTopics,
  EventPublisher,
  inboundContactId,
  inboundEvents,
  runInboundContactsConsumer,
  type ProcessedBatch,
  type RunningConsumer,
  type StartContact,
  type StartContactRequest,
  type TandemTopics,
} from '../src';
import { endContactSignal, inboundContact, contactInputQuery } from './fixtures/workflows/inbound-contact';
import { migratedDatabase } from './support/db';
import { deleteTopics, testKafka, uniqueTopics } from './support/kafka';

Runtime.install({ logger: new DefaultLogger('WARN') });

describe('inbound contacts over Kafka', () => {
  const config = loadConfig();
  const taskQueue = uniqueName('inbound');
  const externalSystem = uniqueName('acme-cc');
  let env: Awaited<ReturnType<typeof migratedDatabase>>;
  let kafka: Kafka;
  let topics: TandemTopics;
  let connection: Connection;
  let nativeConnection: NativeConnection;
  let client: Client;
  let worker: Worker;
  let workerRun: Promise<void>;
  let consumer: RunningConsumer;
  const calls: StartContactRequest[] = [];
  const batches: ProcessedBatch[] = [];

  /** What the API will inject: start the contact's workflow; an existing one is not an error. */
  const startContact: StartContact = async (request) => {
    calls.push(request);
    try {
      await client.workflow.start(inboundContact, {
        taskQueue,
        workflowId: contactWorkflowId(request.contactId),
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        args: [{ contactId: request.contactId, flowId: request.flowId, firstMessage: request.firstMessage?.text }],
      });
      return { started: true };
    } catch (e) {
      if (e instanceof WorkflowExecutionAlreadyStartedError) return { started: false };
      throw e;
    }
  };

  beforeAll(async () => {
    env = await migratedDatabase('events_inbound');
    kafka = testKafka();
    topics = uniqueTopics('inbound');
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, topics, { partitions: 3 });
    await admin.disconnect();
    connection = await Connection.connect({ address: config.temporal.address });
    nativeConnection = await NativeConnection.connect({ address: config.temporal.address });
    client = new Client({ connection, namespace: config.temporal.namespace });
    worker = await Worker.create({
      connection: nativeConnection,
      namespace: config.temporal.namespace,
      taskQueue,
      workflowsPath: require.resolve('./fixtures/workflows/inbound-contact'),
    });
    workerRun = worker.run();
    consumer = await runInboundContactsConsumer({ kafka, dataSource: env.dataSource, topics, startContact, groupId: uniqueName('inbound'), onBatchProcessed: (b) => batches.push(b) });
  }, 120_000);

  afterAll(async () => {
    await consumer?.stop();
    for (const call of calls) await client.workflow.getHandle(contactWorkflowId(call.contactId)).signal(endContactSignal).catch(() => undefined);
    worker?.shutdown();
    await workerRun;
    await nativeConnection?.close();
    await connection?.close();
    await deleteTopics(kafka, topics);
    await env?.close();
  });

  it('starts one contact for an external contact sent twice', async () => {
    const request = (externalContactId: string, text: string) =>
      inboundEvents.contactRequested(
        { source: 'urn:acme:contact-centre' },
        { externalSystem, externalContactId, flowId: 'billing-support', channel: 'chat', customer: { id: 'cust-7', tier: 'gold' }, firstMessage: { text } },
      );
    const first = request('CHAT-1', 'I was charged twice');
    const resent = request('CHAT-1', 'I was charged twice (resent by the platform)');
    const other = request('CHAT-2', 'where is my refund?');
    const publisher = new EventPublisher({ kafka, topics });
    await publisher.publish([first, resent, other]);
    await publisher.publish([first]); // a redelivery of the very same message
    await publisher.disconnect();

    const seen = () => batches.reduce((n, b) => n + b.events.length + b.duplicates, 0);
    // At least: a consumer restarted before its commit sees a message again (the dedupe below must hold anyway).
    await waitFor(() => seen() >= 4, { timeoutMs: 60_000, what: 'the four inbound messages to be consumed' });

    const contactId = inboundContactId(externalSystem, 'CHAT-1');
    // One start per external contact (CHAT-1 and CHAT-2 are on different partitions: any order between them).
    expect(calls.map((c) => c.contactId).sort()).toEqual([contactId, inboundContactId(externalSystem, 'CHAT-2')].sort());
    const runs = await waitFor(
      async () => {
        const found = [];
        for await (const wf of client.workflow.list({ query: `WorkflowId = '${contactWorkflowId(contactId)}'` })) found.push(wf);
        return found.length > 0 && found;
      },
      { timeoutMs: 30_000, what: 'the contact workflow in visibility' },
    );
    expect(runs).toHaveLength(1);
    expect(runs[0]!.status.name).toBe('RUNNING');
    // The first request won: the workflow holds its message.
    expect(await client.workflow.getHandle(contactWorkflowId(contactId)).query(contactInputQuery)).toEqual({
      contactId,
      flowId: 'billing-support',
      firstMessage: 'I was charged twice',
    });
    const rows = await env.dataSource.query(`SELECT external_contact_id, contact_id, event_id FROM "events"."inbound_contacts" ORDER BY external_contact_id`);
    expect(rows).toEqual([
      { external_contact_id: 'CHAT-1', contact_id: contactId, event_id: first.id },
      { external_contact_id: 'CHAT-2', contact_id: inboundContactId(externalSystem, 'CHAT-2'), event_id: other.id },
    ]);
    // Even past the consumer's dedupe, Temporal refuses a second contact workflow for the same contact.
    expect(await startContact(calls.find((c) => c.contactId === contactId)!)).toEqual({ started: false });
  }, 150_000);
});
