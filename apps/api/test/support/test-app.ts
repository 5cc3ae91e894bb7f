import type { NestExpressApplication } from '@nestjs/platform-express';
import { createTestDatabase, startWorkerProcess, type TestDatabase, uniqueName, type WorkerProcess } from '@tandem/testkit';
import { Kafka, logLevel } from 'kafkajs';
import { DataSource } from 'typeorm';
import jwt from 'jsonwebtoken';
import type { DestinationStream } from 'pino';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { ApiKeysService } from '../../src/auth/api-keys.service';
import type { Role } from '../../src/auth/roles';
import { TokenService } from '../../src/auth/token.service';
import { type ApiConfig, loadApiConfig } from '../../src/config/api-config';
import { BackgroundService } from '../../src/background/background.service';
import { createApp } from '../../src/create-app';
import { type OpenApiValidator, validatorFor } from './openapi-validator';

export const TEST_JWT_SECRET = 'test-secret-for-the-api-e2e-suites-0123456789';

/** The agent id that the `agent` role's test token carries. */
export const TEST_AGENT_ID = 'agent-ana';

export interface TestApp {
  app: NestExpressApplication;
  config: ApiConfig;
  db: TestDatabase;
  /**
   * Requests to the app. Every response is checked against the served `/openapi.json` (its status
   * documented for the operation, its body valid against the documented schema); a violation fails
   * the request's test with the operation, the status and the schema error.
   */
  http: TestAgent;
  /** The served OpenAPI document, as a validator (for responses obtained another way, e.g. SSE). */
  openapi: OpenApiValidator;
  /** A valid bearer token for the role (agent tokens carry {@link TEST_AGENT_ID}). */
  token(role: Role, options?: { subject?: string; agentId?: string; ttl?: string }): string;
  /** A token whose expiry is in the past, correctly signed. */
  expiredToken(role: Role): string;
  /** A token for the role signed with another secret. */
  badSignatureToken(role: Role): string;
  /** Runs SQL on the suite's database (through the app's pool). */
  sql<T = Record<string, unknown>>(query: string, params?: unknown[]): Promise<T[]>;
  /** The contact worker (its own process, as deployed), when the suite asked for one. */
  worker?: WorkerProcess;
  /** Resolves once the background parts the suite enabled run (consumers joined, relay started). */
  backgroundReady(): Promise<void>;
  /** Creates an API key with the given roles and returns it. */
  apiKey(roles: Role[], name?: string): Promise<string>;
  close(): Promise<void>;
}

/** Background parts a suite may switch on (all are off unless asked for: most suites need none). */
export type BackgroundPart = 'outboxRelay' | 'projections' | 'inboundContacts' | 'escalationContexts' | 'routingMaintenance';

const BACKGROUND_ENV: Record<BackgroundPart, string> = {
  outboxRelay: 'TANDEM_API_OUTBOX_RELAY',
  projections: 'TANDEM_API_PROJECTIONS',
  inboundContacts: 'TANDEM_API_INBOUND_CONTACTS',
  escalationContexts: 'TANDEM_API_ESCALATION_CONTEXTS',
  routingMaintenance: 'TANDEM_API_ROUTING_MAINTENANCE',
};

export interface TestAppOptions {
  logDestination?: DestinationStream;
  /** Run a contact worker process (for contacts to answer messages and queries). */
  worker?: boolean;
  background?: BackgroundPart[];
}

/**
 * Starts the real API (createApp, exactly what main.ts runs) on its own fresh database, migrated at
 * start, against the stack's Temporal and Kafka — with its own Temporal task queue, Kafka topics and
 * consumer groups, so suites never see each other's contacts or events. `env` overrides
 * configuration (e.g. a closed Kafka port for the health test).
 */
