import { compileFlow, createStaticResolver, DIAGNOSTIC_CODES, type DiagnosticCode, diagnosticCatalog, type FlowDocumentInput, type FlowNodeInput, type FlowResolver } from '../src';
import { decision, end, type EdgeTuple, flowDoc, linear, message, start, wait } from './helpers';

const resolver = createStaticResolver({
  queues: [{ name: 'support', skills: ['support', 'billing'] }, 'billing'],
  activities: [
    {
      name: 'crm_lookup',
      inputSchema: { type: 'object', properties: { customerId: { type: 'string' }, limit: { type: 'integer' } }, required: ['customerId'] },
    },
  ],
  subflows: [
    { id: 'verify-identity', outcomes: ['verified', 'failed'], inputs: [{ name: 'attempts', type: 'int' }] },
    { id: 'test-flow', outcomes: ['resolved_by_bot'] },
  ],
  calendars: ['support-hours'],
});

/** start → node → end, connecting every listed port of the node to the end. */
function around(node: FlowNodeInput, ports: string[], extra: Partial<FlowDocumentInput> = {}): FlowDocumentInput {
  return flowDoc([start(), node, end()], [['start', 'next', node.id], ...ports.map((p): EdgeTuple => [node.id, p, 'end'])], extra);
}
const escalate = (config: Record<string, unknown>): FlowDocumentInput =>
  around({ id: 'agents', type: 'escalate', config: { queue: 'support', ...config } }, ['resolved', 'timeout', 'abandoned', 'transferred']);
const activity = (config: Record<string, unknown>): FlowDocumentInput => around({ id: 'lookup', type: 'activity', config: { activity: 'crm_lookup', ...config } }, ['success', 'error']);
const subflow = (config: Record<string, unknown>): FlowDocumentInput =>
  around({ id: 'verify', type: 'subflow', config: { flowId: 'verify-identity', ...config } }, ['verified', 'failed']);
const condition = (expression: string): FlowDocumentInput =>
  around(decision('route', [{ id: 'yes', condition: expression }]), ['yes', 'default'], {
    variables: [{ name: 'count', type: 'int' }],
  });
const declared: Partial<FlowDocumentInput> = { variables: [{ name: 'count', type: 'int' }, { name: 'reply', type: 'string' }] };

/** start → p{a,b} → … → join → end, from branch edges. */
function parallelDoc(extraNodes: FlowNodeInput[], edges: EdgeTuple[]): FlowDocumentInput {
  return flowDoc(
    [start(), { id: 'p', type: 'parallel', config: { branches: [{ id: 'a' }, { id: 'b' }] } }, ...extraNodes],
    [['start', 'next', 'p'], ...edges],
  );
}

/** start → ask (a decision) → loop body → back to ask; ask.default → end. */
function loopDoc(body: FlowNodeInput, bodyEdges: EdgeTuple[]): FlowDocumentInput {
  return flowDoc(
    [start(), decision('ask', [{ id: 'again', condition: 'ctx.count < 3' }]), body, end()],
    [['start', 'next', 'ask'], ['ask', 'again', body.id], ['ask', 'default', 'end'], ...bodyEdges],
    { variables: [{ name: 'count', type: 'int' }] },
  );
}

interface Case {
  broken: FlowDocumentInput | (() => FlowDocumentInput);
  fixed: FlowDocumentInput;
  resolver?: FlowResolver;
}

const throwingResolver: FlowResolver = {
  ...resolver,
  queue: () => {
    throw new Error('routing service unreachable');
  },
};

