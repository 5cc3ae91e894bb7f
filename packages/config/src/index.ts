import { z } from 'zod';

/**
 * Where Tandem's services find Temporal, Kafka and PostgreSQL. Every value comes from an environment
 * variable; the defaults point at the local stack (`npm run stack -- up`), honouring the same
 * `TANDEM_*_PORT` variables the stack script reads, so moving a port moves both sides.
 *
 * @example
 * const config = loadConfig();            // process.env
 * const conn = await NativeConnection.connect({ address: config.temporal.address });
 */
export interface TandemConfig {
  temporal: { address: string; namespace: string; taskQueue: string };
  kafka: { brokers: string[]; clientId: string };
  database: { url: string };
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const hostPort = z
  .string()
  .regex(/^[^\s:]+:\d{1,5}$/, 'expected host:port, e.g. 127.0.0.1:7233');

const portNumber = z.coerce.number().int().min(1).max(65535);

function defaults(env: Env) {
  const port = (name: string, fallback: number) => {
    const parsed = portNumber.safeParse(env[name] ?? fallback);
    return parsed.success ? parsed.data : fallback;
  };
  const temporalPort = port('TANDEM_TEMPORAL_PORT', 7233);
  const kafkaPort = port('TANDEM_KAFKA_PORT', 9092);
  const pgPort = port('TANDEM_PG_PORT', 55432);
  const pgUser = env.TANDEM_PG_USER ?? 'tandem';
  const pgPassword = env.TANDEM_PG_PASSWORD ?? 'tandem';
  const pgDatabase = env.TANDEM_PG_DATABASE ?? 'tandem';
  return {
    temporal: `127.0.0.1:${temporalPort}`,
    kafka: `127.0.0.1:${kafkaPort}`,
    database: `postgres://${encodeURIComponent(pgUser)}:${encodeURIComponent(pgPassword)}@127.0.0.1:${pgPort}/${pgDatabase}`,
  };
}

const schema = z.object({
  TANDEM_TEMPORAL_ADDRESS: hostPort,
  TANDEM_TEMPORAL_NAMESPACE: z.string().min(1),
  TANDEM_TEMPORAL_TASK_QUEUE: z.string().min(1),
  TANDEM_KAFKA_BROKERS: z
    .string()
    .transform((s) => s.split(',').map((b) => b.trim()).filter(Boolean))
    .pipe(z.array(hostPort).min(1, 'list at least one broker as host:port')),
  TANDEM_KAFKA_CLIENT_ID: z.string().min(1),
  TANDEM_DATABASE_URL: z
    .string()
    .refine((s) => /^postgres(ql)?:\/\//.test(s), 'expected a postgres:// URL'),
  TANDEM_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
});

/** Reads and validates the configuration; throws a {@link ConfigError} naming every bad variable. */
export function loadConfig(env: Env = process.env): TandemConfig {
  const d = defaults(env);
  const parsed = schema.safeParse({
    TANDEM_TEMPORAL_ADDRESS: env.TANDEM_TEMPORAL_ADDRESS || d.temporal,
    TANDEM_TEMPORAL_NAMESPACE: env.TANDEM_TEMPORAL_NAMESPACE || 'default',
    TANDEM_TEMPORAL_TASK_QUEUE: env.TANDEM_TEMPORAL_TASK_QUEUE || 'tandem-contacts',
    TANDEM_KAFKA_BROKERS: env.TANDEM_KAFKA_BROKERS || d.kafka,
    TANDEM_KAFKA_CLIENT_ID: env.TANDEM_KAFKA_CLIENT_ID || 'tandem',
    TANDEM_DATABASE_URL: env.TANDEM_DATABASE_URL || d.database,
    TANDEM_LOG_LEVEL: env.TANDEM_LOG_LEVEL || 'info',
  });
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const c = parsed.data;
  return {
    temporal: { address: c.TANDEM_TEMPORAL_ADDRESS, namespace: c.TANDEM_TEMPORAL_NAMESPACE, taskQueue: c.TANDEM_TEMPORAL_TASK_QUEUE },
    kafka: { brokers: c.TANDEM_KAFKA_BROKERS, clientId: c.TANDEM_KAFKA_CLIENT_ID },
    database: { url: c.TANDEM_DATABASE_URL },
    logLevel: c.TANDEM_LOG_LEVEL,
  };
}

/** Returns the same URL pointing at another database on the same server (tests use one database each). */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
