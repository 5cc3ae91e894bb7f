import { loadConfig } from '@tandem/config';
import { uniqueName } from '@tandem/testkit';
import { Kafka, logLevel } from 'kafkajs';
import type { TandemTopics } from '../../src';

export function testKafka(brokers: string[] = loadConfig().kafka.brokers, clientId = 'tandem-events-test'): Kafka {
  return new Kafka({ clientId, brokers, logLevel: process.env.KAFKAJS_LOG === '1' ? logLevel.WARN : logLevel.NOTHING, retry: { retries: 8, initialRetryTime: 200, maxRetryTime: 3_000 } });
}

/** Topic names no other suite or run uses, on the shared broker. */
export function uniqueTopics(prefix: string): TandemTopics {
  const base = uniqueName(`tandem.${prefix}`);
  return { contactEvents: `${base}.contact-events`, feedbackEvents: `${base}.feedback-events`, contactsInbound: `${base}.contacts-inbound` };
}

export async function deleteTopics(kafka: Kafka, topics: TandemTopics): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.deleteTopics({ topics: [topics.contactEvents, topics.feedbackEvents, topics.contactsInbound] }).catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
}
