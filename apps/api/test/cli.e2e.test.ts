import { createTestDatabase, type TestDatabase } from '@tandem/testkit';
import { runCli } from '../src/cli/cli';
import { startTestApp, TEST_JWT_SECRET, type TestApp } from './support/test-app';

async function cli(env: Record<string, string>, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (s) => (out += s), err: (s) => (err += s), env: { ...process.env, TANDEM_LOG_LEVEL: 'silent', ...env } });
  return { code, out, err };
}

describe('the CLI: migrate, seed-admin, token, api-key', () => {
  let db: TestDatabase;
  let env: Record<string, string>;
  let t: TestApp | undefined;
  beforeAll(async () => {
    db = await createTestDatabase('cli');
    env = { TANDEM_DATABASE_URL: db.url, TANDEM_JWT_SECRET: TEST_JWT_SECRET };
  });
  afterAll(async () => {
    await t?.close();
    await db.drop();
  });

  it('refuses to manage keys before the database is migrated, then migrates it', async () => {
    const early = await cli(env, 'api-key', 'list');
    expect(early.code).toBe(2);
    expect(early.err).toMatch(/pending migrations: run `migrate` first/);
    const migrated = await cli(env, 'migrate');
    expect(migrated).toMatchObject({ code: 0, out: '' });
    expect(migrated.err).toMatch(/ran 1 migration\(s\):\n {2}ApiInit/);
    expect((await cli(env, 'migrate')).err).toBe('the database is up to date\n');
  });

  it('seeds an admin key once, prints only the key on stdout, and rotates on request', async () => {
    const seeded = await cli(env, 'seed-admin');
    expect(seeded.code).toBe(0);
    const key = seeded.out.trim();
    expect(key).toMatch(/^tdm_/);
    expect(seeded.err).toMatch(/shown once/);

    const again = await cli(env, 'seed-admin');
    expect(again).toMatchObject({ code: 0, out: '' });
    expect(again.err).toMatch(/already exists.*--rotate/);

    // The API started on the same database accepts the seeded key as an admin.
    t = await startTestAppOn(db.url);
    await t.http.get('/v1/api-keys').set('X-API-Key', key).expect(200);

    const rotated = await cli(env, 'seed-admin', '--rotate');
    const newKey = rotated.out.trim();
    expect(newKey).not.toBe(key);
    await t.http.get('/v1/api-keys').set('X-API-Key', key).expect(401);
    await t.http.get('/v1/api-keys').set('X-API-Key', newKey).expect(200);
  });

  it('issues a token the API accepts, with the agent id for agents', async () => {
    const issued = await cli(env, 'token', '--subject', 'ana@example.com', '--role', 'agent', '--ttl', '8h');
    expect(issued.code).toBe(0);
    expect(issued.err).toMatch(/expires/);
    const me = await t!.http.get('/v1/auth/me').set('Authorization', `Bearer ${issued.out.trim()}`).expect(200);
    expect(me.body).toMatchObject({ subject: 'ana@example.com', roles: ['agent'], agentId: 'ana@example.com' });
  });

  it('creates, lists and revokes API keys', async () => {
    const created = await cli(env, 'api-key', 'create', '--name', 'crm', '--role', 'service', 'designer');
    expect(created.code).toBe(0);
    const listed = JSON.parse((await cli(env, 'api-key', 'list')).out) as { id: string; name: string; roles: string[] }[];
    const crm = listed.find((k) => k.name === 'crm')!;
    expect(crm.roles).toEqual(['service', 'designer']);
    expect(JSON.stringify(listed)).not.toContain(created.out.trim());
    await t!.http.get('/v1/flows').set('X-API-Key', created.out.trim()).expect(200);
    expect((await cli(env, 'api-key', 'revoke', crm.id)).code).toBe(0);
    await t!.http.get('/v1/flows').set('X-API-Key', created.out.trim()).expect(401);
    expect(await cli(env, 'api-key', 'revoke', crm.id)).toMatchObject({ code: 2, err: expect.stringMatching(/already revoked/) });
  });

  it('explains mistakes with exit code 2', async () => {
    expect(await cli(env, 'token', '--subject', 'x', '--role', 'wizard')).toMatchObject({ code: 2, err: expect.stringMatching(/--role: Invalid option: expected one of "designer"\|"agent"/) });
    expect(await cli(env, 'token', '--subject', 'x', '--role', 'designer', '--ttl', 'forever')).toMatchObject({ code: 2, err: expect.stringMatching(/--ttl: expected a duration/) });
    expect(await cli(env, 'token', '--role', 'designer')).toMatchObject({ code: 2, err: expect.stringMatching(/required option '-s, --subject/) });
    expect(await cli(env, 'api-key', 'revoke', 'nope')).toMatchObject({ code: 2, err: expect.stringMatching(/expected an API key id/) });
    expect(await cli({ ...env, TANDEM_DATABASE_URL: 'mysql://x' }, 'migrate')).toMatchObject({ code: 2, err: expect.stringMatching(/TANDEM_DATABASE_URL: expected a postgres/) });
    expect(await cli(env, 'frobnicate')).toMatchObject({ code: 2, err: expect.stringMatching(/unknown command 'frobnicate'/) });
  });
});

/** The API on an existing database (the CLI's), not a fresh one. */
async function startTestAppOn(url: string): Promise<TestApp> {
  return startTestApp({ TANDEM_DATABASE_URL: url });
}
