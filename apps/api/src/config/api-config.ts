import { ConfigError, loadConfig, type TandemConfig } from '@tandem/config';
import { CUSTOMER_CONTACT_RETENTION_DAYS, prefixedTopics, type TandemTopics } from '@tandem/events';
import { DEFAULT_MAX_CONCURRENT_CLAIMS } from '@tandem/routing';
import { z } from 'zod';

/**
 * Everything the API reads from the environment: the shared {@link TandemConfig} (where Temporal,
 * Kafka and PostgreSQL are) plus the API's own settings. Validated once at start; a bad value stops
 * the process with a message naming every offending variable.
 *
 * @example
 * const config = loadApiConfig();          // process.env
 * app.listen(config.api.port, config.api.host);
 */
export interface ApiConfig extends TandemConfig {
  api: {
    port: number;
    host: string;
    /** HS256 secret for bearer JWTs. */
    jwtSecret: string;
    /** True when no secret was configured and the development default is in use. */
    jwtSecretIsDevDefault: boolean;
    /** Browser origins allowed to call the API (the designer). */
    corsOrigins: string[];
    /** Run pending migrations when the API starts (otherwise run `cli migrate` before starting). */
    migrateOnStart: boolean;
    /** How long each dependency of `/health` may take before it counts as down. */
    healthTimeoutMs: number;
    /** Largest accepted request body (a 5,000-node flow document is ~2 MB). */
    bodyLimit: string;
    /** How long a customer message may wait for the flow's reply before the request gives up (504). */
    messageTimeoutMs: number;
    /** How long a contact's state query may take (the worker answers it). */
    queryTimeoutMs: number;
    /** SSE: a comment line this often keeps proxies from closing an idle offers stream. */
    sseHeartbeatMs: number;
    /** SSE: pending offers are re-read this often, in case a notification was missed. */
    ssePollMs: number;
    /** Claims this process runs against the database at once (the rest wait in order); about twice the database's cores. */
    maxConcurrentClaims: number;
    /**
     * A starting contact gets the customer's contacts that ended within this many days (from the
     * projections' history) as `customer.attributes.recentContacts`; 0 attaches none.
     */
    repeatContactWindowDays: number;
  };
  /**
   * What runs in the background of this API process. Each can be switched off to scale them apart
   * (e.g. two API replicas serving requests, one running the consumers); the relay and the
   * maintenance loop are safe to run in every replica (leader election / idempotent sweeps).
   */
  background: {
    /** Publish the transactional outbox to Kafka (`OutboxRelay`). */
    outboxRelay: boolean;
    /** Keep the flow metrics projections (`runProjectionConsumer`). */
    projections: boolean;
    /** Start contacts handed over on the inbound topic (`runInboundContactsConsumer`). */
    inboundContacts: boolean;
    /** Record each escalation's node, trigger and flow version from `contact.escalated` events. */
    escalationContexts: boolean;
    /** Offer expiry, overflow and push dispatch (`startRoutingMaintenance`). */
    routingMaintenance: boolean;
    routingMaintenanceIntervalMs: number;
  };
  events: {
    /** Tandem's topic names (the defaults, or with `TANDEM_KAFKA_TOPIC_PREFIX` in front). */
    topics: TandemTopics;
    /** Put in front of every consumer group id, so tenants (and test suites) sharing a cluster stay apart. */
    groupPrefix: string;
    /** Partitions of topics this process creates (existing topics are left as they are). */
    partitions: number;
  };
  env: 'production' | 'development' | 'test';
}

/** Used when `TANDEM_JWT_SECRET` is unset outside production; printed as a warning at start. */
export const DEV_JWT_SECRET = 'tandem-development-secret-do-not-use-in-production';

type Env = Record<string, string | undefined>;

const flag = z.enum(['0', '1', 'true', 'false']).transform((v) => v === '1' || v === 'true');

