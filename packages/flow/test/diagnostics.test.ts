import { compileFlow, DIAGNOSTIC_CODES, type DiagnosticCode, diagnosticCatalog } from '../src';
import { activity, brokenDocument, condition, type DiagnosticCase, diagnosticCases, escalate, resolver } from './fixtures/diagnostic-cases';
import { end, flowDoc, linear, message, start } from './helpers';

describe('diagnostics', () => {
  it('has a broken and a fixed document for every code of the catalog', () => {
    expect(Object.keys(diagnosticCases).sort()).toEqual([...DIAGNOSTIC_CODES].sort());
  });

  describe.each(Object.entries(diagnosticCases) as [DiagnosticCode, DiagnosticCase][])('%s', (code, testCase) => {
    const broken = brokenDocument(testCase);

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
    const source = '  nlu.confidence > 0.5 &&\n  nlu.intnet == "billing"';
    const result = compileFlow(condition(source), resolver);
    const [problem] = result.diagnostics;
    expect(problem).toMatchObject({ code: 'FLOW_EXPR_TYPE', nodeId: 'route', path: ['rules', 0, 'condition'] });
    expect(source.slice(problem!.range!.start, problem!.range!.end)).toContain('intnet');
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
        message: "The 'Billing bot' step's 'Escalate' exit is not connected to anything",
      },
    ]);
  });

  it('says what to do in plain words, not in the schema\'s or the parser\'s (issue 20, observation 3)', () => {
    const messages = (doc: Parameters<typeof compileFlow>[0]) => compileFlow(doc, resolver).diagnostics.map((d) => d.message);
    const hours = (calendar: unknown) => linear({ id: 'hours', type: 'schedule', config: { calendar } });
    expect(messages(hours({ kind: 'named', name: '' }))).toContainEqual(expect.stringMatching(/calendar › name: is empty — fill it in$/));
    // An empty time is not a time — it does not "close before it opens".
    const empty = messages(hours({ kind: 'inline', calendar: { timezone: 'Europe/Paris', weekly: { mon: [{ open: '', close: '' }] } } }));
    expect(empty.join('\n')).not.toMatch(/closes before it opens|Too small|Invalid/);
    expect(empty).toContainEqual(expect.stringContaining('must be a time of day HH:MM'));
    const variable = compileFlow(flowDoc([start(), end()], [['start', 'next', 'end']], { variables: [{ name: '1st-order', type: 'string' }] }), resolver).diagnostics;
    expect(variable.map((d) => d.message).join('\n')).toMatch(/may contain only letters, digits and "_", and must not start with a digit/);
    expect(messages(condition('customer.'))).toContainEqual(expect.stringMatching(/is unfinished: something is missing at its end/));
    expect(messages(condition('customer.tier > 1'))).toContainEqual(expect.stringMatching(/compares text with a whole number \(string > int\): make both the same kind/));
    expect(messages(escalate({ sla: { targetSeconds: 0 } })).join('\n')).toMatch(/sla › target seconds: must be at least 1/);
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
