import fc from 'fast-check';
import type { HandoffPackage } from '@tandem/contracts';
import {
  checkExpectations,
  compileFlow,
  EXAMPLE_FLOWS,
  exampleResolver,
  describeTurn,
  exitsTaken,
  type FlowTestExpectations,
  type FlowTestGraph,
  flowTestGraph,
  type FlowTestObservation,
  flowDocumentSchema,
  flowTestSchema,
  hasExpectations,
} from '../src';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { resolver } from './fixtures/diagnostic-cases';
import { end, flowDoc, start, wait } from './helpers';

/** start → ask (waits for a reply) → done | gave-up. */
const doc = flowDoc(
  [start(), { ...wait('ask'), label: 'Ask' }, end('done'), end('gave-up', 'abandoned')],
  [
    ['start', 'next', 'ask'],
    ['ask', 'reply', 'done'],
    ['ask', 'timeout', 'gave-up'],
  ],
);

const graph: FlowTestGraph = flowTestGraph(flowDocumentSchema.parse(doc));

const seen = (extra: Partial<FlowTestObservation> = {}): FlowTestObservation => ({
  path: ['start', 'ask', 'done'],
  steps: [],
  handledBy: 'ended',
  outcome: 'resolved_by_bot',
  queue: null,
  handoff: null,
  said: ['How can I help?', 'Thanks,   have a great   day!'],
  ctx: { count: 2, tags: ['a', 'b'] },
  ...extra,
});

const failed = (checks: ReturnType<typeof checkExpectations>) => checks.filter((c) => !c.passed);

describe('flow tests: the format', () => {
  it('fills in a customer, no turns and no end expectations', () => {
    const test = flowTestSchema.parse({ id: 't1', name: 'Opens', firstMessage: 'hi' });
    expect(test).toEqual({ id: 't1', name: 'Opens', firstMessage: 'hi', customer: { id: 'test-customer', tier: 'standard', authenticated: false, attributes: {} }, turns: [], expect: {} });
  });

  it('knows every kind of turn, with an agent resolving as "resolved" without tags unless told', () => {
    const test = flowTestSchema.parse({
      id: 't',
      name: 'All turns',
      turns: [
        { kind: 'customer', text: 'hello' },
        { kind: 'agent_accept' },
        { kind: 'agent_message', text: 'Hi, I am Ana' },
        { kind: 'agent_transfer', queue: 'billing' },
        { kind: 'agent_resolve' },
        { kind: 'quiet', seconds: 5 },
      ],
    });
    expect(test.turns[4]).toEqual({ kind: 'agent_resolve', outcome: 'resolved', tags: [] });
    expect(test.turns.map(describeTurn)).toEqual([
      'customer: “hello”',
      'the agent accepts',
      'agent: “Hi, I am Ana”',
      'the agent transfers it to billing',
      'the agent resolves it (resolved)',
      'the customer stays quiet for 5 s',
    ]);
  });

  it('refuses what it does not know, with the path of the problem', () => {
    const bad = (test: unknown) => flowTestSchema.safeParse(test).error?.issues[0]?.path;
    expect(bad({ id: 't', name: 'x', turns: [{ kind: 'customer' }] })).toEqual(['turns', 0, 'text']);
    expect(bad({ id: 't', name: 'x', turns: [{ kind: 'dance' }] })).toEqual(['turns', 0, 'kind']);
    expect(bad({ id: 't', name: 'x', turns: [{ kind: 'quiet', seconds: 301 }] })).toEqual(['turns', 0, 'seconds']);
    expect(bad({ id: 't', name: 'x', expect: { visted: ['a'] } })).toEqual(['expect']);
    expect(bad({ id: 't', name: 'x', clock: { time: '25:00' } })).toEqual(['clock', 'time']);
    expect(bad({ id: 't', name: 'x', clock: { timezone: 'Mars/Olympus' } })).toEqual(['clock', 'timezone']);
    expect(bad({ id: 'bad id', name: 'x' })).toEqual(['id']);
  });

  it('is stored with the flow (default none) but is no part of its plan: editing a test keeps the plan hash', () => {
    expect(flowDocumentSchema.parse(doc).tests).toEqual([]);
    const without = compileFlow(doc, resolver);
    const withTests = compileFlow({ ...doc, tests: [{ id: 't1', name: 'Asks', firstMessage: 'hi', expect: { at: 'ask' } }] }, resolver);
    const edited = compileFlow({ ...doc, tests: [{ id: 't1', name: 'Asks, renamed', firstMessage: 'hello', turns: [{ kind: 'customer', text: 'yes' }], expect: { visited: ['done'] } }] }, resolver);
    if (!without.ok || !withTests.ok || !edited.ok) throw new Error('does not compile');
    expect(withTests.plan.hash).toBe(without.plan.hash);
    expect(edited.plan.hash).toBe(without.plan.hash);
    expect(JSON.stringify(edited.plan)).not.toContain('renamed');
  });

  it.each(EXAMPLE_FLOWS)('ships with the %s example: tests that name its steps, exits and variables (no diagnostics)', (name) => {
    const document = flowDocumentSchema.parse(JSON.parse(readFileSync(path.join(__dirname, '..', 'examples', `${name}.json`), 'utf8')));
    expect(document.tests.length).toBeGreaterThan(0);
    expect(compileFlow(document, exampleResolver).diagnostics).toEqual([]);
  });

  it('tells whether expectations name anything at all', () => {
    expect(hasExpectations(undefined)).toBe(false);
    expect(hasExpectations({})).toBe(false);
    expect(hasExpectations({ visited: [], variables: {}, handoff: {} })).toBe(false);
    expect(hasExpectations({ handledBy: 'bot' })).toBe(true);
  });
});