export async function startTestApp(env: Record<string, string> = {}, options: TestAppOptions = {}): Promise<TestApp> {
  const db = await createTestDatabase('api');
  let app: NestExpressApplication | undefined;
  let worker: WorkerProcess | undefined;
  const scope = uniqueName('api').toLowerCase();
  const background = Object.fromEntries(Object.entries(BACKGROUND_ENV).map(([part, name]) => [name, options.background?.includes(part as BackgroundPart) ? '1' : '0']));
  // What the API and its worker share: the suite's database, task queue and topics.
  const shared = {
    TANDEM_DATABASE_URL: db.url,
    TANDEM_TEMPORAL_TASK_QUEUE: scope,
    TANDEM_KAFKA_TOPIC_PREFIX: `${scope}.`,
    TANDEM_KAFKA_TOPIC_PARTITIONS: '1',
  };
  const config = loadApiConfig({
    ...process.env,
    NODE_ENV: 'test',
    TANDEM_LOG_LEVEL: process.env.TANDEM_TEST_LOG_LEVEL ?? 'silent',
    TANDEM_JWT_SECRET: TEST_JWT_SECRET,
    ...shared,
    TANDEM_KAFKA_GROUP_PREFIX: `${scope}.`,
    TANDEM_API_ROUTING_MAINTENANCE_INTERVAL_MS: '200',
    TANDEM_API_SSE_POLL_MS: '1000',
    ...background,
    ...env,
  });
  try {
    app = await createApp({ config, ...(options.logDestination ? { logDestination: options.logDestination } : {}) });
    // Started after the API, which migrated the database the worker's routing needs.
    if (options.worker) worker = await startWorkerProcess({ ...shared, TANDEM_WORKER_RESOLUTION_POLL_MS: '200' });
    const server = app.getHttpServer();
    const openapi = validatorFor((await request(server).get('/openapi.json').expect(200)).body);
    const tokens = app.get(TokenService);
    const keys = app.get(ApiKeysService);
    const started = app;
    const token = (role: Role, options: { subject?: string; agentId?: string; ttl?: string } = {}) =>
      tokens.issue({
        subject: options.subject ?? `${role}@test`,
        roles: [role],
        ...(role === 'agent' ? { agentId: options.agentId ?? TEST_AGENT_ID } : {}),
        ttl: options.ttl ?? '1h',
      }).token;
    return {
      app: started,
      config,
      db,
      http: validatingAgent(request(server), openapi),
      openapi,
      ...(worker ? { worker } : {}),
      sql: (query, params) => started.get(DataSource).query(query, params),
      backgroundReady: async () => {
        await started.get(BackgroundService).ready();
      },
      token,
      expiredToken: (role) =>
        jwt.sign(
          { roles: [role], ...(role === 'agent' ? { agentId: TEST_AGENT_ID } : {}), exp: Math.floor(Date.now() / 1000) - 60 },
          TEST_JWT_SECRET,
          { algorithm: 'HS256', subject: `${role}@test`, issuer: 'tandem', audience: 'tandem-api', jwtid: 'expired' },
        ),
      badSignatureToken: (role) =>
        jwt.sign({ roles: [role], ...(role === 'agent' ? { agentId: TEST_AGENT_ID } : {}) }, 'another-secret-another-secret-another-secret', {
          algorithm: 'HS256',
          subject: `${role}@test`,
          issuer: 'tandem',
          audience: 'tandem-api',
          jwtid: 'forged',
          expiresIn: 3600,
        }),
      apiKey: async (roles, name = `key-${roles.join('-')}`) => (await keys.create({ name, roles, ...(roles.includes('agent') ? { agentId: TEST_AGENT_ID } : {}) }, 'test')).key,
      close: async () => {
        try {
          await worker?.stop();
          await started.close();
        } finally {
          await dropTopics(config).catch(() => undefined);
          await dropDatabase(db);
        }
      },
    };
  } catch (e) {
    await worker?.stop().catch(() => undefined);
    await app?.close().catch(() => undefined);
    await dropTopics(config).catch(() => undefined);
    await dropDatabase(db).catch(() => undefined);
    throw e;
  }
}

const HTTP_METHODS = new Set(['get', 'post', 'put', 'delete', 'patch', 'head', 'options']);

/**
 * Wraps a supertest agent so that every request it makes asserts, first of all its expectations,
 * that the response conforms to the OpenAPI document.
 */
export function validatingAgent(agent: TestAgent, openapi: OpenApiValidator): TestAgent {
  return new Proxy(agent, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof prop !== 'string' || !HTTP_METHODS.has(prop) || typeof value !== 'function') return value;
      return (url: string, ...rest: unknown[]) => {
        const test = (value as (url: string, ...rest: unknown[]) => request.Test).call(target, url, ...rest);
        return test.expect((res) => {
          const { operation, problem } = openapi.check(prop, url, res.status, res.headers['content-type'], res.body);
          if (problem) throw new Error(`OpenAPI: ${operation ?? `${prop.toUpperCase()} ${url}`} answered ${res.status}: ${problem}\nbody: ${JSON.stringify(res.body).slice(0, 1000)}`);
        });
      };
    },
  });
}

/**
 * Drops the suite's database. `DROP … WITH (FORCE)` cannot terminate an autovacuum worker (it belongs
 * to the server's superuser), which a freshly migrated database often has for a moment: try again.
 */
export async function dropDatabase(db: TestDatabase): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await db.drop();
      return;
    } catch (e) {
      if (attempt >= 10 || !/pg_signal_backend|being accessed by other users/.test(String((e as Error).message))) throw e;
      await new Promise((r) => setTimeout(r, 300 * attempt));
    }
  }
}

/** Deletes the suite's topics (if it created any), so runs leave nothing behind on the shared broker. */
async function dropTopics(config: ApiConfig): Promise<void> {
  const kafka = new Kafka({ clientId: 'api-test-cleanup', brokers: config.kafka.brokers, logLevel: logLevel.NOTHING, connectionTimeout: 2_000, retry: { retries: 1 } });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const wanted = Object.values(config.events.topics);
    const existing = (await admin.listTopics()).filter((t) => wanted.includes(t));
    if (existing.length) await admin.deleteTopics({ topics: existing, timeout: 10_000 });
  } finally {
    await admin.disconnect();
  }
}
