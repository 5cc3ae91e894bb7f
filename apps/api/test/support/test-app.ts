import type { NestExpressApplication } from '@nestjs/platform-express';
import { createTestDatabase, type TestDatabase } from '@tandem/testkit';
import jwt from 'jsonwebtoken';
import type { DestinationStream } from 'pino';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { ApiKeysService } from '../../src/auth/api-keys.service';
import type { Role } from '../../src/auth/roles';
import { TokenService } from '../../src/auth/token.service';
import { type ApiConfig, loadApiConfig } from '../../src/config/api-config';
import { createApp } from '../../src/create-app';

export const TEST_JWT_SECRET = 'test-secret-for-the-api-e2e-suites-0123456789';

/** The agent id that the `agent` role's test token carries. */
export const TEST_AGENT_ID = 'agent-ana';

export interface TestApp {
  app: NestExpressApplication;
  config: ApiConfig;
  db: TestDatabase;
  http: TestAgent;
  /** A valid bearer token for the role (agent tokens carry {@link TEST_AGENT_ID}). */
  token(role: Role, options?: { subject?: string; agentId?: string; ttl?: string }): string;
  /** A token whose expiry is in the past, correctly signed. */
  expiredToken(role: Role): string;
  /** A token for the role signed with another secret. */
  badSignatureToken(role: Role): string;
  /** Creates an API key with the given roles and returns it. */
  apiKey(roles: Role[], name?: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Starts the real API (createApp, exactly what main.ts runs) on its own fresh database, migrated at
 * start, against the stack's Temporal and Kafka. `env` overrides configuration (e.g. a closed Kafka
 * port for the health test).
 */
export async function startTestApp(env: Record<string, string> = {}, options: { logDestination?: DestinationStream } = {}): Promise<TestApp> {
  const db = await createTestDatabase('api');
  let app: NestExpressApplication | undefined;
  try {
    const config = loadApiConfig({
      ...process.env,
      NODE_ENV: 'test',
      TANDEM_DATABASE_URL: db.url,
      TANDEM_LOG_LEVEL: process.env.TANDEM_TEST_LOG_LEVEL ?? 'silent',
      TANDEM_JWT_SECRET: TEST_JWT_SECRET,
      ...env,
    });
    app = await createApp({ config, ...(options.logDestination ? { logDestination: options.logDestination } : {}) });
    const server = app.getHttpServer();
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
      http: request(server),
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
          await started.close();
        } finally {
          await db.drop();
        }
      },
    };
  } catch (e) {
    await app?.close().catch(() => undefined);
    await db.drop().catch(() => undefined);
    throw e;
  }
}