const cases: Record<DiagnosticCode, Case> = {
  FLOW_DOCUMENT_INVALID: { broken: { ...linear(), channels: [] }, fixed: linear() },
  FLOW_DUPLICATE_NODE_ID: {
    broken: flowDoc([start(), message('m'), message('m', 'Again'), end()], [['start', 'next', 'm'], ['m', 'next', 'end']]),
    fixed: linear(message('m'), message('m2', 'Again')),
  },
  FLOW_DUPLICATE_EDGE_ID: {
    broken: () => {
      const doc = linear(message('m'));
      doc.edges![1]!.id = doc.edges![0]!.id;
      return doc;
    },
    fixed: linear(message('m')),
  },
  FLOW_DUPLICATE_VARIABLE: {
    broken: { ...linear(), variables: [{ name: 'a', type: 'int' }, { name: 'a', type: 'string' }] },
    fixed: { ...linear(), variables: [{ name: 'a', type: 'int' }, { name: 'b', type: 'string' }] },
  },
  FLOW_VARIABLE_DEFAULT_INVALID: {
    broken: { ...linear(), variables: [{ name: 'a', type: 'int', default: 1.5 }] },
    fixed: { ...linear(), variables: [{ name: 'a', type: 'int', default: 1 }] },
  },
  FLOW_UNKNOWN_NODE_TYPE: { broken: linear({ id: 'x', type: 'teleport', config: {} }), fixed: linear(message('x')) },
  FLOW_UNKNOWN_NODE_VERSION: { broken: linear({ ...message('x'), typeVersion: 9 }), fixed: linear({ ...message('x'), typeVersion: 1 }) },
  FLOW_CONFIG_INVALID: { broken: linear(message('x', '  ')), fixed: linear(message('x', 'Hi')) },
  FLOW_NO_START: { broken: flowDoc([message('m'), end()], [['m', 'next', 'end']]), fixed: linear(message('m')) },
  FLOW_MULTIPLE_STARTS: {
    broken: flowDoc([start('s1'), start('s2'), end()], [['s1', 'next', 'end'], ['s2', 'next', 'end']]),
    fixed: flowDoc([start('s1'), end()], [['s1', 'next', 'end']]),
  },
  FLOW_CHANNEL_NOT_DECLARED: {
    broken: flowDoc([{ id: 'start', type: 'start', config: { channels: ['voice'] } }, end()], [['start', 'next', 'end']]),
    fixed: flowDoc([{ id: 'start', type: 'start', config: { channels: ['chat'] } }, end()], [['start', 'next', 'end']]),
  },
  FLOW_EDGE_INTO_START: {
    broken: flowDoc([start(), wait('w'), end()], [['start', 'next', 'w'], ['w', 'reply', 'end'], ['w', 'timeout', 'start']]),
    fixed: flowDoc([start(), wait('w'), end()], [['start', 'next', 'w'], ['w', 'reply', 'end'], ['w', 'timeout', 'end']]),
  },
  FLOW_EDGE_UNKNOWN_SOURCE: { broken: flowDoc([start(), end()], [['start', 'next', 'end'], ['ghost', 'next', 'end']]), fixed: linear() },
  FLOW_EDGE_UNKNOWN_TARGET: { broken: flowDoc([start(), end()], [['start', 'next', 'ghost']]), fixed: linear() },
  FLOW_EDGE_UNKNOWN_PORT: { broken: flowDoc([start(), end()], [['start', 'next', 'end'], ['start', 'nope', 'end']]), fixed: linear() },
  FLOW_PORT_MULTIPLE_EDGES: {
    broken: flowDoc([start(), message('m'), end()], [['start', 'next', 'm'], ['start', 'next', 'end'], ['m', 'next', 'end']]),
    fixed: linear(message('m')),
  },
  FLOW_PORT_UNCONNECTED: { broken: flowDoc([start(), message('m'), end()], [['start', 'next', 'm']]), fixed: linear(message('m')) },
  FLOW_NODE_UNREACHABLE: {
    broken: flowDoc([start(), message('stray'), end()], [['start', 'next', 'end'], ['stray', 'next', 'end']]),
    fixed: linear(message('stray')),
  },
  FLOW_PARALLEL_NO_JOIN: {
    broken: parallelDoc(
      [message('m1'), message('m2'), { id: 'j', type: 'join', config: {} }, end()],
      [['p', 'a', 'm1'], ['p', 'b', 'm2'], ['m1', 'next', 'j'], ['j', 'next', 'end']],
    ),
    fixed: parallelDoc(
      [message('m1'), message('m2'), { id: 'j', type: 'join', config: {} }, end()],
      [['p', 'a', 'm1'], ['p', 'b', 'm2'], ['m1', 'next', 'j'], ['m2', 'next', 'j'], ['j', 'next', 'end']],
    ),
  },
  FLOW_PARALLEL_MULTIPLE_JOINS: {
    broken: parallelDoc(
      [{ id: 'j1', type: 'join', config: {} }, { id: 'j2', type: 'join', config: {} }, end('e1'), end('e2')],
      [['p', 'a', 'j1'], ['p', 'b', 'j2'], ['j1', 'next', 'e1'], ['j2', 'next', 'e2']],
    ),
    fixed: parallelDoc([{ id: 'j1', type: 'join', config: {} }, end('e1')], [['p', 'a', 'j1'], ['p', 'b', 'j1'], ['j1', 'next', 'e1']]),
  },
  FLOW_PARALLEL_BRANCH_ESCAPES: {
    broken: parallelDoc([{ id: 'j', type: 'join', config: {} }, end('e1'), end('e2')], [['p', 'a', 'j'], ['p', 'b', 'e2'], ['j', 'next', 'e1']]),
    fixed: parallelDoc([{ id: 'j', type: 'join', config: {} }, end('e1')], [['p', 'a', 'j'], ['p', 'b', 'j'], ['j', 'next', 'e1']]),
  },
  FLOW_JOIN_WITHOUT_PARALLEL: { broken: linear({ id: 'j', type: 'join', config: {} }), fixed: linear(message('j')) },
  FLOW_JOIN_SHARED: {
    broken: flowDoc(
      [
        start(),
        decision('d', [{ id: 'x', condition: 'nlu.confidence > 0.5' }]),
        { id: 'p1', type: 'parallel', config: { branches: [{ id: 'a' }, { id: 'b' }] } },
        { id: 'p2', type: 'parallel', config: { branches: [{ id: 'c' }, { id: 'd' }] } },
        { id: 'j', type: 'join', config: {} },
        end(),
      ],
      [['start', 'next', 'd'], ['d', 'x', 'p1'], ['d', 'default', 'p2'], ['p1', 'a', 'j'], ['p1', 'b', 'j'], ['p2', 'c', 'j'], ['p2', 'd', 'j'], ['j', 'next', 'end']],
    ),
    fixed: flowDoc(
      [
        start(),
        decision('d', [{ id: 'x', condition: 'nlu.confidence > 0.5' }]),
        { id: 'p1', type: 'parallel', config: { branches: [{ id: 'a' }, { id: 'b' }] } },
        { id: 'p2', type: 'parallel', config: { branches: [{ id: 'c' }, { id: 'd' }] } },
        { id: 'j', type: 'join', config: {} },
        { id: 'j2', type: 'join', config: {} },
        end(),
        end('end2'),
      ],
      [['start', 'next', 'd'], ['d', 'x', 'p1'], ['d', 'default', 'p2'], ['p1', 'a', 'j'], ['p1', 'b', 'j'], ['p2', 'c', 'j2'], ['p2', 'd', 'j2'], ['j', 'next', 'end'], ['j2', 'next', 'end2']],
    ),
  },
  FLOW_CYCLE_WITHOUT_WAIT: {
    broken: loopDoc({ id: 'inc', type: 'set', config: { assignments: [{ variable: 'count', value: 'ctx.count + 1' }], maxVisits: 5 } }, [['inc', 'next', 'ask']]),
    fixed: loopDoc(wait('inc', { maxVisits: 5 }), [['inc', 'reply', 'ask'], ['inc', 'timeout', 'end']]),
  },
  FLOW_CYCLE_UNBOUNDED: {
    broken: loopDoc(wait('w'), [['w', 'reply', 'ask'], ['w', 'timeout', 'end']]),
    fixed: loopDoc(wait('w', { maxVisits: 3 }), [['w', 'reply', 'ask'], ['w', 'timeout', 'end']]),
  },
  FLOW_LOOP_EXIT_UNKNOWN: {
    broken: linear({ ...message('m'), config: { text: 'Hi', maxVisits: 2, onMaxVisits: 'nope' } }),
    fixed: linear({ ...message('m'), config: { text: 'Hi', maxVisits: 2, onMaxVisits: 'next' } }),
  },
  FLOW_LOOP_EXIT_INSIDE_LOOP: {
    broken: loopDoc(wait('w', { maxVisits: 3, onMaxVisits: 'reply' }), [['w', 'reply', 'ask'], ['w', 'timeout', 'end']]),
    fixed: loopDoc(wait('w', { maxVisits: 3, onMaxVisits: 'timeout' }), [['w', 'reply', 'ask'], ['w', 'timeout', 'end']]),
  },
  FLOW_UNKNOWN_QUEUE: { broken: escalate({ queue: 'nowhere' }), fixed: escalate({ queue: 'support' }) },
  FLOW_UNKNOWN_ACTIVITY: { broken: activity({ activity: 'nope' }), fixed: activity({ input: { customerId: 'customer.id' } }) },
  FLOW_UNKNOWN_SUBFLOW: { broken: subflow({ flowId: 'nope' }), fixed: subflow({}) },
  FLOW_UNKNOWN_CALENDAR: {
    broken: around({ id: 'hours', type: 'schedule', config: { calendar: { kind: 'named', name: 'nope' } } }, ['open', 'closed']),
    fixed: around({ id: 'hours', type: 'schedule', config: { calendar: { kind: 'named', name: 'support-hours' } } }, ['open', 'closed']),
  },
  FLOW_UNKNOWN_SKILL: { broken: escalate({ requiredSkills: [{ skill: 'klingon' }] }), fixed: escalate({ requiredSkills: [{ skill: 'billing', minLevel: 3 }] }) },
  FLOW_UNKNOWN_VARIABLE: {
    broken: { ...linear({ id: 's', type: 'set', config: { assignments: [{ variable: 'nope', value: '1' }] } }), ...declared },
    fixed: { ...linear({ id: 's', type: 'set', config: { assignments: [{ variable: 'count', value: '1' }] } }), ...declared },
  },
  FLOW_VARIABLE_TYPE_MISMATCH: {
    broken: { ...around(wait('w', { saveReplyAs: 'count' }), ['reply', 'timeout']), ...declared },
    fixed: { ...around(wait('w', { saveReplyAs: 'reply' }), ['reply', 'timeout']), ...declared },
  },
  FLOW_EXPR_SYNTAX: { broken: condition('nlu.confidence <'), fixed: condition('nlu.confidence < 0.5') },
  FLOW_EXPR_TYPE: { broken: condition('nlu.confidance < 0.5'), fixed: condition('nlu.confidence < 0.5') },
  FLOW_EXPR_RESULT_TYPE: { broken: condition('nlu.confidence'), fixed: condition('nlu.confidence > 0.8') },
  FLOW_EXPR_LIVE_DATA_ARG: { broken: condition('queue.ewt(customer.tier) > 60.0'), fixed: condition('queue.ewt("billing") > 60.0') },
  FLOW_EXPR_UNSUPPORTED: { broken: condition('b"abc".base64() == "YWJj"'), fixed: condition('b"abc".size() == 3') },
  FLOW_TEMPLATE_SYNTAX: { broken: linear(message('m', 'Hello {{customer.name')), fixed: linear(message('m', 'Hello {{customer.name}}')) },
  FLOW_ACTIVITY_INPUT_UNKNOWN: {
    broken: activity({ input: { customerId: 'customer.id', colour: '"blue"' } }),
    fixed: activity({ input: { customerId: 'customer.id' } }),
  },
  FLOW_ACTIVITY_INPUT_MISSING: { broken: activity({ input: { limit: '3' } }), fixed: activity({ input: { customerId: 'customer.id', limit: '3' } }) },
  FLOW_SUBFLOW_INPUT_UNKNOWN: { broken: subflow({ input: { nope: '1' } }), fixed: subflow({ input: { attempts: '1' } }) },
  FLOW_SUBFLOW_RECURSIVE: {
    broken: around({ id: 'again', type: 'subflow', config: { flowId: 'test-flow' } }, ['resolved_by_bot']),
    fixed: subflow({}),
  },
  FLOW_INTERNAL_ERROR: { broken: escalate({}), resolver: throwingResolver, fixed: escalate({}) },
};

