/**
 * An independent client — Debian's kcat (librdkafka), not kafkajs — reads what Tandem published on all
 * three topics: every message is a valid CloudEvent of a known type whose data matches its schema,
 * keyed by its subject, with the structured-mode content type, and each contact's events are in the
 * order they were written.
 */
import { loadConfig } from '@tandem/config';
import { waitFor } from '@tandem/testkit';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import type { Kafka } from 'kafkajs';
import {
  CLOUDEVENTS_CONTENT_TYPE,
  cloudEventSchema,
  ensureTopics,
  eventExamples,
  eventTypeDefinition,
  EventPublisher,
  inboundEvents,
  OutboxRelay,
  OutboxWriter,
  parseEvent,
  type TandemTopics,
} from '../src';
import { migratedDatabase } from './support/db';
import { deleteTopics, testKafka, uniqueTopics } from './support/kafka';
import { generateTraffic } from './support/traffic';

const KCAT = ['/usr/bin/kcat', '/usr/bin/kafkacat'].find((p) => fs.existsSync(p));

interface KcatRecord {
  topic: string;
  partition: number;
  offset: number;
  key: string | null;
  payload: string | null;
  headers?: string[];
}

function kcat(brokers: string, topic: string): KcatRecord[] {
  if (!KCAT) throw new Error('kcat is not installed: `apt-get install kcat` (npm test installs it)');
  const r = spawnSync(KCAT, ['-C', '-b', brokers, '-t', topic, '-e', '-J', '-q'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 60_000 });
  if (r.status !== 0) throw new Error(`kcat failed (${r.status}): ${r.stderr}`);
  return r.stdout
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as KcatRecord);
}

describe('an independent client (kcat) reads the topics', () => {
  let env: Awaited<ReturnType<typeof migratedDatabase>>;
  let kafka: Kafka;
  let topics: TandemTopics;
  const brokers = loadConfig().kafka.brokers.join(',');

  beforeAll(async () => {
    env = await migratedDatabase('events_kcat');
    kafka = testKafka();
    topics = uniqueTopics('kcat');
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, topics, { partitions: 3 });
    await admin.disconnect();
  });

  afterAll(async () => {
    await deleteTopics(kafka, topics);
    await env?.close();
  });

  it('finds every published event valid against the CloudEvents envelope and its schema, in order per contact', async () => {
    // The API's path (outbox + relay) for work items and wrap-ups, the worker's (EventPublisher) for the
    // rest, every example type once, and inbound requests from "another system".
    const traffic = generateTraffic('kcat-flow', 1, 60, 11);
    const writer = new OutboxWriter({ topics });
    for (const c of traffic) await env.dataSource.transaction((m) => writer.append(m, c.api));
    const examples = Object.values(eventExamples);
    await env.dataSource.transaction((m) => writer.append(m, examples));
    const publisher = new EventPublisher({ kafka, topics });
    for (const c of traffic) await publisher.publish(c.worker);
    await publisher.publish(
      Array.from({ length: 5 }, (_, i) =>
        inboundEvents.contactRequested(
          { source: 'urn:acme:contact-centre' },
          { externalSystem: 'acme-cc', externalContactId: `CALL-${i}`, flowId: 'kcat-flow', channel: 'voice', customer: { id: `cust-${i}` } },
        ),
      ),
    );
    await publisher.disconnect();
    const relay = new OutboxRelay({ dataSource: env.dataSource, kafka });
    await relay.start();
    const outboxed = traffic.reduce((n, c) => n + c.api.length, 0) + examples.length;
    await waitFor(() => relay.stats().published === outboxed, { timeoutMs: 60_000, what: 'the relay to publish the outbox' });
    await relay.stop();

    const records = [...kcat(brokers, topics.contactEvents), ...kcat(brokers, topics.feedbackEvents), ...kcat(brokers, topics.contactsInbound)];
    const expectedIds = new Set([...traffic.flatMap((c) => [...c.worker, ...c.api]).map((e) => e.id), ...examples.map((e) => e.id)]);
    expect(records.length).toBe(expectedIds.size + 5);

    const seenTypes = new Set<string>();
    for (const record of records) {
      const raw = JSON.parse(record.payload!) as Record<string, unknown>;
      // The envelope on its own, then the type's schema.
      expect({ offset: record.offset, envelope: cloudEventSchema.safeParse(raw).success }).toEqual({ offset: record.offset, envelope: true });
      const event = parseEvent(record.payload);
      seenTypes.add(event.type);
      expect(record.key).toBe(event.subject);
      expect(record.headers).toEqual(['content-type', CLOUDEVENTS_CONTENT_TYPE]);
      const role = eventTypeDefinition(event.type)!.topic;
      expect(record.topic).toBe(topics[role]);
    }
    expect([...seenTypes].sort()).toEqual(Object.keys(eventExamples).sort());

    // Per contact, the worker's events arrive in the order the worker emitted them.
    const byContact = new Map<string, string[]>();
    for (const r of records.filter((r) => r.topic === topics.contactEvents).sort((a, b) => a.partition - b.partition || a.offset - b.offset)) {
      const event = parseEvent(r.payload);
      byContact.set(event.subject, [...(byContact.get(event.subject) ?? []), event.id]);
    }
    for (const c of traffic) {
      const workerIds = new Set(c.worker.filter((e) => e.type.startsWith('tandem.contact') || e.type.startsWith('tandem.step') || e.type.startsWith('tandem.bot')).map((e) => e.id));
      expect(byContact.get(c.contactId)!.filter((id) => workerIds.has(id))).toEqual([...workerIds]);
      const apiIds = c.api.filter((e) => eventTypeDefinition(e.type)!.topic === 'contactEvents').map((e) => e.id);
      const apiSet = new Set(apiIds);
      expect(byContact.get(c.contactId)!.filter((id) => apiSet.has(id))).toEqual(apiIds);
    }
  }, 120_000);
});
