import { loadConfig } from '@tandem/config';
import { Kafka, logLevel } from 'kafkajs';
import { uniqueName } from '../src';

describe('smoke: Kafka broker', () => {
  const config = loadConfig();
  const kafka = new Kafka({ clientId: 'tandem-smoke', brokers: config.kafka.brokers, logLevel: logLevel.NOTHING });

  it('delivers a produced message to a consumer group', async () => {
    const topic = uniqueName('smoke');
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });

    const consumer = kafka.consumer({ groupId: uniqueName('smoke-group') });
    const producer = kafka.producer({ idempotent: true });
    try {
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      const received = new Promise<{ key: string; value: string }>((resolve) => {
        void consumer.run({
          eachMessage: async ({ message }) => resolve({ key: String(message.key), value: String(message.value) }),
        });
      });
      await producer.connect();
      await producer.send({ topic, acks: -1, messages: [{ key: 'contact-1', value: JSON.stringify({ hello: 'kafka' }) }] });
      expect(await received).toEqual({ key: 'contact-1', value: '{"hello":"kafka"}' });
    } finally {
      await producer.disconnect();
      await consumer.disconnect();
      await admin.deleteTopics({ topics: [topic] });
      await admin.disconnect();
    }
  });
});
