import {
  compileFlow,
  createStaticResolver,
  type FlowNodeInput,
  getNodeDefinition,
  latestNodeDefinition,
  NODE_TYPES,
  nodeCatalog,
  nodeConfigJsonSchema,
  nodeDefinitions,
  type Plan,
} from '../src';
import { end, type EdgeTuple, flowDoc, start } from './helpers';

const resolver = createStaticResolver({
  queues: ['support', 'overflow'],
  activities: [{ name: 'crm_lookup', inputSchema: { type: 'object', properties: { customerId: { type: 'string' } }, required: ['customerId'] } }],
  subflows: [{ id: 'verify-identity', outcomes: ['verified', 'failed'] }],
  calendars: ['support-hours'],
});

/** Compiles start → node → end (every port of the node to the end) and returns the plan node. */
function compileAround(node: FlowNodeInput, ports: string[], variables: { name: string; type: 'string' | 'int' | 'map' }[] = []): Plan['nodes'][string] {
  const edges: EdgeTuple[] = [['start', 'next', node.id], ...ports.map((p): EdgeTuple => [node.id, p, 'end'])];
  const result = compileFlow(flowDoc([start(), node, end()], edges, { variables }), resolver);
  if (!result.ok) throw new Error(JSON.stringify(result.diagnostics, null, 2));
  return result.plan.nodes[node.id]!;
}

describe('node catalog', () => {
  it('has every node type of the language, each in a version 1 with a JSON Schema for its config', () => {
    expect(new Set(nodeDefinitions.map((d) => d.type))).toEqual(new Set(NODE_TYPES));
    for (const type of NODE_TYPES) {
      const definition = getNodeDefinition(type, 1)!;
      expect(definition).toBeDefined();
      expect(latestNodeDefinition(type)!.typeVersion).toBeGreaterThanOrEqual(1);
      expect(definition.docs.length).toBeGreaterThan(40);
      const schema = nodeConfigJsonSchema(definition);
      // Modes with their own fields (wait) are a oneOf of objects.
      const variants = (schema.oneOf as Record<string, unknown>[] | undefined) ?? [schema];
      for (const variant of variants) expect(variant).toMatchObject({ type: 'object' });
    }
  });

  it('refuses unknown settings instead of silently dropping them (a misspelt field is a mistake)', () => {
    const result = compileFlow(
      flowDoc([start(), { id: 'm', type: 'message', config: { text: 'Hi', txet: 'Hello' } }, end()], [['start', 'next', 'm'], ['m', 'next', 'end']]),
      resolver,
    );
    expect(result.diagnostics).toMatchObject([{ code: 'FLOW_CONFIG_INVALID', nodeId: 'm', message: expect.stringContaining('txet') }]);
  });

  it('serves a JSON catalog for the palette', () => {
    const catalog = nodeCatalog();
    expect(JSON.parse(JSON.stringify(catalog))).toEqual(catalog);
    expect(catalog.find((e) => e.type === 'bot')!.ports!.map((p) => p.id)).toEqual(['resolved', 'escalate', 'no_match']);
    expect(catalog.find((e) => e.type === 'decision')!.ports).toBeNull();
  });
});

