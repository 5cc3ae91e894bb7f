import { Writable } from 'node:stream';
import net from 'node:net';
import request from 'supertest';
import { type OpenApiDocument, OpenApiValidator } from './support/openapi-validator';
import { discoverRoutes } from './support/route-inventory';
import { startTestApp, type TestApp, validatingAgent } from './support/test-app';

interface Operation {
  security?: unknown[];
  parameters?: { in: string }[];
  requestBody?: unknown;
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

/** A loopback port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

describe('operability: /health, /metrics, OpenAPI, request ids, JSON logs, CORS', () => {
  let t: TestApp;
  const lines: Record<string, unknown>[] = [];
  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    t = await startTestApp({ TANDEM_LOG_LEVEL: 'info' }, { logDestination: sink });
  });
  afterAll(() => t?.close());

  it('/health reports PostgreSQL, Temporal and Kafka up, /health/live answers without checking', async () => {
    const res = await t.http.get('/health').expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body.status).toBe('ok');
    for (const dep of ['postgres', 'temporal', 'kafka']) expect(res.body.checks[dep]).toEqual({ status: 'up', latencyMs: expect.any(Number) });
    await t.http.get('/health/live').expect(200, { status: 'ok' });
  });

  it('/health answers 503 naming what is down, within its timeout', async () => {
    // Every background part on: with Kafka down they retry in the background, never in the way.
    const down = await startTestApp(
      { TANDEM_KAFKA_BROKERS: `127.0.0.1:${await closedPort()}`, TANDEM_TEMPORAL_ADDRESS: `127.0.0.1:${await closedPort()}`, TANDEM_API_HEALTH_TIMEOUT_MS: '500', TANDEM_API_QUERY_TIMEOUT_MS: '500' },
      { background: ['outboxRelay', 'projections', 'inboundContacts', 'escalationContexts', 'routingMaintenance'] },
    );
    let closing = 0;
    try {
      const started = Date.now();
      const res = await down.http.get('/health').expect(503);
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(res.body).toMatchObject({ status: 'down', checks: { postgres: { status: 'up' }, temporal: { status: 'down' }, kafka: { status: 'down' } } });
      expect(res.body.checks.kafka.error).toEqual(expect.any(String));
      expect(res.body.checks.temporal.error).toEqual(expect.any(String));
      // The API itself still serves: only the dependencies are down.
      await down.http.get('/v1/auth/me').set('Authorization', `Bearer ${down.token('designer')}`).expect(200);
      await down.http.get('/v1/catalog/queues').set('Authorization', `Bearer ${down.token('designer')}`).expect(200);
      // A call that needs Temporal says so with a 503 the caller may retry, not a 500.
      const contacts = await down.http.get('/v1/contacts').set('Authorization', `Bearer ${down.token('designer')}`).expect(503);
      expect(contacts.headers['retry-after']).toBe('1');
      expect(contacts.body).toMatchObject({ code: 'temporal_unavailable', message: expect.stringMatching(/Temporal.*retry the request/) });
    } finally {
      closing = Date.now();
      await down.app.close();
      // Stopping waits neither for a retry's backoff nor for a broker that does not answer.
      expect(Date.now() - closing).toBeLessThan(5_000);
      await down.close();
    }
  });

  it('/metrics exposes the request duration histogram by route template, method and status, and process metrics', async () => {
    await t.http.get('/v1/flows/no-such-flow').set('Authorization', `Bearer ${t.token('designer')}`).expect(404);
    await t.http.get('/v1/nowhere').expect(404);
    const res = await t.http.get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toMatch(/http_request_duration_seconds_bucket\{le="[^"]+",service="tandem-api",method="GET",route="\/v1\/flows\/:flowId",status_code="404"\} 1/);
    expect(res.text).toMatch(/http_request_duration_seconds_count\{service="tandem-api",method="GET",route="unmatched",status_code="404"\} 1/);
    expect(res.text).toContain('process_cpu_user_seconds_total');
    expect(res.text).toContain('nodejs_eventloop_lag_seconds');
    expect(res.text).not.toContain('no-such-flow');
  });

  it('echoes a caller\'s x-request-id, makes one otherwise, and logs every request as JSON with it', async () => {
    const echoed = await t.http.get('/v1/auth/me').set('x-request-id', 'trace-123').set('Authorization', `Bearer ${t.token('designer')}`).expect(200);
    expect(echoed.headers['x-request-id']).toBe('trace-123');
    const made = await t.http.get('/v1/flows/nope').set('x-request-id', 'bad id with spaces').set('Authorization', `Bearer ${t.token('designer')}`).expect(404);
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(made.body.requestId).toBe(made.headers['x-request-id']);

    const entry = lines.find((l) => (l.req as { id?: string } | undefined)?.id === 'trace-123');
    expect(entry).toMatchObject({ level: 30, service: 'tandem-api', msg: 'request completed', req: { method: 'GET', url: '/v1/auth/me' }, res: { statusCode: 200 } });
    expect(JSON.stringify(entry)).not.toContain(t.token('designer').split('.')[2]);
    expect((entry!.req as { headers: Record<string, string> }).headers.authorization).toBe('[redacted]');
    const warn = lines.find((l) => (l.req as { id?: string } | undefined)?.id === made.headers['x-request-id']);
    expect(warn).toMatchObject({ level: 40, res: { statusCode: 404 } });
  });

  it('serves /openapi.json describing every route, with the common error body, and Swagger UI at /docs', async () => {
    const doc = (await t.http.get('/openapi.json').expect(200)).body;
    expect(doc.openapi).toMatch(/^3\./);
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, item]) =>
      Object.keys(item).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    expect(discoverRoutes(t.app).map((r) => r.key).filter((k) => !documented.includes(k))).toEqual([]);
    expect(doc.components.schemas.ErrorBody.properties).toHaveProperty('code');
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    // The flow document is described from @tandem/flow's zod schema, constraints included.
    expect(JSON.stringify(doc.components.schemas.FlowDocumentDto)).toContain('^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$');
    // OpenAPI 3.0 has no type arrays: nullable is `nullable: true`.
    expect(JSON.stringify(doc)).not.toMatch(/"type":\[/);
    expect(doc.components.schemas.QueueDto_Output.properties.businessHours).toMatchObject({ type: 'string', nullable: true });
    expect(doc.components.schemas.ContactListDto_Output.properties.nextPageToken).toMatchObject({ type: 'string', nullable: true });
    const ops = Object.entries(doc.paths as Record<string, Record<string, Operation>>).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, method, op })));
    for (const { key, method, op } of ops) {
      const statuses = Object.keys(op.responses);
      const expected = [
        '431',
        ...(op.security?.length ? ['401', '403'] : []),
        ...(op.parameters?.some((p) => p.in === 'path') ? ['404'] : []),
        ...(method !== 'get' ? ['400', '413', '415'] : []),
      ];
      expect({ key, missing: expected.filter((s) => !statuses.includes(s)) }).toEqual({ key, missing: [] });
      // One success status at least, and every error with the shared error body — or, where an error
      // says more (a compliance refusal's findings), a schema that is the error body with more in it.
      expect({ key, success: statuses.some((s) => s.startsWith('2')) }).toEqual({ key, success: true });
      for (const status of statuses.filter((s) => Number(s) >= 400 && !(key === 'GET /health' && s === '503'))) {
        const schema = op.responses[status]!.content?.['application/json']?.schema as { $ref?: string } | undefined;
        if (key === 'POST /v1/agent/work-items/{workItemId}/messages' && status === '422') {
          const refined = doc.components.schemas[schema?.$ref?.split('/').pop() ?? ''] as { properties: Record<string, unknown>; required: string[] };
          expect(refined.required).toEqual(expect.arrayContaining(doc.components.schemas.ErrorBody.required));
          expect(Object.keys(refined.properties)).toEqual(expect.arrayContaining(Object.keys(doc.components.schemas.ErrorBody.properties)));
          continue;
        }
        expect({ key, status, schema }).toEqual({ key, status, schema: { $ref: '#/components/schemas/ErrorBody' } });
      }
    }
    // What the outside fuzzer found undocumented: 404 starting a contact of an unknown flow, 200 importing over a draft.
    expect(Object.keys(doc.paths['/v1/contacts'].post.responses)).toEqual(expect.arrayContaining(['200', '201', '404', '409', '503']));
    expect(Object.keys(doc.paths['/v1/flows/import'].post.responses)).toEqual(expect.arrayContaining(['200', '201', '404', '409']));
    const ui = await t.http.get('/docs').redirects(1);
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('swagger');
  });

  it('fails any request of the suites whose response the document does not describe', async () => {
    const doc = (await t.http.get('/openapi.json').expect(200)).body as OpenApiDocument;
    // The same document, but without the 404 of GET /v1/flows/{flowId}.
    const { '404': _dropped, ...responses } = doc.paths['/v1/flows/{flowId}']!.get!.responses!;
    const edited = { ...doc, paths: { ...doc.paths, '/v1/flows/{flowId}': { ...doc.paths['/v1/flows/{flowId}'], get: { responses } } } };
    const http = validatingAgent(request(t.app.getHttpServer()), new OpenApiValidator(edited));
    const designer = { Authorization: `Bearer ${t.token('designer')}` };
    await expect(http.get('/v1/flows/no-such-flow').set(designer)).rejects.toThrow(/OpenAPI: GET \/v1\/flows\/\{flowId\} answered 404: status 404 is not documented/);
    // The served document describes it.
    await t.http.get('/v1/flows/no-such-flow').set(designer).expect(404);
  });

  it('lets the designer\'s origin call the API from the browser, and no other', async () => {
    const allowed = await t.http.options('/v1/flows').set('Origin', 'http://127.0.0.1:5173').set('Access-Control-Request-Method', 'PUT').set('Access-Control-Request-Headers', 'authorization,content-type');
    expect(allowed.status).toBe(204);
    expect(allowed.headers['access-control-allow-origin']).toBe('http://127.0.0.1:5173');
    const other = await t.http.options('/v1/flows').set('Origin', 'https://evil.example').set('Access-Control-Request-Method', 'PUT');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});
