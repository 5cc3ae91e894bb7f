import { startTestApp, type TestApp } from './support/test-app';

describe('auth: bearer JWTs and API keys', () => {
  let t: TestApp;
  let admin: { Authorization: string };
  beforeAll(async () => {
    t = await startTestApp();
    admin = { Authorization: `Bearer ${t.token('admin')}` };
  });
  afterAll(() => t?.close());

  it('issues tokens that carry subject, roles and, for agents, the agent id', async () => {
    const issued = await t.http.post('/v1/auth/tokens').set(admin).send({ subject: 'ana@example.com', roles: ['agent'], ttl: '15m' }).expect(201);
    expect(Date.parse(issued.body.expiresAt) - Date.now()).toBeGreaterThan(14 * 60_000);
    const me = await t.http.get('/v1/auth/me').set('Authorization', `Bearer ${issued.body.token}`).expect(200);
    expect(me.body).toEqual({ kind: 'jwt', subject: 'ana@example.com', roles: ['agent'], agentId: 'ana@example.com', credentialId: issued.body.tokenId });

    const named = await t.http.post('/v1/auth/tokens').set(admin).send({ subject: 'ana@example.com', roles: ['agent', 'supervisor'], agentId: 'agent-ana' }).expect(201);
    expect((await t.http.get('/v1/auth/me').set('Authorization', `Bearer ${named.body.token}`).expect(200)).body).toMatchObject({ roles: ['agent', 'supervisor'], agentId: 'agent-ana' });
    await t.http.post('/v1/auth/tokens').set(admin).send({ subject: 'x', roles: ['agent', 'supervisor'] }).expect(409).expect((r) => expect(r.body.code).toBe('agent_id_required'));
    await t.http.post('/v1/auth/tokens').set(admin).send({ subject: 'x', roles: ['designer'], ttl: '400d' }).expect(400).expect((r) => expect(r.body.message).toMatch(/^body\.ttl: at most 366d/));
  });

  it('refuses tokens that were tampered with, say nothing of roles, or use another algorithm', async () => {
    const [header, payload, signature] = t.token('designer').split('.');
    const elevated = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), roles: ['admin'] })).toString('base64url');
    const forged = await t.http.get('/v1/api-keys').set('Authorization', `Bearer ${header}.${elevated}.${signature}`).expect(401);
    expect(forged.body).toMatchObject({ code: 'invalid_token', message: 'invalid token: invalid signature' });
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${elevated}.`;
    await t.http.get('/v1/api-keys').set('Authorization', `Bearer ${unsigned}`).expect(401).expect((r) => expect(r.body.code).toBe('invalid_token'));
    await t.http.get('/v1/auth/me').set('Authorization', 'Bearer not-a-token').expect(401).expect((r) => expect(r.body.code).toBe('invalid_token'));
  });

  it('creates API keys shown once, authenticates with them, and stops them when revoked', async () => {
    const created = await t.http.post('/v1/api-keys').set(admin).send({ name: 'crm-integration', roles: ['service'] }).expect(201);
    expect(created.body).toMatchObject({ name: 'crm-integration', roles: ['service'], subject: 'apikey:crm-integration', createdBy: 'admin@test', revokedAt: null });
    expect(created.body.key).toMatch(/^tdm_[A-Za-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    expect(created.body.key.startsWith(created.body.prefix)).toBe(true);

    const list = await t.http.get('/v1/api-keys').set(admin).expect(200);
    expect(JSON.stringify(list.body)).not.toContain(created.body.key);
    expect(list.body.find((k: { id: string }) => k.id === created.body.id)).toBeDefined();

    for (const header of [{ Authorization: `Bearer ${created.body.key}` }, { 'X-API-Key': created.body.key }]) {
      const me = await t.http.get('/v1/auth/me').set(header).expect(200);
      expect(me.body).toEqual({ kind: 'api_key', subject: 'apikey:crm-integration', roles: ['service'], credentialId: created.body.id });
    }
    // A service key may read flows, but not design them.
    await t.http.get('/v1/flows').set('X-API-Key', created.body.key).expect(200);
    await t.http.post('/v1/flows').set('X-API-Key', created.body.key).send({}).expect(403);

    const wrongSecret = `${created.body.prefix}_${'A'.repeat(43)}`;
    await t.http.get('/v1/auth/me').set('X-API-Key', wrongSecret).expect(401).expect((r) => expect(r.body.code).toBe('invalid_api_key'));

    await t.http.delete(`/v1/api-keys/${created.body.id}`).set(admin).expect(200);
    const revoked = await t.http.get('/v1/auth/me').set('X-API-Key', created.body.key).expect(401);
    expect(revoked.body).toMatchObject({ code: 'api_key_revoked', message: 'API key "crm-integration" was revoked' });
  });

  it('refuses an expired API key and an agent key without an agent', async () => {
    const soon = new Date(Date.now() + 1500).toISOString();
    const created = await t.http.post('/v1/api-keys').set(admin).send({ name: 'short-lived', roles: ['service'], expiresAt: soon }).expect(201);
    await t.http.get('/v1/auth/me').set('X-API-Key', created.body.key).expect(200);
    const { waitFor } = await import('@tandem/testkit');
    await waitFor(async () => (await t.http.get('/v1/auth/me').set('X-API-Key', created.body.key)).body.code === 'api_key_expired', { what: 'the key to expire', timeoutMs: 5_000, intervalMs: 200 });
    await t.http.post('/v1/api-keys').set(admin).send({ name: 'desk', roles: ['agent'] }).expect(409).expect((r) => expect(r.body.code).toBe('agent_id_required'));
    const agentKey = await t.http.post('/v1/api-keys').set(admin).send({ name: 'desk', roles: ['agent'], agentId: 'agent-bo' }).expect(201);
    expect((await t.http.get('/v1/auth/me').set('X-API-Key', agentKey.body.key).expect(200)).body.agentId).toBe('agent-bo');
  });
});