describe('node types', () => {
  it('start: one exit, accepts the flow’s channels', () => {
    const result = compileFlow(flowDoc([start(), end()], [['start', 'next', 'end']]), resolver);
    expect(result.ok && result.plan.nodes.start).toMatchObject({ type: 'start', next: { next: 'end' }, config: { channels: [] } });
  });

  it('bot: resolved / escalate / no_match, defaults for thresholds and every escalation trigger', () => {
    const node = compileAround({ id: 'bot', type: 'bot', config: { greeting: 'Hi {{customer.name}}' } }, ['resolved', 'escalate', 'no_match']);
    expect(Object.keys(node.next).sort()).toEqual(['escalate', 'no_match', 'resolved']);
    expect(node.waits).toBe(true);
    expect(node.config).toMatchObject({ maxTurns: 6, confidenceThreshold: 0.6, lowConfidenceLimit: 2, knowledgeBase: { enabled: true, answerThreshold: 0.6 } });
    expect(node.config.escalateOn).toEqual(expect.arrayContaining(['human_request', 'negative_sentiment', 'low_confidence', 'legal_threat']));
    expect(node.expressions['/greeting']).toMatchObject({ kind: 'template', type: 'string' });
    expect(getNodeDefinition('bot', 1)!.configSchema.safeParse({ intents: [{ name: 'refund', phrases: ['refund please'] }] }).success).toBe(false);
    expect(getNodeDefinition('bot', 1)!.configSchema.safeParse({ escalateOn: ['not_a_trigger'] }).success).toBe(false);
  });

  it('classify: one exit, detects everything by default', () => {
    const node = compileAround({ id: 'c', type: 'classify', config: {} }, ['next']);
    expect(node.config.detect).toEqual(['intent', 'sentiment', 'topics', 'triggers']);
  });

  it('decision: one exit per rule plus default, conditions compiled as bool', () => {
    const node = compileAround(
      {
        id: 'd',
        type: 'decision',
        config: { rules: [{ id: 'angry', condition: 'nlu.sentiment < -0.5' }, { id: 'vip', condition: 'customer.tier == "vip"' }] },
      },
      ['angry', 'vip', 'default'],
    );
    expect(Object.keys(node.next)).toEqual(['angry', 'default', 'vip']);
    expect(node.expressions['/rules/0/condition']).toEqual({ source: 'nlu.sentiment < -0.5', kind: 'expression', type: 'bool', refs: { queues: [], calendars: [] } });
    expect(getNodeDefinition('decision', 1)!.configSchema.safeParse({ rules: [{ id: 'default', condition: 'true' }] }).success).toBe(false);
  });

  it('distribute: one exit per branch; shares of whole percents that add up to 100, stable by customer unless told otherwise', () => {
    const node = compileAround({ id: 's', type: 'distribute', config: { branches: [{ id: 'new_bot', percent: 10 }, { id: 'current', percent: 90 }] } }, ['new_bot', 'current']);
    expect(Object.keys(node.next)).toEqual(['current', 'new_bot']);
    expect(node.config).toMatchObject({ by: 'customer' });
    const result = compileFlow(
      flowDoc([start(), { id: 's', type: 'distribute', config: { branches: [{ id: 'a', percent: 30 }, { id: 'b', percent: 60 }] } }, end()], [['start', 'next', 's'], ['s', 'a', 'end'], ['s', 'b', 'end']]),
      resolver,
    );
    expect(result.diagnostics).toMatchObject([{ code: 'FLOW_CONFIG_INVALID', nodeId: 's', message: expect.stringContaining('the shares add up to 90 %; make them add up to 100 %') }]);
    const schema = getNodeDefinition('distribute', 1)!.configSchema;
    expect(schema.safeParse({ branches: [{ id: 'a', percent: 100 }] }).success).toBe(false);
    expect(schema.safeParse({ branches: [{ id: 'a', percent: 50 }, { id: 'a', percent: 50 }] }).success).toBe(false);
    expect(schema.safeParse({ branches: [{ id: 'a', percent: 49.5 }, { id: 'b', percent: 50.5 }] }).success).toBe(false);
  });

  it('set: assigns declared variables with values of their type', () => {
    const node = compileAround({ id: 's', type: 'set', config: { assignments: [{ variable: 'tries', value: 'ctx.tries + 1' }] } }, ['next'], [{ name: 'tries', type: 'int' }]);
    expect(node.expressions['/assignments/0/value']!.type).toBe('int');
    const bad = compileFlow(
      flowDoc([start(), { id: 's', type: 'set', config: { assignments: [{ variable: 'tries', value: '"many"' }] } }, end()], [['start', 'next', 's'], ['s', 'next', 'end']], {
        variables: [{ name: 'tries', type: 'int' }],
      }),
      resolver,
    );
    expect(bad.diagnostics.map((d) => d.code)).toEqual(['FLOW_EXPR_RESULT_TYPE']);
  });

  it('escalate: four exits; queue, skills, CEL priority, SLA, ordered breach actions, AI assist, handoff', () => {
    const node = compileAround(
      {
        id: 'agents',
        type: 'escalate',
        config: {
          queue: 'support',
          requiredSkills: [{ skill: 'billing', minLevel: 3 }],
          priority: 'customer.tier == "vip" ? 80 : 40',
          sla: { targetSeconds: 60 },
          breachActions: [
            { afterSeconds: 0, action: 'raise_priority', by: 20 },
            { afterSeconds: 120, action: 'overflow', queue: 'overflow' },
            { afterSeconds: 600, action: 'offer_callback' },
          ],
          aiAssist: { enabled: false },
          handoff: { transcript: false },
        },
      },
      ['resolved', 'timeout', 'abandoned', 'transferred'],
    );
    expect(node.waits).toBe(true);
    expect(node.expressions['/priority']!.type).toBe('int');
    expect(node.config).toMatchObject({
      aiAssist: { enabled: false, knowledge: true },
      handoff: { transcript: false, summary: true, entities: true, sentiment: true },
      maxWaitSeconds: 1800,
    });
    expect((node.config.breachActions as { message?: string }[])[2]!.message).toContain('call you back');
    const schema = getNodeDefinition('escalate', 1)!.configSchema;
    const outOfOrder = schema.safeParse({
      queue: 'support',
      breachActions: [
        { afterSeconds: 300, action: 'offer_callback' },
        { afterSeconds: 60, action: 'raise_priority' },
      ],
    });
    expect(outOfOrder.success).toBe(false);
    expect(outOfOrder.error!.issues[0]!.message).toContain('time order');
    expect(schema.safeParse({ queue: 'support', breachActions: [{ afterSeconds: 60, action: 'overflow' }] }).success).toBe(false);
  });

  it('parallel and join: one exit per branch, meeting at one join with its mode', () => {
    const result = compileFlow(
      flowDoc(
        [
          start(),
          { id: 'fork', type: 'parallel', config: { branches: [{ id: 'agent' }, { id: 'ai', label: 'AI drafts' }] } },
          { id: 'm1', type: 'message', config: { text: 'one' } },
          { id: 'm2', type: 'message', config: { text: 'two' } },
          { id: 'meet', type: 'join', config: { mode: 'first' } },
          end(),
        ],
        [
          ['start', 'next', 'fork'],
          ['fork', 'agent', 'm1'],
          ['fork', 'ai', 'm2'],
          ['m1', 'next', 'meet'],
          ['m2', 'next', 'meet'],
          ['meet', 'next', 'end'],
        ],
      ),
      resolver,
    );
    expect(result.ok && result.plan.parallels).toEqual({
      fork: {
        branches: [
          { port: 'agent', entry: 'm1' },
          { port: 'ai', entry: 'm2' },
        ],
        join: 'meet',
        mode: 'first',
      },
    });
  });

  it('message: templated text', () => {
    const node = compileAround({ id: 'm', type: 'message', config: { text: 'Thanks {{customer.name}}' } }, ['next']);
    expect(node.expressions['/text']).toMatchObject({ kind: 'template', source: 'Thanks {{customer.name}}' });
  });

  it('wait: exits follow the mode (reply, timer, until opening hours)', () => {
    expect(Object.keys(compileAround({ id: 'w', type: 'wait', config: { mode: 'reply', saveReplyAs: 'answer' } }, ['reply', 'timeout'], [{ name: 'answer', type: 'string' }]).next)).toEqual([
      'reply',
      'timeout',
    ]);
    expect(Object.keys(compileAround({ id: 'w', type: 'wait', config: { mode: 'timer', timeoutSeconds: 30 } }, ['timeout']).next)).toEqual(['timeout']);
    expect(Object.keys(compileAround({ id: 'w', type: 'wait', config: { mode: 'until_open', calendar: { kind: 'named', name: 'support-hours' } } }, ['open']).next)).toEqual(['open']);
    const withLimit = compileAround(
      { id: 'w', type: 'wait', config: { mode: 'until_open', maxWaitSeconds: 3600, calendar: { kind: 'inline', calendar: { timezone: 'Europe/Paris', weekly: { mon: [{ open: '09:00', close: '17:00' }] } } } } },
      ['open', 'timeout'],
    );
    expect(withLimit.config).toMatchObject({ calendar: { kind: 'inline', calendar: { timezone: 'Europe/Paris', holidays: [] } } });
  });

  it('schedule: open / closed from a named or an inline calendar with a valid time zone', () => {
    const node = compileAround({ id: 'h', type: 'schedule', config: { calendar: { kind: 'named', name: 'support-hours' } } }, ['open', 'closed']);
    expect(Object.keys(node.next)).toEqual(['closed', 'open']);
    const schema = getNodeDefinition('schedule', 1)!.configSchema;
    expect(schema.safeParse({ calendar: { kind: 'inline', calendar: { timezone: 'Mars/Olympus' } } }).success).toBe(false);
    expect(schema.safeParse({ calendar: { kind: 'inline', calendar: { timezone: 'UTC', weekly: { mon: [{ open: '18:00', close: '09:00' }] } } } }).success).toBe(false);
  });

  it('ticket: subject template, CEL priority, optional queue', () => {
    const node = compileAround({ id: 't', type: 'ticket', config: { kind: 'callback', queue: 'support', subject: 'Call {{customer.name}}', priority: '10 + 5' } }, ['next']);
    expect(node.config).toMatchObject({ kind: 'callback', includeHandoff: true });
    expect(node.expressions['/priority']!.type).toBe('int');
  });

  it('survey: answered / skipped, score stored in an int variable', () => {
    const node = compileAround({ id: 'csat', type: 'survey', config: { saveAs: 'score' } }, ['answered', 'skipped'], [{ name: 'score', type: 'int' }]);
    expect(node.config).toMatchObject({ kind: 'csat', timeoutSeconds: 120 });
    expect(node.waits).toBe(true);
  });

  it('activity: success / error, input mapped with CEL and checked against the activity', () => {
    const node = compileAround({ id: 'a', type: 'activity', config: { activity: 'crm_lookup', input: { customerId: 'customer.id' }, saveOutputAs: 'crm' } }, ['success', 'error'], [
      { name: 'crm', type: 'map' },
    ]);
    expect(node.expressions['/input/customerId']!.type).toBe('string');
    expect(node.config).toMatchObject({ timeoutSeconds: 30, retry: { maximumAttempts: 3 } });
  });

  it('subflow: one exit per outcome of the called flow', () => {
    const node = compileAround({ id: 'v', type: 'subflow', config: { flowId: 'verify-identity' } }, ['verified', 'failed']);
    expect(Object.keys(node.next)).toEqual(['failed', 'verified']);
    expect(node.waits).toBe(true);
  });

  it('subflow v2: the outcomes plus an error exit, which must be connected like the others', () => {
    const node = compileAround({ id: 'v', type: 'subflow', typeVersion: 2, config: { flowId: 'verify-identity' } }, ['verified', 'failed', 'error']);
    expect(Object.keys(node.next)).toEqual(['error', 'failed', 'verified']);
    expect(node.typeVersion).toBe(2);
    expect(latestNodeDefinition('subflow')!.typeVersion).toBe(2);
    const unconnected = compileFlow(
      flowDoc([start(), { id: 'v', type: 'subflow', typeVersion: 2, config: { flowId: 'verify-identity' } }, end()], [['start', 'next', 'v'], ['v', 'verified', 'end'], ['v', 'failed', 'end']]),
      resolver,
    );
    expect(unconnected.ok).toBe(false);
    expect(unconnected.diagnostics).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'FLOW_PORT_UNCONNECTED', nodeId: 'v', path: ['ports', 'error'] })]));
    // Version 1 stays as it was: no error exit.
    expect(compileAround({ id: 'v', type: 'subflow', typeVersion: 1, config: { flowId: 'verify-identity' } }, ['verified', 'failed']).next).not.toHaveProperty('error');
  });

  it('end: an outcome and no exits', () => {
    const result = compileFlow(flowDoc([start(), end('end', 'ticketed')], [['start', 'next', 'end']]), resolver);
    expect(result.ok && result.plan.nodes.end).toMatchObject({ next: {}, config: { outcome: 'ticketed' } });
    expect(getNodeDefinition('end', 1)!.configSchema.safeParse({ outcome: 'happy' }).success).toBe(false);
  });
});
