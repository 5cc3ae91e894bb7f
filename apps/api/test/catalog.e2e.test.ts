import { defineActivity } from '@tandem/activity-kit';
import { nodeCatalog } from '@tandem/flow';
import { z } from 'zod';
import { startTestApp, type TestApp } from './support/test-app';

const lookupOrder = defineActivity({
  name: 'orders.lookup',
  title: 'Look up an order',
  description: 'Finds an order by number.',
  category: 'Orders',
  input: z.object({ orderNumber: z.string().min(1) }),
  output: z.object({ found: z.boolean(), status: z.string().optional() }),
  timeoutSeconds: 2.5,
  async execute() {
    return { found: true };
  },
});

describe('catalog: node types, expressions, queues, custom activities, calendars', () => {
  let t: TestApp;
  let designer: { Authorization: string };
  let service: { Authorization: string };
  beforeAll(async () => {
    t = await startTestApp();
    designer = { Authorization: `Bearer ${t.token('designer')}` };
    service = { Authorization: `Bearer ${t.token('service')}` };
  });
  afterAll(() => t?.close());

  it('serves every node type of @tandem/flow with its ports and config JSON Schema', async () => {
    const res = await t.http.get('/v1/catalog/node-types').set(designer).expect(200);
    expect(res.body.map((n: { type: string }) => n.type)).toEqual(nodeCatalog().map((n) => n.type));
    const bot = res.body.find((n: { type: string }) => n.type === 'bot');
    expect(bot.ports.map((p: { id: string }) => p.id)).toEqual(['resolved', 'escalate', 'no_match']);
    expect(bot.configSchema).toMatchObject({ type: 'object' });
    expect(res.body.find((n: { type: string }) => n.type === 'decision').ports).toBeNull();
  });

  it('serves the CEL environment: variables with typed fields and the live-data functions', async () => {
    const res = await t.http.get('/v1/catalog/expressions').set(designer).expect(200);
    expect(res.body.language).toBe('cel');
    expect(res.body.variables.map((v: { name: string }) => v.name)).toEqual(expect.arrayContaining(['contact', 'customer', 'nlu', 'bot', 'queue', 'hours']));
    const nlu = res.body.variables.find((v: { name: string }) => v.name === 'nlu');
    expect(nlu.fields).toContainEqual(expect.objectContaining({ name: 'confidence', type: 'double' }));
    expect(res.body.flowVariables.types).toContain('list<string>');
  });

  it('registers activity-kit descriptors idempotently, updates what may change, refuses contract changes', async () => {
    const descriptor = lookupOrder.descriptor;
    const first = await t.http.post('/v1/catalog/activities/register').set(service).send({ activities: [descriptor] }).expect(200);
    expect(first.body.results).toEqual([{ name: 'orders.lookup', version: 1, status: 'created' }]);
    const again = await t.http.put('/v1/catalog/activities/orders.lookup').set(service).send(descriptor).expect(200);
    expect(again.body.status).toBe('unchanged');
    const retitled = await t.http.put('/v1/catalog/activities/orders.lookup').set(service).send({ ...descriptor, title: 'Find an order' }).expect(200);
    expect(retitled.body.status).toBe('updated');
    await t.http.put('/v1/catalog/activities/orders.lookup').set(service).send({ ...descriptor, name: 'orders.other' }).expect(400).expect((r) => expect(r.body.message).toMatch(/^body\.name: must equal the name in the path/));

    const v2 = { ...descriptor, version: 2, inputSchema: { type: 'object', properties: { orderId: { type: 'string' } }, required: ['orderId'] } };
    // All or none: the duplicate makes the whole registration fail, v2 included.
    await t.http.post('/v1/catalog/activities/register').set(service).send({ activities: [v2, v2] }).expect(409).expect((r) => expect(r.body.code).toBe('duplicate_activity'));
    await t.http.post('/v1/catalog/activities/register').set(service).send({ activities: [v2] }).expect(200);

    const listed = await t.http.get('/v1/catalog/activities').set(designer).expect(200);
    expect(listed.body).toEqual([expect.objectContaining({ name: 'orders.lookup', version: 2, versions: [2, 1], timeoutSeconds: 2.5, registeredBy: 'service@test' })]);
    const one = await t.http.get('/v1/catalog/activities/orders.lookup').set({ Authorization: `Bearer ${t.token('agent')}` }).expect(200);
    expect(one.body.inputSchema).toEqual(v2.inputSchema);
  });

  it('creates and updates queues in routing and calendars, validating calendars with @tandem/flow\'s schema', async () => {
    await t.http.put('/v1/catalog/queues/billing').set(designer).send({ description: 'Billing', slaTargetSeconds: 60 }).expect(201);
    await t.http
      .put('/v1/catalog/queues/billing')
      .set(designer)
      .send({ description: 'Billing & refunds', slaTargetSeconds: 90, skills: { billing: 2 }, distribution: 'push', relaxation: [{ afterSeconds: 60, skill: 'billing', level: 1 }] })
      .expect(200);
    expect((await t.http.get('/v1/catalog/queues/billing').set(designer).expect(200)).body).toMatchObject({
      name: 'billing',
      description: 'Billing & refunds',
      slaTargetSeconds: 90,
      skills: { billing: 2 },
      distribution: 'push',
      offerTimeoutSeconds: 30,
    });
    await t.http.put('/v1/catalog/queues/Billing Team').set(designer).send({ slaTargetSeconds: 60 }).expect(400).expect((r) => expect(r.body.message).toMatch(/^param\.name: a queue name/));
    // Routing's own rules come back as 400s naming the field.
    const overflow = await t.http.put('/v1/catalog/queues/billing').set(designer).send({ slaTargetSeconds: 60, overflowQueue: 'nowhere', maxWaitSeconds: 60 }).expect(400);
    expect(overflow.body).toMatchObject({ code: 'validation_failed', errors: [expect.objectContaining({ path: 'overflowQueue', message: expect.stringContaining('"nowhere" does not exist') })] });

    const hours = { timezone: 'Europe/London', weekly: { mon: [{ open: '08:00', close: '20:00' }] }, holidays: ['2026-12-25'] };
    await t.http.put('/v1/catalog/calendars/support-hours').set(designer).send(hours).expect(201);
    const bad = await t.http.put('/v1/catalog/calendars/support-hours').set(designer).send({ ...hours, timezone: 'Mars/Olympus' }).expect(400);
    expect(bad.body.message).toMatch(/^body\.timezone: is not a known IANA time zone/);
    const overnight = await t.http.put('/v1/catalog/calendars/support-hours').set(designer).send({ ...hours, weekly: { mon: [{ open: '22:00', close: '02:00' }] } }).expect(400);
    expect(overnight.body.errors[0].path).toBe('weekly.mon.0.close');

    const all = await t.http.get('/v1/catalog').set(designer).expect(200);
    expect(all.body).toMatchObject({ queues: [{ name: 'billing' }], calendars: [{ name: 'support-hours', calendar: { timezone: 'Europe/London' } }], activities: [{ name: 'orders.lookup' }] });
    expect(all.body.nodeTypes.length).toBe(nodeCatalog().length);
  });

  it('registers the same new descriptors from several workers starting at once: each gets an answer, one row each', async () => {
    const descriptor = { ...lookupOrder.descriptor, name: 'orders.concurrent' };
    const answers = await Promise.all(Array.from({ length: 6 }, () => t.http.post('/v1/catalog/activities/register').set(service).send({ activities: [descriptor] })));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(answers.map((r) => r.body.results[0].status).sort()).toEqual(['created', 'unchanged', 'unchanged', 'unchanged', 'unchanged', 'unchanged']);
    expect((await t.http.get('/v1/catalog/activities/orders.concurrent').set(designer).expect(200)).body.versions).toEqual([1]);
  });
});