describe('diagnostics', () => {
  it('has a broken and a fixed document for every code of the catalog', () => {
    expect(Object.keys(cases).sort()).toEqual([...DIAGNOSTIC_CODES].sort());
  });

  describe.each(Object.entries(cases) as [DiagnosticCode, Case][])('%s', (code, testCase) => {
    const broken = typeof testCase.broken === 'function' ? testCase.broken() : testCase.broken;

    it('is reported on the document that has the problem, with the catalog severity and a location', () => {
      const result = compileFlow(broken, testCase.resolver ?? resolver);
      const found = result.diagnostics.filter((d) => d.code === code);
      expect(found.length).toBeGreaterThan(0);
      for (const d of found) {
        expect(d.severity).toBe(diagnosticCatalog[code].severity);
        expect(d.message.length).toBeGreaterThan(20);
        expect(d.message).not.toMatch(/undefined|\[object/);
      }
      if (diagnosticCatalog[code].severity === 'error') expect(result.ok).toBe(false);
      else expect(result.ok).toBe(true);
    });

    it('is gone once the document is fixed, which then compiles cleanly', () => {
      const result = compileFlow(testCase.fixed, resolver);
      expect(result.diagnostics).toEqual([]);
      expect(result.ok).toBe(true);
    });
  });

  it('pins expression problems on the exact characters', () => {
    const result = compileFlow(condition('nlu.confidence > 0.5 && nlu.intnet == "billing"'), resolver);
    const [problem] = result.diagnostics;
    expect(problem).toMatchObject({ code: 'FLOW_EXPR_TYPE', nodeId: 'route', path: ['rules', 0, 'condition'] });
    expect('nlu.confidence > 0.5 && nlu.intnet == "billing"'.slice(problem!.range!.start, problem!.range!.end)).toContain('intnet');
  });

  it('pins template problems inside the template', () => {
    const text = 'Hi {{customer.nmae}}, welcome back';
    const result = compileFlow(linear(message('m', text)), resolver);
    const problem = result.diagnostics.find((d) => d.code === 'FLOW_EXPR_TYPE')!;
    expect(text.slice(problem.range!.start, problem.range!.end)).toContain('nmae');
  });

  it('speaks the designer’s language in messages', () => {
    const doc = flowDoc([start(), { id: 'billing-bot', type: 'bot', label: 'Billing bot', config: {} }, end()], [
      ['start', 'next', 'billing-bot'],
      ['billing-bot', 'resolved', 'end'],
      ['billing-bot', 'no_match', 'end'],
    ]);
    const result = compileFlow(doc, resolver);
    expect(result.diagnostics).toEqual([
      {
        code: 'FLOW_PORT_UNCONNECTED',
        severity: 'error',
        nodeId: 'billing-bot',
        path: ['ports', 'escalate'],
        message: "The 'Billing bot' node's 'Escalate' exit is not connected to anything",
      },
    ]);
  });

  it('rejects a condition that is not true/false, and a priority that is not a whole number', () => {
    const result = compileFlow(escalate({ priority: 'nlu.confidence * 100.0' }), resolver);
    expect(result.diagnostics).toMatchObject([{ code: 'FLOW_EXPR_RESULT_TYPE', path: ['priority'], message: expect.stringContaining('whole number') }]);
    expect(compileFlow(condition('ctx.count + 1'), resolver).diagnostics).toMatchObject([{ code: 'FLOW_EXPR_RESULT_TYPE', message: expect.stringContaining('true/false') }]);
  });

  it('checks activity input types against the activity’s schema', () => {
    const result = compileFlow(activity({ input: { customerId: 'customer.id', limit: '"ten"' } }), resolver);
    expect(result.diagnostics).toMatchObject([{ code: 'FLOW_EXPR_RESULT_TYPE', path: ['input', 'limit'] }]);
  });

  it('reports queues and calendars named in expressions that do not exist', () => {
    const result = compileFlow(condition('queue.ewt("nowhere") > 10.0 || hours.open("moon")'), resolver);
    expect(result.diagnostics.map((d) => d.code).sort()).toEqual(['FLOW_UNKNOWN_CALENDAR', 'FLOW_UNKNOWN_QUEUE']);
  });

  it('never throws on inputs that are not documents at all', () => {
    for (const input of [undefined, null, 42, 'flow', [], { nodes: 'x' }]) {
      const result = compileFlow(input, resolver);
      expect(result.ok).toBe(false);
      expect(result.diagnostics[0]!.code).toBe('FLOW_DOCUMENT_INVALID');
    }
  });
});
