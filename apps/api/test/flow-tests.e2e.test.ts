import type { FlowDocumentInput, FlowTestInput } from '@tandem/flow';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * start → greet → ask ("Do you want a person?", waits 4 s) → route: "person" → agents (support) → done;
 * otherwise → bye; silence → gone. No bot: what it says does not depend on language understanding.
 */
function deliFlow(id: string, tests: FlowTestInput[]): FlowDocumentInput {
  return {
    id,
    name: 'Deli',
    channels: ['chat'],
    variables: [{ name: 'answer', type: 'string' }],
    nodes: [
      { id: 'start', type: 'start', config: {} },
      { id: 'greet', type: 'message', label: 'Greeting', config: { text: 'Welcome to the deli, {{customer.name}}.' } },
      { id: 'ask', type: 'wait', label: 'Ask', config: { mode: 'reply', prompt: 'Do you want a person?', saveReplyAs: 'answer', timeoutSeconds: 4 } },
      { id: 'route', type: 'decision', config: { rules: [{ id: 'person', condition: 'ctx.answer.contains("person")' }] } },
      { id: 'agents', type: 'escalate', label: 'Deli agents', config: { queue: 'support', sla: { targetSeconds: 60 } } },
      { id: 'bye', type: 'end', config: { outcome: 'resolved_by_bot', message: 'Goodbye!' } },
      { id: 'done', type: 'end', config: { outcome: 'resolved_by_human' } },
      { id: 'gone', type: 'end', config: { outcome: 'abandoned' } },
    ],
    edges: [
      { id: 'e1', source: 'start', sourcePort: 'next', target: 'greet' },
      { id: 'e2', source: 'greet', sourcePort: 'next', target: 'ask' },
      { id: 'e3', source: 'ask', sourcePort: 'reply', target: 'route' },
      { id: 'e4', source: 'ask', sourcePort: 'timeout', target: 'gone' },
      { id: 'e5', source: 'route', sourcePort: 'person', target: 'agents' },
      { id: 'e6', source: 'route', sourcePort: 'default', target: 'bye' },
      { id: 'e7', source: 'agents', sourcePort: 'resolved', target: 'done' },
      { id: 'e8', source: 'agents', sourcePort: 'timeout', target: 'gone' },
      { id: 'e9', source: 'agents', sourcePort: 'abandoned', target: 'gone' },
      { id: 'e10', source: 'agents', sourcePort: 'transferred', target: 'gone' },
    ],
    tests,
  };
}

const goodbye: FlowTestInput = {
  id: 'goodbye',
  name: 'No thanks: the bot says goodbye',
  customer: { name: 'Ada' },
  afterStart: { at: 'ask', says: ['Welcome to the deli, Ada', 'Do you want a person?'] },
  turns: [{ kind: 'customer', text: 'no thanks', expect: { outcome: 'resolved_by_bot', says: ['Goodbye'], exits: [{ node: 'route', port: 'default' }] } }],
  expect: { notVisited: ['agents'], variables: { answer: 'no thanks' } },
};

const person: FlowTestInput = {
  id: 'person',
  name: 'A person takes it and resolves it',
  turns: [
    { kind: 'customer', text: 'yes, a person please', expect: { handledBy: 'queue', queue: 'support', at: 'agents', handoff: { trigger: 'human_request' } } },
    { kind: 'agent_accept' },
    { kind: 'agent_message', text: 'Hi, this is the deli team.' },
    { kind: 'agent_resolve', outcome: 'resolved', tags: ['deli'], expect: { outcome: 'resolved_by_human' } },
  ],
  expect: { visited: ['agents', 'done'], saysNot: ['Goodbye'] },
};

const silence: FlowTestInput = {
  id: 'silence',
  name: 'Silence ends the contact',
  turns: [{ kind: 'quiet', seconds: 5, expect: { outcome: 'abandoned', exits: [{ node: 'ask', port: 'timeout' }] } }],
};

