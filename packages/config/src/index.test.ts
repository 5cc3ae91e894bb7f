import { ConfigError, loadConfig, withDatabase } from './index';

describe('loadConfig', () => {
  it('points at the local stack by default', () => {
    const c = loadConfig({});
    expect(c.temporal).toEqual({ address: '127.0.0.1:7233', namespace: 'default', taskQueue: 'tandem-contacts' });
    expect(c.kafka.brokers).toEqual(['127.0.0.1:9092']);
    expect(c.database.url).toBe('postgres://tandem:tandem@127.0.0.1:55432/tandem');
  });

  it('follows the stack port variables so both sides move together', () => {
    const c = loadConfig({ TANDEM_TEMPORAL_PORT: '17233', TANDEM_KAFKA_PORT: '19092', TANDEM_PG_PORT: '55433' });
    expect(c.temporal.address).toBe('127.0.0.1:17233');
    expect(c.kafka.brokers).toEqual(['127.0.0.1:19092']);
    expect(c.database.url).toContain(':55433/');
  });

  it('splits a broker list', () => {
    expect(loadConfig({ TANDEM_KAFKA_BROKERS: 'a:1, b:2' }).kafka.brokers).toEqual(['a:1', 'b:2']);
  });

  it('names every bad variable at once', () => {
    let error: unknown;
    try {
      loadConfig({ TANDEM_TEMPORAL_ADDRESS: 'nohost', TANDEM_DATABASE_URL: 'mysql://x', TANDEM_LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/TANDEM_TEMPORAL_ADDRESS: expected host:port/);
    expect(problems).toMatch(/TANDEM_DATABASE_URL: expected a postgres:\/\/ URL/);
    expect(problems).toMatch(/TANDEM_LOG_LEVEL/);
  });

  it('rewrites the database of a URL', () => {
    expect(withDatabase('postgres://u:p@h:1/tandem', 'tandem_test_x')).toBe('postgres://u:p@h:1/tandem_test_x');
  });
});
