import {
  compileFlow,
  createEvaluator,
  createStaticResolver,
  evaluate,
  ExpressionEvaluationError,
  expressionEnvironment,
  MissingLiveDataError,
  parseTemplate,
  type Plan,
} from '../src';
import { decision, end, flowDoc, start } from './helpers';

const variables = [
  { name: 'attempts', type: 'int' as const },
  { name: 'score', type: 'double' as const },
  { name: 'tags', type: 'list<string>' as const },
  { name: 'profile', type: 'map' as const },
];

describe('evaluator', () => {
  const evaluator = createEvaluator({ variables });
  const activation = {
    contact: { id: 'k1', channel: 'chat' },
    customer: { id: 'c1', name: 'Ada', tier: 'vip', attributes: { lifetimeValue: 12000 } },
    nlu: { intent: 'billing_dispute', confidence: 0.42, sentiment: -0.7, topics: ['billing'], triggers: ['legal_threat' as const] },
    bot: { outcome: 'escalate', turns: 3 },
    ctx: { attempts: 2, score: 4.5, tags: ['late'], profile: { plan: 'pro' } },
    live: { queues: { billing: 420 }, calendars: { support: false } },
  };

  it('evaluates against contact, customer, nlu, bot, ctx and live data', () => {
    const state = evaluator.prepare(activation);
    expect(evaluator.evaluateCondition('"legal_threat" in nlu.triggers && nlu.confidence < 0.5', state)).toBe(true);
    expect(evaluator.evaluateCondition('queue.ewt("billing") > 300', state)).toBe(true);
    expect(evaluator.evaluateCondition('hours.open("support")', state)).toBe(false);
    expect(evaluator.evaluateCondition('customer.attributes.lifetimeValue > 10000', state)).toBe(true);
    expect(evaluator.evaluate('ctx.attempts + bot.turns', state)).toBe(5);
    expect(evaluator.evaluate('ctx.score * 2.0', state)).toBe(9);
    expect(evaluator.evaluate('ctx.tags + ["vip"]', state)).toEqual(['late', 'vip']);
    expect(evaluator.evaluate('ctx.profile.plan', state)).toBe('pro');
    expect(evaluator.evaluate('contact.channel', state)).toBe('chat');
  });

  it('gives absent fields their zero value instead of failing', () => {
    expect(evaluator.evaluate('customer.name + "|" + string(ctx.attempts) + "|" + bot.articleId', {})).toBe('|0|');
  });

  it('returns JSON (CEL ints become numbers, maps become objects)', () => {
    const value = evaluate('{"a": [1, 2], "b": 2.5, "c": true}');
    expect(value).toEqual({ a: [1, 2], b: 2.5, c: true });
    expect(JSON.parse(JSON.stringify(value))).toEqual(value);
  });

  it('refuses to run an expression whose live data was not fetched', () => {
    const error = (() => {
      try {
        evaluator.evaluate('queue.ewt("support") > 10.0', activation);
      } catch (e) {
        return e as ExpressionEvaluationError;
      }
      throw new Error('did not throw');
    })();
    expect(error).toBeInstanceOf(ExpressionEvaluationError);
    expect(error.message).toContain('support');
    expect(error.cause).toBeInstanceOf(MissingLiveDataError);
  });

  it('reports run-time errors with the expression and where', () => {
    expect(() => evaluator.evaluate('ctx.attempts / 0', activation)).toThrow(/ctx.attempts \/ 0.*division by zero/);
    expect(() => evaluator.evaluateCondition('ctx.attempts + 1', activation)).toThrow(/must be true or false/);
    expect(() => evaluator.evaluate('ctx.attempts +', activation)).toThrow(ExpressionEvaluationError);
  });

  it('never evaluates JavaScript', () => {
    expect(() => evaluate('process.exit(1)')).toThrow(ExpressionEvaluationError);
    expect(() => evaluate('constructor.constructor("return 1")()')).toThrow(ExpressionEvaluationError);
  });

  it('accepts a plan as its options (plan.variables)', () => {
    const result = compileFlow(
      flowDoc([start(), decision('d', [{ id: 'again', condition: 'ctx.attempts < 3' }]), end()], [['start', 'next', 'd'], ['d', 'again', 'end'], ['d', 'default', 'end']], {
        variables: [{ name: 'attempts', type: 'int', default: 1 }],
      }),
      createStaticResolver(),
    );
    const plan = (result as { plan: Plan }).plan;
    const fromPlan = createEvaluator(plan);
    const ctx = Object.fromEntries(plan.variables.map((v) => [v.name, v.initial]));
    expect(fromPlan.evaluateCondition(plan.nodes.d!.expressions['/rules/0/condition']!.source, { ctx })).toBe(true);
  });
});

