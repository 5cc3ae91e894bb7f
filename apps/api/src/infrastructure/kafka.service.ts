import { Inject, Injectable } from '@nestjs/common';
import { Kafka, logLevel } from 'kafkajs';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { withTimeout } from '../common/timeout';

/**
 * Kafka as far as the API needs it today: a reachability check for `/health`. The outbox relay
 * (packages/events) brings its own producer when it lands.
 */
@Injectable()
export class KafkaService {
  constructor(@Inject(API_CONFIG) private readonly config: ApiConfig) {}

  /** Connects an admin client and asks for the cluster's brokers, within `timeoutMs`. */
  async check(timeoutMs: number): Promise<void> {
    const kafka = new Kafka({
      clientId: `${this.config.kafka.clientId}-api-health`,
      brokers: this.config.kafka.brokers,
      connectionTimeout: timeoutMs,
      requestTimeout: timeoutMs,
      retry: { retries: 0 },
      // The health endpoint reports the failure itself; kafkajs would log it again on every probe.
      logLevel: logLevel.NOTHING,
    });
    const admin = kafka.admin();
    try {
      const cluster = await withTimeout(
        admin.connect().then(() => admin.describeCluster()),
        timeoutMs,
        'Kafka',
      );
      if (cluster.brokers.length === 0) throw new Error('Kafka reports no brokers');
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }
}
