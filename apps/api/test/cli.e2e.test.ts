import { EXAMPLE_FLOWS } from '@tandem/flow';
import { createTestDatabase, type TestDatabase, uniqueName } from '@tandem/testkit';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SeedReport } from '../src/seed/seed';
import { runCli } from '../src/cli/cli';
import { defaultDatabaseParts } from '../src/database/data-source';
import { dropDatabase, startTestApp, TEST_JWT_SECRET, type TestApp } from './support/test-app';

async function cli(env: Record<string, string>, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (s) => (out += s), err: (s) => (err += s), env: { ...process.env, TANDEM_LOG_LEVEL: 'silent', ...env } });
  return { code, out, err };
}

describe('the CLI: migrate, seed-admin, token, seed, api-key', () => {
  let db: TestDatabase;
  let env: Record<string, string>;
  let t: TestApp | undefined;
  beforeAll(async () => {
    db = await createTestDatabase('cli');
    env = { TANDEM_DATABASE_URL: db.url, TANDEM_JWT_SECRET: TEST_JWT_SECRET };
  });
  afterAll(async () => {
    await t?.close();
    await dropDatabase(db);
  });

  it('refuses to manage keys before the database is migrated, then migrates it', async () => {
    const early = await cli(env, 'api-key', 'list');
    expect(early.code).toBe(2);
    expect(early.err).toMatch(/pending migrations: run `migrate` first/);
    const migrated = await cli(env, 'migrate');
    expect(migrated).toMatchObject({ code: 0, out: '' });
    // Every migration of the parts the API composes (its own, routing's, events'), however many they add.
    const all = defaultDatabaseParts().flatMap((part) => part.migrations as (new () => unknown)[]).map((m) => m.name);
    expect(migrated.err).toMatch(new RegExp(`^ran ${all.length} migration\\(s\\):\n`));
    for (const name of [...all, 'CreateRouting', 'ApiInit', 'CreateTickets', 'EventsInitialSchema', 'ApiRoutingAndEvents']) expect(migrated.err).toContain(name);
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

  it('seeds the examples once: queues, calendar, built-in activities, agents, published flows, and tokens the API accepts', async () => {
    const tokensFile = path.join(os.tmpdir(), `${uniqueName('tokens')}.json`);
    const first = await cli(env, 'seed', '--json', '--tokens-file', tokensFile);
    expect(first.err).toContain(`tokens written to ${tokensFile}`);
    expect(first.code).toBe(0);
    const report = JSON.parse(first.out) as SeedReport;
    expect(report.flows).toEqual(EXAMPLE_FLOWS.map((id) => ({ id, version: 1, published: true, created: true })));
    expect(report.queues.map((q) => q.name).sort()).toEqual(['back-office', 'billing', 'billing-overflow', 'complaints', 'support', 'support-overflow']);
    expect(report.queues.every((q) => q.created)).toBe(true);
    expect(report.agents).toEqual([{ id: 'alice', created: true }, { id: 'bob', created: true }, { id: 'carol', created: true }]);
    expect(report.activities.map((a) => a.name).sort()).toEqual(['draft_email_reply', 'http.request', 'orders.lookup']);
    expect(report.calendars).toEqual([{ name: 'support-hours', created: true }]);

    const again = JSON.parse((await cli(env, 'seed', '--json')).out) as SeedReport;
    expect(again.flows.every((f) => !f.published && f.version === 1)).toBe(true);
    expect([...again.queues, ...again.agents, ...again.calendars].some((x) => x.created)).toBe(false);
    expect(again.activities.every((a) => a.status === 'unchanged')).toBe(true);

    const tokens = JSON.parse(fs.readFileSync(tokensFile, 'utf8')) as SeedReport['tokens'];
    fs.rmSync(tokensFile);
    const flows = await t!.http.get('/v1/flows').set('Authorization', `Bearer ${tokens.designer.token}`).expect(200);
    expect(flows.body.total).toBe(5);
    // Seeded before any worker runs: the version says its tests were not run, rather than waiting on them.
    const history = await t!.http.get('/v1/flows/ai-first-human-backup/versions').set('Authorization', `Bearer ${tokens.designer.token}`).expect(200);
    expect(history.body[0]).toMatchObject({ version: 1, tests: null, note: expect.stringMatching(/tests not run at seeding; run them from the Tests tab/) });
    const alice = tokens.agents.find((a) => a.agentId === 'alice')!;
    expect((await t!.http.get('/v1/agent').set('Authorization', `Bearer ${alice.token}`).expect(200)).body).toMatchObject({ id: 'alice', queues: expect.arrayContaining(['support', 'complaints']) });
    const queues = await t!.http.get('/v1/supervisor/queues').set('Authorization', `Bearer ${tokens.supervisor.token}`).expect(200);
    expect(queues.body.find((q: { queue: { name: string } }) => q.queue.name === 'support')).toMatchObject({ queue: { distribution: 'push' }, stats: { waiting: 0 } });
    // The human output prints every token.
    const human = await cli(env, 'seed');
    expect(human.out).toMatch(/designer +ey/);
    expect(human.out).toMatch(/agent bob +ey/);
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