describe('templates', () => {
  const evaluator = createEvaluator({ variables: [{ name: 'position', type: 'int' }] });

  it('renders CEL inside {{ }}', () => {
    const text = evaluator.renderTemplate('Thanks {{customer.name}}, you are number {{ ctx.position }} ({{nlu.confidence > 0.5}}). {{nlu.topics}}', {
      customer: { name: 'Ada' },
      ctx: { position: 3 },
      nlu: { confidence: 0.9, topics: ['billing', 'refund'] },
    });
    expect(text).toBe('Thanks Ada, you are number 3 (yes). billing, refund');
  });

  it('splits text and expressions with their offsets', () => {
    const parsed = parseTemplate('Hi {{ customer.name }}!');
    expect(parsed).toEqual({
      parts: [
        { kind: 'text', text: 'Hi ' },
        { kind: 'expression', source: 'customer.name', start: 6, end: 19 },
        { kind: 'text', text: '!' },
      ],
    });
    expect(parseTemplate('Hi {{ name')).toMatchObject({ error: { message: expect.stringContaining('closing') } });
    expect(parseTemplate('Hi }} there')).toMatchObject({ error: { start: 3 } });
    expect(parseTemplate('{{ }}')).toMatchObject({ error: { message: expect.stringContaining('empty') } });
  });

  it('writes literal braces as CEL string literals (the documented way; there is no escape character)', () => {
    const text = evaluator.renderTemplate('Type {{"{{"}}name{{"}" + "}"}} to insert your name, {{customer.name}}.', { customer: { name: 'Ada' } });
    expect(text).toBe('Type {{name}} to insert your name, Ada.');
    // A "}}" inside the literal would end the expression early: hence the concatenation.
    expect(parseTemplate('{{"}}"}}')).toMatchObject({ error: {} });
  });
});

describe('compile-time checking', () => {
  const compileCondition = (condition: string) =>
    compileFlow(flowDoc([start(), decision('d', [{ id: 'yes', condition }]), end()], [['start', 'next', 'd'], ['d', 'yes', 'end'], ['d', 'default', 'end']]), createStaticResolver({ queues: ['billing', 'support'], calendars: ['support'] }));

  it('records the live data each expression needs', () => {
    const result = compileCondition('queue.ewt("billing") > 300 || (queue.ewt("support") > queue.ewt("billing") && !hours.open("support"))');
    expect(result.ok && result.plan.nodes.d!.expressions['/rules/0/condition']!.refs).toEqual({ queues: ['billing', 'support'], calendars: ['support'] });
  });

  it('warns about what type-checks but can fail at run time — conversions of text, whole-number division by a value — and compiles it', () => {
    const mayFail = (condition: string, vars: { name: string; type: 'int' | 'double' | 'list<string>' | 'map' | 'string' }[] = variables) => {
      const result = compileFlow(
        flowDoc([start(), decision('d', [{ id: 'yes', condition }]), end()], [['start', 'next', 'd'], ['d', 'yes', 'end'], ['d', 'default', 'end']], { variables: vars }),
        createStaticResolver({ queues: ['billing'], calendars: [] }),
      );
      expect(result.ok).toBe(true);
      return result.diagnostics.filter((d) => d.code === 'FLOW_EXPR_MAY_FAIL').map((d) => ({ severity: d.severity, message: d.message, range: d.range }));
    };
    const amount = [...variables, { name: 'amount', type: 'string' as const }];
    const [conversion] = mayFail('double(ctx.amount.split(" ")[0]) > 100.0', amount);
    expect(conversion).toMatchObject({ severity: 'warning', message: expect.stringContaining('double(ctx.amount.split(" ")[0]) needs a number written in digits'), range: { start: 0, end: 32 } });
    expect(mayFail('int(customer.attributes.visits) > 3')).toHaveLength(1); // of unknown type
    expect(mayFail('10 / ctx.attempts > 1')[0]?.message).toContain('divides by ctx.attempts, which may be 0');
    expect(mayFail('ctx.attempts % bot.turns == 0')).toHaveLength(1);
    // What cannot fail: converting a number, literals (the checker knows them), dividing doubles or by a constant.
    expect(mayFail('double(ctx.attempts) > 1.5 && int(ctx.score) > 1 && int("3") == 3 && ctx.score / ctx.score > 0.5 && ctx.attempts / 2 == 1')).toEqual([]);
  });

  it('knows every field the environment documents', () => {
    for (const variable of expressionEnvironment) {
      for (const field of variable.fields) {
        const source = field.name.includes('(') ? `${variable.name}.${field.name.replace('name', '"support"')}` : `${variable.name}.${field.name}`;
        const result = compileCondition(`type(${source}) != null_type`);
        expect(result.diagnostics).toEqual([]);
      }
    }
  });
});
