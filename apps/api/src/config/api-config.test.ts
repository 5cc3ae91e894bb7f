import { ConfigError } from '@tandem/config';
import { DEV_JWT_SECRET, loadApiConfig } from './api-config';

function problemsOf(env: Record<string, string>): string {
  try {
    loadApiConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems.join('\n');
  }
  throw new Error('expected a ConfigError');
}

describe('loadApiConfig', () => {
  it('defaults to loopback:3000, the dev secret, and the designer origins', () => {
    const c = loadApiConfig({});
    expect(c.api).toMatchObject({ port: 3000, host: '127.0.0.1', jwtSecret: DEV_JWT_SECRET, jwtSecretIsDevDefault: true, migrateOnStart: true });
    expect(c.api.corsOrigins).toEqual(['http://127.0.0.1:5173', 'http://localhost:5173']);
    expect(c.database.url).toContain(':55432/');
  });

  it('requires a JWT secret in production', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toMatch(/TANDEM_JWT_SECRET: required when NODE_ENV=production/);
    const secret = 'x'.repeat(40);
    expect(loadApiConfig({ NODE_ENV: 'production', TANDEM_JWT_SECRET: secret }).api).toMatchObject({ jwtSecret: secret, jwtSecretIsDevDefault: false });
  });

  it('names every bad variable at once, shared and API-specific', () => {
    const problems = problemsOf({
      TANDEM_API_PORT: 'eighty',
      TANDEM_JWT_SECRET: 'short',
      TANDEM_API_CORS_ORIGINS: 'http://ok:5173,not-an-origin',
      TANDEM_API_MIGRATE: 'maybe',
      TANDEM_DATABASE_URL: 'mysql://x',
    });
    expect(problems).toMatch(/TANDEM_API_PORT/);
    expect(problems).toMatch(/TANDEM_JWT_SECRET: must be at least 32 characters/);
    expect(problems).toMatch(/TANDEM_API_CORS_ORIGINS\.1: expected origins/);
    expect(problems).toMatch(/TANDEM_API_MIGRATE/);
    expect(problems).toMatch(/TANDEM_DATABASE_URL: expected a postgres:\/\/ URL/);
  });

  it('reads the API settings', () => {
    const c = loadApiConfig({ TANDEM_API_PORT: '8080', TANDEM_API_HOST: '0.0.0.0', TANDEM_API_MIGRATE: '0', TANDEM_API_CORS_ORIGINS: '' });
    expect(c.api).toMatchObject({ port: 8080, host: '0.0.0.0', migrateOnStart: false, corsOrigins: [] });
  });

  it('limits concurrent claims to 4 by default, configurable from 1 to 1000', () => {
    expect(loadApiConfig({}).api.maxConcurrentClaims).toBe(4);
    expect(loadApiConfig({ TANDEM_API_MAX_CONCURRENT_CLAIMS: '16' }).api.maxConcurrentClaims).toBe(16);
    expect(problemsOf({ TANDEM_API_MAX_CONCURRENT_CLAIMS: '0' })).toMatch(/TANDEM_API_MAX_CONCURRENT_CLAIMS/);
    expect(problemsOf({ TANDEM_API_MAX_CONCURRENT_CLAIMS: 'lots' })).toMatch(/TANDEM_API_MAX_CONCURRENT_CLAIMS/);
  });

  it("attaches a customer's contacts of the last 7 days by default; 0 attaches none, more than the history keeps is refused", () => {
    expect(loadApiConfig({}).api.repeatContactWindowDays).toBe(7);
    expect(loadApiConfig({ TANDEM_REPEAT_CONTACT_WINDOW_DAYS: '0' }).api.repeatContactWindowDays).toBe(0);
    expect(loadApiConfig({ TANDEM_REPEAT_CONTACT_WINDOW_DAYS: '1.5' }).api.repeatContactWindowDays).toBe(1.5);
    expect(problemsOf({ TANDEM_REPEAT_CONTACT_WINDOW_DAYS: '91' })).toMatch(/TANDEM_REPEAT_CONTACT_WINDOW_DAYS: at most 90 days/);
    expect(problemsOf({ TANDEM_REPEAT_CONTACT_WINDOW_DAYS: 'a week' })).toMatch(/TANDEM_REPEAT_CONTACT_WINDOW_DAYS/);
  });

  it('runs every background part by default, each can be switched off; topics and groups take a prefix', () => {
    const d = loadApiConfig({});
    expect(d.background).toEqual({ outboxRelay: true, projections: true, inboundContacts: true, escalationContexts: true, routingMaintenance: true, routingMaintenanceIntervalMs: 1000 });
    expect(d.events).toEqual({ topics: { contactEvents: 'tandem.contact-events', feedbackEvents: 'tandem.feedback-events', contactsInbound: 'tandem.contacts-inbound' }, groupPrefix: '', partitions: 6 });
    const c = loadApiConfig({ TANDEM_API_PROJECTIONS: '0', TANDEM_API_OUTBOX_RELAY: 'false', TANDEM_KAFKA_TOPIC_PREFIX: 'acme.', TANDEM_KAFKA_GROUP_PREFIX: 'acme-', TANDEM_KAFKA_TOPIC_PARTITIONS: '12' });
    expect(c.background).toMatchObject({ projections: false, outboxRelay: false, inboundContacts: true });
    expect(c.events).toEqual({ topics: { contactEvents: 'acme.tandem.contact-events', feedbackEvents: 'acme.tandem.feedback-events', contactsInbound: 'acme.tandem.contacts-inbound' }, groupPrefix: 'acme-', partitions: 12 });
    expect(problemsOf({ TANDEM_KAFKA_TOPIC_PREFIX: 'a b', TANDEM_API_MESSAGE_TIMEOUT_MS: '10', TANDEM_API_ROUTING_MAINTENANCE: 'sometimes' })).toMatch(
      /TANDEM_API_MESSAGE_TIMEOUT_MS[\s\S]*TANDEM_API_ROUTING_MAINTENANCE[\s\S]*TANDEM_KAFKA_TOPIC_PREFIX: letters, digits/,
    );
  });
});
