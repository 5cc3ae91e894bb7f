import fc from 'fast-check';
import { minimalFlow } from './support/fixtures';
import { routeContext } from './support/routes';
import { fuzzValue, type SchemaObject } from './support/schema-arbitrary';
import { startTestApp, type TestApp } from './support/test-app';

interface Operation {
  method: 'get' | 'post' | 'put' | 'delete';
  path: string;
  streams: boolean;
  parameters: { name: string; in: 'path' | 'query'; required?: boolean; schema?: SchemaObject }[];
  body?: SchemaObject;
}

/** Requests per operation: enough to walk each schema's branches, small enough for `npm test`. */
const RUNS_WITH_INPUT = Number(process.env.TANDEM_FUZZ_RUNS ?? 30);
const RUNS_WITHOUT_INPUT = 5;

/**
 * Requests generated from /openapi.json itself. `t.http` checks every response against the document
 * (test/support/openapi-validator.ts): a status the operation does not document, or a body — success
 * or error — its schema refuses, fails the property with the operation, the status and the schema
 * error, and fast-check shrinks the request that caused it.
 */
describe('fuzzing every operation of /openapi.json: no input produces a 5xx, every response conforms to the document', () => {
  let t: TestApp;
  let operations: Operation[];
  let components: Record<string, SchemaObject>;
  let tokens: string[];
  const existing = { flowId: 'fuzz-flow', version: '1', name: 'billing', id: '', contactId: '', workItemId: '', offerId: '', agentId: 'agent-ana', ticketId: '' };

  beforeAll(async () => {
    t = await startTestApp({}, { worker: true });
    const doc = (await t.http.get('/openapi.json').expect(200)).body as {
      paths: Record<
        string,
        Record<string, { parameters?: Operation['parameters']; requestBody?: { content: Record<string, { schema: SchemaObject }> }; responses?: Record<string, { content?: Record<string, unknown> }> }>
      >;
      components: { schemas: Record<string, SchemaObject> };
    };
    components = doc.components.schemas;
    operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      (['get', 'post', 'put', 'delete'] as const)
        .filter((m) => item[m])
        .map((method) => ({
          method,
          path,
          parameters: item[method]!.parameters ?? [],
          body: item[method]!.requestBody?.content['application/json']?.schema,
          streams: Object.keys(item[method]!.responses?.['200']?.content ?? {}).includes('text/event-stream'),
        })),
    );
    // Something real to hit, so generated requests also reach existing resources.
    const admin = { Authorization: `Bearer ${t.token('admin')}` };
    await t.http.post('/v1/flows').set(admin).send(minimalFlow(existing.flowId)).expect(201);
    await t.http.post(`/v1/flows/${existing.flowId}/publish`).set(admin).send({}).expect(201);
    await t.http.put(`/v1/catalog/queues/${existing.name}`).set(admin).send({ slaTargetSeconds: 60 }).expect(201);
    existing.id = (await t.http.post('/v1/api-keys').set(admin).send({ name: 'fuzz', roles: ['service'] }).expect(201)).body.id;
    const ctx = routeContext(t);
    existing.contactId = await ctx.contact();
    existing.workItemId = (await ctx.workItem()).workItemId;
    existing.offerId = (await ctx.workItem('offered')).offerId!;
    existing.ticketId = await ctx.ticket();
    tokens = [t.token('admin'), t.token('admin'), t.token('designer'), t.token('service'), t.token('agent'), 'garbage'];
  });
  afterAll(() => t?.close());

  it('has operations to fuzz', () => {
    expect(operations.length).toBeGreaterThanOrEqual(65);
    expect(operations.filter((o) => o.streams).map((o) => o.path)).toEqual(['/v1/agent/offers/stream']);
  });

  it('never answers 5xx, and answers only documented statuses with documented bodies', async () => {
    // The offer stream never ends; tests/offers-stream.e2e.test.ts covers it.
    for (const op of operations.filter((o) => !o.streams)) {
      const paramArbs = Object.fromEntries(
        op.parameters.map((p) => {
          const known = existing[p.name as keyof typeof existing];
          const value = fc.oneof(
            fuzzValue(p.schema, components).map((v) => (typeof v === 'string' ? v : JSON.stringify(v))),
            fc.string({ maxLength: 40 }),
            ...(known ? [fc.constant(known)] : []),
          );
          return [p.name, p.in === 'path' || p.required ? value.map((v) => v as string | undefined) : fc.option(value, { nil: undefined })];
        }),
      );
      const requestArb = fc.record({
        params: fc.record(paramArbs as Record<string, fc.Arbitrary<string | undefined>>),
        body: op.body ? fuzzValue(op.body, components) : fc.constant(undefined),
        token: fc.constantFrom(...tokens),
        rawPath: fc.boolean(),
      });
      const runs = op.parameters.length || op.body ? RUNS_WITH_INPUT : RUNS_WITHOUT_INPUT;
      await fc.assert(
        fc.asyncProperty(requestArb, async ({ params, body, token, rawPath }) => {
          let url = op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
            const v = params[name] ?? '';
            // Mostly well-encoded; sometimes raw, as a careless client sends it.
            return rawPath ? v.replace(/[/?#]/g, '') : encodeURIComponent(v);
          });
          const query = op.parameters.filter((p) => p.in === 'query' && params[p.name] !== undefined).map((p) => `${p.name}=${encodeURIComponent(params[p.name]!)}`);
          if (query.length) url += `?${query.join('&')}`;
          let req = t.http[op.method](url).set('Authorization', `Bearer ${token}`);
          if (body !== undefined) req = req.set('Content-Type', 'application/json').send(JSON.stringify(body));
          const res = await req;
          if (res.status >= 500) {
            throw new Error(`${op.method.toUpperCase()} ${url} → ${res.status} ${JSON.stringify(res.body).slice(0, 500)}\nbody: ${JSON.stringify(body)?.slice(0, 500)}`);
          }
        }),
        { numRuns: runs, seed: Number(process.env.TANDEM_FUZZ_SEED ?? Date.now() % 2 ** 31), endOnFailure: true },
      );
    }
  }, 240_000);
});