/** Wrong on purpose: a request for a person does not end with a goodbye. */
const wrong: FlowTestInput = {
  id: 'wrong',
  name: 'Expects a goodbye after asking for a person',
  turns: [{ kind: 'customer', text: 'a person, please', expect: { says: ['Goodbye'] } }],
};

describe('flow tests: run on the real worker as sandbox contacts, and at publishing', () => {
  let t: TestApp;
  let designer: { Authorization: string };
  let admin: { Authorization: string };
  beforeAll(async () => {
    t = await startTestApp({}, { worker: true });
    designer = { Authorization: `Bearer ${t.token('designer', { subject: 'dana@example.com' })}` };
    admin = { Authorization: `Bearer ${t.token('admin', { subject: 'root@example.com' })}` };
    await t.http.put('/v1/catalog/queues/support').set(admin).send({ description: 'Support', slaTargetSeconds: 60 }).expect(201);
  }, 60_000);
  afterAll(() => t?.close());

  it('plays every test as a conversation and reports each test and turn, naming what did not hold', async () => {
    await t.http.post('/v1/flows').set(designer).send(deliFlow('deli', [goodbye, person, silence, wrong])).expect(201);
    const { body: run } = await t.http.post('/v1/flows/deli/tests/run').set(designer).send({}).expect(200);
    const byId = Object.fromEntries(run.tests.map((r: { testId: string }) => [r.testId, r]));
    expect({ flowId: run.flowId, version: run.version, passed: run.passed, summary: run.summary }).toEqual({
      flowId: 'deli',
      version: 'draft',
      passed: false,
      summary: { total: 4, passed: 3, failed: 1, errors: 0, skipped: 0 },
    });
    for (const id of ['goodbye', 'person', 'silence']) expect({ id, status: byId[id].status, failure: byId[id].failure }).toEqual({ id, status: 'passed', failure: null });

    expect(byId.goodbye.turns.map((turn: { kind: string; status: string }) => [turn.kind, turn.status])).toEqual([
      ['start', 'passed'],
      ['turn', 'passed'],
      ['end', 'passed'],
    ]);
    expect(byId.goodbye.turns[0]).toMatchObject({ said: ['Welcome to the deli, Ada.', 'Do you want a person?'], steps: ['ask'], handledBy: 'bot' });
    // A request for a person at a step that waits for the customer goes straight to the person (the escape hatch).
    expect(byId.person.path).toEqual(['start', 'greet', 'ask', 'agents', 'done']);
    expect(byId.person.outcome).toBe('resolved_by_human');
    expect(byId.person.transcript).toContainEqual(expect.objectContaining({ from: 'agent', text: 'Hi, this is the deli team.', agentId: 'flow-tests' }));

    expect(byId.wrong).toMatchObject({ status: 'failed', failure: { turn: 1, label: 'customer: “a person, please”' } });
    expect(byId.wrong.failure.message).toMatch(/expected: says “Goodbye” — but said/);
    expect(byId.wrong.turns.map((turn: { status: string }) => turn.status)).toEqual(['passed', 'failed', 'not_run']);

    // Sandbox contacts stay out of the contacts list.
    const contacts = await t.http.get('/v1/contacts?flowId=deli').set(admin).expect(200);
    expect(contacts.body.items).toEqual([]);
  }, 120_000);

  it('runs the tests named, refuses names it does not know, and a draft that does not compile', async () => {
    const one = await t.http.post('/v1/flows/deli/tests/run').set(designer).send({ tests: ['silence'] }).expect(200);
    expect(one.body.tests.map((r: { testId: string; status: string }) => [r.testId, r.status])).toEqual([['silence', 'passed']]);
    await t.http.post('/v1/flows/deli/tests/run').set(designer).send({ tests: ['nope'] }).expect(404);
    await t.http.post('/v1/flows/deli/tests/run').set({ Authorization: `Bearer ${t.token('agent')}` }).send({}).expect(403);
    await t.http.post('/v1/flows/deli/tests/run').set({ Authorization: `Bearer ${t.token('service')}` }).send({ tests: ['goodbye'] }).expect(200);

    const broken = deliFlow('broken-deli', [goodbye]);
    broken.edges = broken.edges!.filter((e) => e.id !== 'e4');
    await t.http.post('/v1/flows').set(designer).send(broken).expect(201);
    const refused = await t.http.post('/v1/flows/broken-deli/tests/run').set(designer).send({}).expect(409);
    expect(refused.body.code).toBe('flow_invalid');
  }, 60_000);

  it('refuses to publish while a test fails, naming the test and turn; an admin may override with a reason the version keeps', async () => {
    const refused = await t.http.post('/v1/flows/deli/publish').set(designer).send({ note: 'first cut' }).expect(409);
    expect(refused.body.code).toBe('flow_tests_failed');
    expect(refused.body.message).toMatch(/1 of 4 test\(s\) failed — “Expects a goodbye after asking for a person”, turn 1 \(customer: “a person, please”\): expected: says “Goodbye”/);
    expect(refused.body.details).toMatchObject({ overridable: false, run: { passed: false, summary: { failed: 1 } } });
    await t.http.get('/v1/flows/deli/versions').set(designer).expect(200, []);

    const reason = 'The goodbye test is being rewritten; ship the greeting now.';
    await t.http.post('/v1/flows/deli/publish').set(designer).send({ testOverride: { reason } }).expect(403);
    const asAdmin = await t.http.post('/v1/flows/deli/publish').set(admin).send({ note: 'override', testOverride: { reason } }).expect(201);
    expect(asAdmin.body).toMatchObject({
      version: 1,
      tests: { total: 4, passed: 3, failed: 1, skipped: 0, override: { reason, by: 'root@example.com', failing: [{ testId: 'wrong', name: 'Expects a goodbye after asking for a person' }] } },
    });
    expect(asAdmin.body.tests.override.failing[0].failure).toMatch(/^turn 1 \(customer: “a person, please”\): expected: says “Goodbye”/);
    const history = await t.http.get('/v1/flows/deli/versions').set(designer).expect(200);
    expect(history.body[0].tests.override.reason).toBe(reason);
    expect((await t.http.get('/v1/flows/deli/versions/1').set(designer).expect(200)).body.tests).toEqual(asAdmin.body.tests);

    // The version's own tests run against its plan.
    const v1 = await t.http.post('/v1/flows/deli/tests/run').set(designer).send({ version: 1, tests: ['wrong'] }).expect(200);
    expect(v1.body).toMatchObject({ version: 1, passed: false });
  }, 180_000);

  it('publishes once the tests pass; editing a test leaves the plan as it was', async () => {
    const { body: flow } = await t.http.get('/v1/flows/deli').set(designer).expect(200);
    const before = await t.http.post('/v1/flows/deli/validate').set(designer).send({}).expect(200);
    const fixed = { ...flow.document, tests: [goodbye, person, silence, { ...wrong, name: 'A request for a person is not a goodbye', turns: [{ kind: 'customer', text: 'a person, please', expect: { saysNot: ['Goodbye'], handledBy: 'queue' } }] }] };
    await t.http.put('/v1/flows/deli').set(designer).send({ revision: flow.revision, document: fixed }).expect(200);
    const after = await t.http.post('/v1/flows/deli/validate').set(designer).send({}).expect(200);
    expect(after.body.planHash).toBe(before.body.planHash);

    const published = await t.http.post('/v1/flows/deli/publish').set(designer).send({ note: 'tests fixed' }).expect(201);
    expect(published.body).toMatchObject({ version: 2, hash: before.body.planHash, tests: { total: 4, passed: 4, failed: 0, override: null } });
    const diff = await t.http.get('/v1/flows/deli/diff?from=1&to=2').set(designer).expect(200);
    expect(diff.body.flow.map((c: { path: string }) => c.path)).toEqual(['tests.wrong']);
  }, 180_000);
});
