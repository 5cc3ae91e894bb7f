import { startTestApp, type TestApp } from './support/test-app';

describe('operability: /health, /metrics, request ids, logs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  it('/health reports PostgreSQL, Temporal and Kafka up', async () => {
    const res = await t.http.get('/health').expect(200);
    expect(res.body.status).toBe('ok');
    for (const dep of ['postgres', 'temporal', 'kafka']) {
      expect(res.body.checks[dep]).toMatchObject({ status: 'up' });
      expect(typeof res.body.checks[dep].latencyMs).toBe('number');
    }
  });
});