describe('flow tests: checking expectations', () => {
  it('passes what happened and fails what did not, one check per item', () => {
    const checks = checkExpectations({ visited: ['ask', 'gave-up'], notVisited: ['gave-up', 'done'], outcome: 'resolved_by_bot', handledBy: 'bot' }, seen(), graph);
    expect(checks.map((c) => [c.field, c.passed])).toEqual([
      ['visited', true],
      ['visited', false],
      ['notVisited', true],
      ['notVisited', false],
      ['handledBy', false],
      ['outcome', true],
    ]);
    expect(failed(checks)[0]).toEqual({ field: 'visited', passed: false, expected: 'goes through “gave-up”', actual: 'path: start → Ask → done' });
    expect(failed(checks)[2]).toMatchObject({ expected: 'handled by bot', actual: 'handled by ended' });
  });

  it('reads where the contact is, and an outcome only once it ended', () => {
    const waiting = seen({ path: ['start', 'ask'], steps: ['ask'], handledBy: 'bot', outcome: null });
    expect(failed(checkExpectations({ at: 'ask', handledBy: 'bot' }, waiting, graph))).toEqual([]);
    expect(failed(checkExpectations({ outcome: 'abandoned' }, waiting, graph))).toEqual([
      { field: 'outcome', passed: false, expected: 'ends abandoned', actual: 'has not ended (path: start → Ask)' },
    ]);
    expect(failed(checkExpectations({ at: 'ask' }, seen(), graph))[0]?.actual).toBe('has ended');
  });

  it('reads the exit a step took, also when branches interleave in the path', () => {
    expect(failed(checkExpectations({ exits: [{ node: 'ask', port: 'reply' }] }, seen(), graph))).toEqual([]);
    expect(failed(checkExpectations({ exits: [{ node: 'ask', port: 'timeout' }] }, seen(), graph))[0]).toMatchObject({ expected: 'leaves “Ask” by “timeout”', actual: 'left “Ask” by “reply”' });
    expect(failed(checkExpectations({ exits: [{ node: 'ask', port: 'reply' }] }, seen({ path: ['start', 'ask'] }), graph))[0]?.actual).toBe('has not left “Ask”');
    expect(failed(checkExpectations({ exits: [{ node: 'ask', port: 'reply' }] }, seen({ path: ['start'] }), graph))[0]?.actual).toBe('never reached “Ask”');
    expect(failed(checkExpectations({ exits: [{ node: 'ghost', port: 'next' }] }, seen(), graph))[0]?.actual).toBe('never reached “ghost”');
    // A parallel: the other branch's step comes between a node and where it went.
    expect(exitsTaken(['p', 'a', 'b', 'a2', 'b2'], 'a', { next: 'a2' })).toEqual(['next']);
  });

  it('recovers the exits of any walk through a graph whose exits lead to different steps', () => {
    const graphs = fc.integer({ min: 2, max: 8 }).chain((size) =>
      fc.tuple(
        fc.constant(size),
        // For each node, 1-3 exits to distinct targets.
        fc.array(fc.uniqueArray(fc.integer({ min: 0, max: size - 1 }), { minLength: 1, maxLength: 3 }), { minLength: size, maxLength: size }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 30 }),
      ),
    );
    fc.assert(
      fc.property(graphs, ([, targets, choices]) => {
        const exits = targets.map((ts) => Object.fromEntries(ts.map((t, i) => [`p${i}`, `n${t}`])));
        const path = ['n0'];
        const taken: Record<string, string[]> = {};
        for (const choice of choices) {
          const here = Number(path.at(-1)!.slice(1));
          const ports = Object.keys(exits[here]!);
          const port = ports[choice % ports.length]!;
          (taken[`n${here}`] ??= []).push(port);
          path.push(exits[here]![port]!);
        }
        for (const [node, ports] of Object.entries(taken)) {
          // The last visit of the last node has not left yet.
          expect(exitsTaken(path, node, exits[Number(node.slice(1))]!).slice(0, ports.length)).toEqual(ports);
        }
      }),
    );
  });

  it('finds text the flow said case-insensitively, spaces normalised, and names what it said instead', () => {
    const checks = checkExpectations({ says: ['HAVE a great day', 'goodbye'], saysNot: ['how can i help', 'glad I could help'] }, seen(), graph);
    expect(checks.map((c) => c.passed)).toEqual([true, false, false, true]);
    expect(checks[1]).toMatchObject({ expected: 'says “goodbye”', actual: 'said “How can I help?”, “Thanks,   have a great   day!”' });
    expect(checks[2]).toMatchObject({ expected: 'never says “how can i help”', actual: 'said “How can I help?”' });
  });

  it('compares variables as JSON, key order aside', () => {
    expect(failed(checkExpectations({ variables: { count: 2, tags: ['a', 'b'] } }, seen(), graph))).toEqual([]);
    expect(failed(checkExpectations({ variables: { count: '2', missing: 1 } }, seen(), graph)).map((c) => c.actual)).toEqual(['ctx.count is 2', 'ctx.missing is nothing']);
  });

  it('checks the handoff an agent receives: trigger, intent, stuck step, details, topics, attributes', () => {
    const handoff: HandoffPackage = {
      schemaVersion: 1,
      contactId: 'c1',
      channel: 'chat',
      customer: { id: 'cu', tier: 'vip', authenticated: false, authMethod: 'none' },
      intent: { name: 'order_status', confidence: 0.9 },
      entities: [{ type: 'order_number', value: 'A-1042' }],
      sentiment: { history: [], current: 0, direction: 'stable' },
      topics: ['orders'],
      trigger: { kind: 'human_request', reason: 'asked for a person', evidence: [] },
      stuckAt: { nodeId: 'ask', reason: 'asked for a person' },
      tried: [],
      summary: '',
      transcript: [],
      attributes: { plan: 'gold' },
      createdAt: '2026-12-07T10:00:00.000Z',
    };
    const expectation = { handoff: { trigger: 'human_request', intent: 'order_status', stuckAt: 'ask', entities: [{ type: 'order_number', value: 'a-1042' }], topics: ['orders'], attributes: { plan: 'gold' } } } satisfies FlowTestExpectations;
    expect(failed(checkExpectations(expectation, seen({ handoff, queue: 'support' }), graph))).toEqual([]);
    const wrong = checkExpectations({ handoff: { trigger: null, intent: 'billing', entities: [{ type: 'email' }], attributes: { plan: 'silver' } }, queue: 'billing' }, seen({ handoff, queue: 'support' }), graph);
    expect(failed(wrong).map((c) => c.field)).toEqual(['queue', 'handoff.trigger', 'handoff.intent', 'handoff.entities', 'handoff.attributes']);
    expect(failed(checkExpectations({ handoff: { trigger: 'complaint' } }, seen(), graph))[0]).toMatchObject({ actual: 'no handoff: the contact never went to a person' });
  });
});
