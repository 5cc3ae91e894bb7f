import { compileFlow, createStaticResolver, type FlowNodeInput } from '../src';
import { end, type EdgeTuple, flowDoc, start, wait } from './helpers';

const resolver = createStaticResolver({ queues: ['support'] });
const human = (id: string): FlowNodeInput => ({ id, type: 'escalate', config: { queue: 'support' } });
const humanEdges = (id: string): EdgeTuple[] => ['resolved', 'timeout', 'abandoned', 'transferred'].map((p): EdgeTuple => [id, p, 'end']);

describe('conversation guarantees in the plan', () => {
  it('the escape hatch leads to the flow\'s only human step unless told otherwise, from every step that waits for the customer\'s words', () => {
    const doc = flowDoc([start(), wait('ask'), { id: 'rate', type: 'survey', config: {} }, human('agents'), end()], [['start', 'next', 'ask'], ['ask', 'reply', 'rate'], ['ask', 'timeout', 'end'], ['rate', 'answered', 'end'], ['rate', 'skipped', 'end'], ...humanEdges('agents')]);
    const result = compileFlow(doc, resolver);
    // The human step is reached only through the hatch: it is not reported unreachable, and is in the plan.
    expect(result.diagnostics).toEqual([]);
    if (!result.ok) throw new Error('does not compile');
    expect(result.plan.guarantees).toEqual({
      escalation: { target: 'agents', triggers: ['complaint', 'human_request', 'legal_threat', 'regulatory', 'vulnerable_customer'], message: expect.any(String), nodes: ['ask', 'rate'] },
      containment: { quietSeconds: 120 },
    });
    expect(Object.keys(result.plan.nodes)).toContain('agents');
  });

  it('a flow without a human step has no hatch; the hatch\'s sentence is checked like any template', () => {
    const lone = compileFlow(flowDoc([start(), wait('ask'), end()], [['start', 'next', 'ask'], ['ask', 'reply', 'end'], ['ask', 'timeout', 'end']]), resolver);
    expect(lone.ok && lone.plan.guarantees.escalation).toEqual({ triggers: expect.any(Array), message: expect.any(String), nodes: [] });
    const broken = compileFlow(
      { ...flowDoc([start(), wait('ask'), human('agents'), end()], [['start', 'next', 'ask'], ['ask', 'reply', 'end'], ['ask', 'timeout', 'agents'], ...humanEdges('agents')]), guarantees: { escalation: { message: 'One moment, {{customer.name' } } },
      resolver,
    );
    expect(broken.diagnostics).toMatchObject([{ code: 'FLOW_TEMPLATE_SYNTAX', path: ['guarantees', 'escalation', 'message'], message: expect.stringMatching(/^In the flow's settings, the escape hatch's message/) }]);
  });
});
