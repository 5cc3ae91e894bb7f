import { type DynamicModule, Module } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { LoggerModule } from 'nestjs-pino';
import { type DestinationStream, destination as pinoDestination } from 'pino';
import type { ApiConfig } from '../config/api-config';
import { maskingDestination } from './masking-destination';

const QUIET_PATHS = new Set(['/health', '/health/live', '/metrics']);

/**
 * Structured JSON logs (pino): one line per request with its id, method, route, status and duration,
 * and every application log line of that request carries the same `reqId`. Credentials are redacted,
 * and payment card numbers are masked wherever they appear in a line (`maskingDestination`).
 */
@Module({})
export class LoggingModule {
  /** `destination` defaults to stdout; tests pass a stream to read the log lines. */
  static forRoot(config: ApiConfig, destination?: DestinationStream): DynamicModule {
    const options = {
      level: config.logLevel,
      base: { service: 'tandem-api' },
      genReqId: (req: IncomingMessage & { id?: unknown }) => (typeof req.id === 'string' ? req.id : randomUUID()),
      redact: { paths: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie'], censor: '[redacted]' },
      // Probes every few seconds would drown the log; HealthService logs a dependency going down.
      autoLogging: { ignore: (req: IncomingMessage) => QUIET_PATHS.has((req.url ?? '').split('?')[0] ?? '') },
      customLogLevel: (_req: IncomingMessage, res: ServerResponse, err?: Error) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    };
    return {
      module: LoggingModule,
      imports: [LoggerModule.forRoot({ pinoHttp: [options, maskingDestination(destination ?? pinoDestination({ dest: 1, sync: false }))] })],
    };
  }
}