const apiSchema = z.object({
  NODE_ENV: z.enum(['production', 'development', 'test']),
  TANDEM_API_PORT: z.coerce.number().int().min(0).max(65535),
  TANDEM_API_HOST: z.string().min(1),
  TANDEM_JWT_SECRET: z.string().min(32, 'must be at least 32 characters (e.g. `openssl rand -base64 48`)').optional(),
  TANDEM_API_CORS_ORIGINS: z
    .string()
    .transform((s) => s.split(',').map((o) => o.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^https?:\/\/[^\s/]+$/, 'expected origins like http://127.0.0.1:5173 (scheme://host[:port], no path)'))),
  TANDEM_API_MIGRATE: flag,
  TANDEM_API_HEALTH_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000),
  TANDEM_API_BODY_LIMIT: z.string().regex(/^\d+(b|kb|mb)$/i, 'expected a size such as 512kb or 5mb'),
  TANDEM_API_MESSAGE_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000),
  TANDEM_API_QUERY_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000),
  TANDEM_API_SSE_HEARTBEAT_MS: z.coerce.number().int().min(100).max(300_000),
  TANDEM_API_SSE_POLL_MS: z.coerce.number().int().min(100).max(300_000),
  TANDEM_API_OUTBOX_RELAY: flag,
  TANDEM_API_PROJECTIONS: flag,
  TANDEM_API_INBOUND_CONTACTS: flag,
  TANDEM_API_ESCALATION_CONTEXTS: flag,
  TANDEM_API_ROUTING_MAINTENANCE: flag,
  TANDEM_API_ROUTING_MAINTENANCE_INTERVAL_MS: z.coerce.number().int().min(50).max(600_000),
  TANDEM_API_MAX_CONCURRENT_CLAIMS: z.coerce.number().int().min(1).max(1000),
  TANDEM_REPEAT_CONTACT_WINDOW_DAYS: z.coerce
    .number()
    .min(0)
    .max(CUSTOMER_CONTACT_RETENTION_DAYS, `at most ${CUSTOMER_CONTACT_RETENTION_DAYS} days (how long the contact history is kept)`),
  TANDEM_KAFKA_TOPIC_PREFIX: z.string().regex(/^[A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" or "-" (Kafka topic characters)').max(100),
  TANDEM_KAFKA_GROUP_PREFIX: z.string().regex(/^[A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" or "-"').max(100),
  TANDEM_KAFKA_TOPIC_PARTITIONS: z.coerce.number().int().min(1).max(1000),
});

/**
 * Reads and validates the API's configuration. Throws a {@link ConfigError} that lists every bad
 * variable at once (shared and API-specific), so one restart fixes them all.
 */
export function loadApiConfig(env: Env = process.env): ApiConfig {
  const problems: string[] = [];
  let shared: TandemConfig | undefined;
  try {
    shared = loadConfig(env);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    problems.push(...e.problems);
  }
  const parsed = apiSchema.safeParse({
    NODE_ENV: env.NODE_ENV || 'development',
    TANDEM_API_PORT: env.TANDEM_API_PORT || '3000',
    TANDEM_API_HOST: env.TANDEM_API_HOST || '127.0.0.1',
    TANDEM_JWT_SECRET: env.TANDEM_JWT_SECRET || undefined,
    TANDEM_API_CORS_ORIGINS: env.TANDEM_API_CORS_ORIGINS ?? `http://127.0.0.1:${env.TANDEM_WEB_PORT || 5173},http://localhost:${env.TANDEM_WEB_PORT || 5173}`,
    TANDEM_API_MIGRATE: env.TANDEM_API_MIGRATE || '1',
    TANDEM_API_HEALTH_TIMEOUT_MS: env.TANDEM_API_HEALTH_TIMEOUT_MS || '2000',
    TANDEM_API_BODY_LIMIT: env.TANDEM_API_BODY_LIMIT || '5mb',
    TANDEM_API_MESSAGE_TIMEOUT_MS: env.TANDEM_API_MESSAGE_TIMEOUT_MS || '30000',
    TANDEM_API_QUERY_TIMEOUT_MS: env.TANDEM_API_QUERY_TIMEOUT_MS || '5000',
    TANDEM_API_SSE_HEARTBEAT_MS: env.TANDEM_API_SSE_HEARTBEAT_MS || '15000',
    TANDEM_API_SSE_POLL_MS: env.TANDEM_API_SSE_POLL_MS || '10000',
    TANDEM_API_OUTBOX_RELAY: env.TANDEM_API_OUTBOX_RELAY || '1',
    TANDEM_API_PROJECTIONS: env.TANDEM_API_PROJECTIONS || '1',
    TANDEM_API_INBOUND_CONTACTS: env.TANDEM_API_INBOUND_CONTACTS || '1',
    TANDEM_API_ESCALATION_CONTEXTS: env.TANDEM_API_ESCALATION_CONTEXTS || '1',
    TANDEM_API_ROUTING_MAINTENANCE: env.TANDEM_API_ROUTING_MAINTENANCE || '1',
    TANDEM_API_ROUTING_MAINTENANCE_INTERVAL_MS: env.TANDEM_API_ROUTING_MAINTENANCE_INTERVAL_MS || '1000',
    TANDEM_API_MAX_CONCURRENT_CLAIMS: env.TANDEM_API_MAX_CONCURRENT_CLAIMS || String(DEFAULT_MAX_CONCURRENT_CLAIMS),
    TANDEM_REPEAT_CONTACT_WINDOW_DAYS: env.TANDEM_REPEAT_CONTACT_WINDOW_DAYS || '7',
    TANDEM_KAFKA_TOPIC_PREFIX: env.TANDEM_KAFKA_TOPIC_PREFIX ?? '',
    TANDEM_KAFKA_GROUP_PREFIX: env.TANDEM_KAFKA_GROUP_PREFIX ?? '',
    TANDEM_KAFKA_TOPIC_PARTITIONS: env.TANDEM_KAFKA_TOPIC_PARTITIONS || '6',
  });
  if (!parsed.success) problems.push(...parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  if (parsed.success && parsed.data.NODE_ENV === 'production' && !parsed.data.TANDEM_JWT_SECRET) {
    problems.push('TANDEM_JWT_SECRET: required when NODE_ENV=production (at least 32 characters)');
  }
  if (problems.length || !shared || !parsed.success) throw new ConfigError(problems);
  const c = parsed.data;
  return {
    ...shared,
    env: c.NODE_ENV,
    api: {
      port: c.TANDEM_API_PORT,
      host: c.TANDEM_API_HOST,
      jwtSecret: c.TANDEM_JWT_SECRET ?? DEV_JWT_SECRET,
      jwtSecretIsDevDefault: !c.TANDEM_JWT_SECRET,
      corsOrigins: c.TANDEM_API_CORS_ORIGINS,
      migrateOnStart: c.TANDEM_API_MIGRATE,
      healthTimeoutMs: c.TANDEM_API_HEALTH_TIMEOUT_MS,
      bodyLimit: c.TANDEM_API_BODY_LIMIT,
      messageTimeoutMs: c.TANDEM_API_MESSAGE_TIMEOUT_MS,
      queryTimeoutMs: c.TANDEM_API_QUERY_TIMEOUT_MS,
      sseHeartbeatMs: c.TANDEM_API_SSE_HEARTBEAT_MS,
      ssePollMs: c.TANDEM_API_SSE_POLL_MS,
      maxConcurrentClaims: c.TANDEM_API_MAX_CONCURRENT_CLAIMS,
      repeatContactWindowDays: c.TANDEM_REPEAT_CONTACT_WINDOW_DAYS,
    },
    background: {
      outboxRelay: c.TANDEM_API_OUTBOX_RELAY,
      projections: c.TANDEM_API_PROJECTIONS,
      inboundContacts: c.TANDEM_API_INBOUND_CONTACTS,
      escalationContexts: c.TANDEM_API_ESCALATION_CONTEXTS,
      routingMaintenance: c.TANDEM_API_ROUTING_MAINTENANCE,
      routingMaintenanceIntervalMs: c.TANDEM_API_ROUTING_MAINTENANCE_INTERVAL_MS,
    },
    events: {
      topics: prefixedTopics(c.TANDEM_KAFKA_TOPIC_PREFIX),
      groupPrefix: c.TANDEM_KAFKA_GROUP_PREFIX,
      partitions: c.TANDEM_KAFKA_TOPIC_PARTITIONS,
    },
  };
}

/** Nest injection token for the validated {@link ApiConfig}. */
export const API_CONFIG = Symbol('API_CONFIG');
