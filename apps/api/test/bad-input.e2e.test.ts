import type { Role } from '../src/auth/roles';
import { waitFor } from '@tandem/testkit';
import { minimalFlow } from './support/fixtures';
import { methodOf, routeContext, type RouteContext, ROUTES, type RouteSpec } from './support/routes';
import { startTestApp, type TestApp } from './support/test-app';

/** A value of a different JSON type than `value`, to provoke a type error at that field. */
function wrongTypeFor(value: unknown): unknown {
  if (typeof value === 'string') return 12345;
  if (typeof value === 'number') return 'not-a-number';
  if (typeof value === 'boolean') return 'not-a-boolean';
  if (Array.isArray(value)) return 'not-a-list';
  return 'not-an-object';
}

const callerFor = (spec: RouteSpec): Role => (spec.allowed === 'public' ? 'admin' : spec.allowed.includes('admin') ? 'admin' : spec.allowed[0]!);

describe('bad input: malformed JSON, wrong types, unknown fields, unknown ids → 400 / 404 / 415 naming what is wrong', () => {
  let t: TestApp;
  let ctx: RouteContext;
  beforeAll(async () => {
    t = await startTestApp({}, { worker: true });
    ctx = routeContext(t);
  }, 60_000);
  afterAll(() => t?.close());

  const send = (spec: RouteSpec, url: string) => t.http[methodOf(spec)](url).set('Authorization', `Bearer ${t.token(callerFor(spec))}`);

  const withBody = ROUTES.filter((r) => ['POST', 'PUT'].some((m) => r.key.startsWith(m)));

  describe.each(withBody.map((r) => [r.key, r] as const))('%s', (_key, spec) => {
    it('answers malformed JSON with 400 malformed_json', async () => {
      const { url } = await spec.request(ctx);
      const res = await send(spec, url).set('Content-Type', 'application/json').send('{"name": "x",');
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'malformed_json', message: expect.stringMatching(/^body: malformed JSON/) });
      expect(res.body.requestId).toEqual(res.headers['x-request-id']);
    });

    it('answers a non-JSON body with 415', async () => {
      const { url } = await spec.request(ctx);
      const res = await send(spec, url).set('Content-Type', 'text/plain').send('hello');
      expect(res.status).toBe(415);
      expect(res.body).toMatchObject({ code: 'unsupported_media_type', message: expect.stringContaining('application/json') });
    });

    it('answers a body of the wrong JSON type with 400 naming the body', async () => {
      const { url } = await spec.request(ctx);
      const res = await send(spec, url).send([1, 2, 3]);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'validation_failed', message: expect.stringMatching(/^body: /) });
    });

    it('rejects an unknown field, naming it', async () => {
      const { url, body } = await spec.request(ctx);
      const res = await send(spec, url).send({ ...(body as object), unexpectedField: 1 });
      expect(res.status).toBe(400);
      expect(res.body.errors).toContainEqual(expect.objectContaining({ location: 'body', path: '', code: 'unrecognized_keys', message: 'unknown field "unexpectedField"' }));
    });

    it('rejects a wrong type in every field, naming the field', async () => {
      const { body } = await spec.request(ctx);
      const fields = Object.entries(body as Record<string, unknown>);
      for (const [field, value] of fields) {
        const { url } = await spec.request(ctx);
        const res = await send(spec, url).send({ ...(body as object), [field]: wrongTypeFor(value) });
        expect({ field, status: res.status }).toEqual({ field, status: 400 });
        expect(res.body.code).toBe('validation_failed');
        expect(res.body.errors.map((e: { path: string }) => e.path.split('.')[0])).toContain(field);
        expect(res.body.message).toMatch(new RegExp(`^body\\.${field}`));
      }
    });
  });

  describe.each(ROUTES.filter((r) => r.unknownIds && !r.upsert).map((r) => [r.key, r] as const))('%s', (_key, spec) => {
    it('answers an unknown id with 404 naming it', async () => {
      const { url, body } = await spec.request(ctx);
      const params = spec.key.split(' ')[1]!.split('/');
      const concrete = url.split('?')[0]!.split('/');
      const unknown = params.map((segment, i) => (segment.startsWith(':') ? spec.unknownIds![segment.slice(1)]! : concrete[i]!)).join('/');
      let req = send(spec, unknown + (url.includes('?') ? `?${url.split('?')[1]}` : ''));
      // A body that names the resource (a flow document's id) names the unknown one too.
      let text = JSON.stringify(body);
      params.forEach((segment, i) => {
        if (segment.startsWith(':') && text) text = text.split(JSON.stringify(concrete[i])).join(JSON.stringify(spec.unknownIds![segment.slice(1)]));
      });
      if (body !== undefined) req = req.send(JSON.parse(text) as object);
      const res = await req;
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('not_found');
      expect(Object.values(spec.unknownIds!).some((id) => res.body.message.includes(id))).toBe(true);
    });

    it('answers a malformed id with 400 naming the parameter', async () => {
      const { url, body } = await spec.request(ctx);
      const params = spec.key.split(' ')[1]!.split('/');
      const concrete = url.split('?')[0]!.split('/');
      const param = params.find((s) => s.startsWith(':'))!;
      const bad = params.map((segment, i) => (segment === param ? '%20bad%20id%20' : concrete[i]!)).join('/');
      let req = send(spec, bad + (url.includes('?') ? `?${url.split('?')[1]}` : ''));
      if (body !== undefined) req = req.send(body as object);
      const res = await req;
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(new RegExp(`^param\\.${param.slice(1)}: `));
    });
  });

  it('answers a body over the size limit with 413', async () => {
    const huge = { ...minimalFlow('huge'), description: 'x'.repeat(5 * 1024 * 1024 + 1) };
    const res = await t.http.post('/v1/flows').set('Authorization', `Bearer ${t.token('designer')}`).send(huge).expect(413);
    expect(res.body).toMatchObject({ code: 'payload_too_large', message: expect.stringContaining('TANDEM_API_BODY_LIMIT') });
  });

  it('answers text PostgreSQL cannot store (NUL, unpaired surrogates) with 400 naming the field, in bodies and queries', async () => {
    const admin = { Authorization: `Bearer ${t.token('admin')}` };
    const descriptor = { name: 'nul.test', version: 1, title: 'T', description: 'D', inputSchema: { 'a\u0000b': {} }, outputSchema: {}, timeoutSeconds: 1, retry: { maximumAttempts: 1, initialIntervalSeconds: 1, backoffCoefficient: 1 } };
    const nul = await t.http.post('/v1/catalog/activities/register').set(admin).send({ activities: [descriptor] }).expect(400);
    expect(nul.body.errors).toEqual([expect.objectContaining({ location: 'body', path: 'activities.0.inputSchema.a\u0000b', message: expect.stringContaining('NUL') })]);
    // JSON.stringify writes an unpaired surrogate as its \u escape, as a client would send it.
    const surrogate = await t.http.post('/v1/catalog/activities/register').set(admin).set('Content-Type', 'application/json').send(JSON.stringify({ activities: [{ ...descriptor, inputSchema: {}, title: 'half \ud83d' }] })).expect(400);
    expect(surrogate.body.errors).toEqual([expect.objectContaining({ path: 'activities.0.title', message: expect.stringContaining('unpaired surrogate') })]);
    const query = await t.http.get('/v1/supervisor/work-items?contactId=%00x').set(admin).expect(400);
    expect(query.body.message).toMatch(/^query\.contactId: contains a NUL character/);
  });

  it('answers a URL or headers over Node\'s 16 KB limit with 431 and the error body, on any route', async () => {
    const res = await t.http.get(`/v1/contacts?pageToken=${'a'.repeat(17_000)}.b`).set('Authorization', `Bearer ${t.token('admin')}`).expect(431);
    expect(res.body).toEqual({ statusCode: 431, error: 'Request Header Fields Too Large', code: 'headers_too_large', message: expect.stringContaining('16 KB') });
    await t.http.get('/v1/flows').set('Authorization', `Bearer ${t.token('admin')}`).set('x-padding', 'x'.repeat(17_000)).expect(431);
  });

  describe('query strings', () => {
    it.each([
      ['/v1/flows?limit=0', 'query.limit'],
      ['/v1/flows?limit=ten', 'query.limit'],
      ['/v1/flows?offset=-1', 'query.offset'],
      ['/v1/flows?sort=name', 'query: unknown field "sort"'],
    ])('GET %s → 400 naming %s', async (url, named) => {
      const res = await t.http.get(url).set('Authorization', `Bearer ${t.token('designer')}`).expect(400);
      expect(res.body.message.startsWith(named)).toBe(true);
    });

    it('GET /v1/flows/:id/diff needs a version or "draft" in from', async () => {
      const id = await ctx.flow({ versions: 1 });
      for (const [query, named] of [
        ['', 'query.from'],
        ['?from=latest', 'query.from'],
        ['?from=1&to=0', 'query.to'],
      ] as const) {
        const res = await t.http.get(`/v1/flows/${id}/diff${query}`).set('Authorization', `Bearer ${t.token('designer')}`).expect(400);
        expect(res.body.message.startsWith(named)).toBe(true);
      }
      await t.http.get(`/v1/flows/${id}/diff?from=7`).set('Authorization', `Bearer ${t.token('designer')}`).expect(404);
    });

    it('POST /v1/flows/import?overwrite must be true or false', async () => {
      const res = await t.http
        .post('/v1/flows/import?overwrite=yes')
        .set('Authorization', `Bearer ${t.token('designer')}`)
        .send({ format: 'tandem.flow', formatVersion: 1, document: minimalFlow('x') })
        .expect(400);
      expect(res.body.message).toMatch(/^query\.overwrite/);
    });
  });

  describe('inside the flow document', () => {
    it('names the node field that is wrong and unknown fields at any depth', async () => {
      const doc = minimalFlow('deep') as unknown as { nodes: Record<string, unknown>[] };
      doc.nodes[1]!.typeVersion = 'one';
      doc.nodes[0]!.colour = 'blue';
      const res = await t.http.post('/v1/flows').set('Authorization', `Bearer ${t.token('designer')}`).send(doc).expect(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ location: 'body', path: 'nodes.1.typeVersion', code: 'invalid_type' })]);
      delete doc.nodes[1]!.typeVersion;
      const unknown = await t.http.post('/v1/flows').set('Authorization', `Bearer ${t.token('designer')}`).send(doc).expect(400);
      expect(unknown.body.errors).toEqual([expect.objectContaining({ path: 'nodes.0', code: 'unrecognized_keys', message: 'unknown field "colour"' })]);
      expect(unknown.body.message).toBe('body.nodes.0: unknown field "colour"');
    });

    it('refuses a document whose id differs from the flow in the path', async () => {
      const id = await ctx.flow();
      const res = await t.http.put(`/v1/flows/${id}`).set('Authorization', `Bearer ${t.token('designer')}`).send({ revision: 1, document: minimalFlow('other') }).expect(400);
      expect(res.body.message).toMatch(/^body\.document\.id: must equal the flow id in the path/);
    });
  });

  describe('illegal state transitions → 409 with a code saying which', () => {
    const designer = () => ({ Authorization: `Bearer ${t.token('designer')}` });

    it('creating a flow that exists', async () => {
      const id = await ctx.flow();
      const res = await t.http.post('/v1/flows').set(designer()).send(minimalFlow(id)).expect(409);
      expect(res.body).toMatchObject({ code: 'flow_exists', message: `flow "${id}" already exists` });
    });

    it('saving a draft based on a stale revision', async () => {
      const id = await ctx.flow();
      await t.http.put(`/v1/flows/${id}`).set(designer()).send({ revision: 1, document: minimalFlow(id) }).expect(200);
      await t.http.put(`/v1/flows/${id}`).set(designer()).send({ revision: 1, document: minimalFlow(id) }).expect(409).expect((r) => expect(r.body.code).toBe('stale_revision'));
    });

    it('publishing an unchanged draft, deleting a published flow, rolling back to the live version', async () => {
      const id = await ctx.flow({ versions: 1 });
      await t.http.post(`/v1/flows/${id}/publish`).set(designer()).send({}).expect(409).expect((r) => expect(r.body.code).toBe('no_changes'));
      await t.http.delete(`/v1/flows/${id}`).set(designer()).expect(409).expect((r) => expect(r.body.code).toBe('flow_published'));
      await t.http.post(`/v1/flows/${id}/rollback`).set(designer()).send({ version: 1 }).expect(409).expect((r) => expect(r.body.code).toBe('already_latest'));
    });

    it('revoking an API key twice', async () => {
      const admin = { Authorization: `Bearer ${t.token('admin')}` };
      const key = await t.http.post('/v1/api-keys').set(admin).send({ name: 'twice', roles: ['service'] }).expect(201);
      await t.http.delete(`/v1/api-keys/${key.body.id}`).set(admin).expect(200);
      await t.http.delete(`/v1/api-keys/${key.body.id}`).set(admin).expect(409).expect((r) => expect(r.body.code).toBe('already_revoked'));
    });

    it('starting a contact of an unpublished flow, a draft with a version, a draft as an integration', async () => {
      const id = await ctx.flow();
      const service = { Authorization: `Bearer ${t.token('service')}` };
      const customer = { id: 'cust-1' };
      await t.http.post('/v1/contacts').set(service).send({ flowId: id, channel: 'chat', customer }).expect(409).expect((r) => expect(r.body.code).toBe('flow_not_published'));
      await t.http.post('/v1/contacts').set(service).send({ flowId: id, channel: 'voice', customer, version: 7 }).expect(404);
      const both = await t.http.post('/v1/contacts').set(designer()).send({ flowId: id, channel: 'chat', customer, draft: true, version: 1 }).expect(400);
      expect(both.body.message).toBe('body.version: give either draft or version, not both');
      await t.http.post('/v1/contacts').set(service).send({ flowId: id, channel: 'chat', customer, draft: true }).expect(403);
      const simulated = await t.http.post('/v1/contacts').set(designer()).send({ flowId: id, channel: 'chat', customer, draft: true }).expect(201);
      expect(simulated.body.flowVersion).toBe(0);
      await t.http.post('/v1/contacts').set(designer()).send({ flowId: id, channel: 'voice', customer, draft: true }).expect(409).expect((r) => expect(r.body.code).toBe('channel_not_accepted'));
    });

    it('starting a contact id twice starts nothing the second time', async () => {
      const service = { Authorization: `Bearer ${t.token('service')}` };
      const { body } = await ROUTES.find((r) => r.key === 'POST /v1/contacts')!.request(ctx);
      const contactId = ctx.unique('mine');
      await t.http.post('/v1/contacts').set(service).send({ ...(body as object), contactId }).expect(201);
      const again = await t.http.post('/v1/contacts').set(service).send({ ...(body as object), contactId }).expect(200);
      expect(again.body).toMatchObject({ contactId, created: false });
    });

    it('cancelling or rating a contact twice, messaging a cancelled one', async () => {
      const admin = { Authorization: `Bearer ${t.token('admin')}` };
      const id = await ctx.contact();
      await t.http.post(`/v1/contacts/${id}/csat`).set(admin).send({ score: 3 }).expect(202);
      await t.http.post(`/v1/contacts/${id}/csat`).set(admin).send({ score: 3 }).expect(409).expect((r) => expect(r.body.code).toBe('csat_already_recorded'));
      await t.http.post(`/v1/contacts/${id}/cancel`).set(admin).send({}).expect(202);
      await waitFor(async () => ((await t.http.get(`/v1/contacts/${id}`).set(admin)).body.status === 'completed' ? true : undefined), { what: 'the cancelled contact to end' });
      await t.http.post(`/v1/contacts/${id}/cancel`).set(admin).send({}).expect(409).expect((r) => expect(r.body.code).toBe('contact_ended'));
      await t.http.post(`/v1/contacts/${id}/messages`).set(admin).send({ text: 'hello?' }).expect(409).expect((r) => expect(r.body.code).toBe('contact_ended'));
    });

    it('an agent messaging after wrap-up, completing twice, accepting a closed offer', async () => {
      const agent = { Authorization: `Bearer ${t.token('agent')}` };
      const { workItemId } = await ctx.workItem();
      await t.http.post(`/v1/agent/work-items/${workItemId}/wrap-up`).set(agent).send({}).expect(200);
      await t.http.post(`/v1/agent/work-items/${workItemId}/messages`).set(agent).send({ text: 'one more thing' }).expect(409).expect((r) => expect(r.body.code).toBe('not_in_conversation'));
      await t.http.post(`/v1/agent/work-items/${workItemId}/complete`).set(agent).send({ outcome: 'resolved' }).expect(200);
      const twice = await t.http.post(`/v1/agent/work-items/${workItemId}/complete`).set(agent).send({ outcome: 'resolved' }).expect(409);
      expect(twice.body.message).toMatch(/expected assigned or wrapping|does not hold/);
      const { offerId } = await ctx.workItem('offered');
      await t.http.post(`/v1/agent/offers/${offerId}/reject`).set(agent).send({}).expect(200);
      await t.http.post(`/v1/agent/offers/${offerId}/accept`).set(agent).send({}).expect(409).expect((r) => expect(r.body.message).toMatch(/already rejected/));
    });

    it('an agent acting on another agent\'s work gets 404, as if it did not exist', async () => {
      const other = { Authorization: `Bearer ${t.token('agent', { agentId: 'agent-eve' })}` };
      const { workItemId, offerId } = await ctx.workItem('offered');
      await t.http.post(`/v1/agent/offers/${offerId}/accept`).set(other).send({}).expect(404);
      for (const [method, path, body] of [
        ['get', '', undefined],
        ['post', '/messages', { text: 'hi' }],
        ['post', '/wrap-up', {}],
        ['post', '/complete', { outcome: 'resolved' }],
        ['post', '/transfer', { toQueue: 'matrix-b' }],
      ] as const) {
        let req = t.http[method](`/v1/agent/work-items/${workItemId}${path}`).set(other);
        if (body) req = req.send(body);
        const res = await req;
        expect({ path, status: res.status, code: res.body.code }).toEqual({ path, status: 404, code: 'not_found' });
      }
    });

    it('closing a ticket twice; a transfer naming both a queue and an agent', async () => {
      const supervisor = { Authorization: `Bearer ${t.token('supervisor')}` };
      const ticketId = await ctx.ticket();
      await t.http.post(`/v1/supervisor/tickets/${ticketId}/close`).set(supervisor).send({ status: 'done' }).expect(200);
      await t.http.post(`/v1/supervisor/tickets/${ticketId}/close`).set(supervisor).send({ status: 'cancelled' }).expect(409);
      const { workItemId } = await ctx.workItem('queued');
      const both = await t.http.post(`/v1/supervisor/work-items/${workItemId}/transfer`).set(supervisor).send({ toQueue: 'matrix-b', toAgentId: 'agent-eve' }).expect(400);
      expect(both.body.message).toBe('body.toQueue: name exactly one of toQueue or toAgentId');
      const nowhere = await t.http.post(`/v1/supervisor/work-items/${workItemId}/transfer`).set(supervisor).send({ toQueue: 'no-such-queue' }).expect(404);
      expect(nowhere.body.message).toContain('no-such-queue');
    });

    it('a contacts page token that is not one', async () => {
      const res = await t.http.get('/v1/contacts?pageToken=bm90LWEtdG9rZW4.c2lnbmF0dXJlLW5vdC1yZWFs').set('Authorization', `Bearer ${t.token('supervisor')}`).expect(400);
      expect(res.body.message).toMatch(/^query\.pageToken/);
    });

    it('listing contacts by the status "unknown" (a status the API reports, not one Temporal can filter on; found by the fuzz test)', async () => {
      const res = await t.http.get('/v1/contacts?status=unknown').set('Authorization', `Bearer ${t.token('supervisor')}`).expect(400);
      expect(res.body.message).toMatch(/^query\.status/);
      await t.http.get('/v1/contacts?status=timed_out').set('Authorization', `Bearer ${t.token('supervisor')}`).expect(200);
    });

    it('changing the input schema of a registered activity version', async () => {
      const service = { Authorization: `Bearer ${t.token('service')}` };
      const { body } = await ROUTES.find((r) => r.key === 'PUT /v1/catalog/activities/:name')!.request(ctx);
      await t.http.put('/v1/catalog/activities/orders.lookup').set(service).send(body as object).expect(200);
      const changed = { ...(body as object), inputSchema: { type: 'object', properties: { id: { type: 'integer' } } } };
      const res = await t.http.put('/v1/catalog/activities/orders.lookup').set(service).send(changed).expect(409);
      expect(res.body).toMatchObject({ code: 'activity_contract_changed', message: expect.stringContaining('register the change as version 2') });
    });
  });
});
