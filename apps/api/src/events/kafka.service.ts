import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EventsLogger } from '@tandem/events';
import { Kafka, logLevel, type LogEntry } from 'kafkajs';
import { API_CONFIG, type ApiConfig } from '../config/api-config';

/** kafkajs' log lines, into the application's JSON log (errors and warnings only: it is chatty). */
function kafkaLogCreator(logger: Logger) {
  return () =>
    ({ level, log }: LogEntry) => {
      const { message, ...rest } = log;
      if (level === logLevel.ERROR) logger.error(rest, message);
      else if (level === logLevel.WARN) logger.warn(rest, message);
    };
}

/** The events package's logging surface over a Nest logger (pino underneath). */
export function eventsLogger(context: string): EventsLogger {
  const logger = new Logger(context);
  return {
    debug: (obj, msg) => logger.debug(obj, msg),
    info: (obj, msg) => logger.log(obj, msg),
    warn: (obj, msg) => logger.warn(obj, msg),
    error: (obj, msg) => logger.error(obj, msg),
  };
}

/** The API's Kafka client, shared by the outbox relay and the consumers (each makes its own connections). */
@Injectable()
export class KafkaClient {
  readonly kafka: Kafka;

  constructor(@Inject(API_CONFIG) config: ApiConfig) {
    this.kafka = new Kafka({
      clientId: `${config.kafka.clientId}-api`,
      brokers: config.kafka.brokers,
      logLevel: logLevel.WARN,
      logCreator: kafkaLogCreator(new Logger('Kafka')),
    });
  }
}
