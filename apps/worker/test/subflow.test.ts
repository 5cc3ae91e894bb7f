/**
 * A subflow runs as a child workflow; the customer keeps one conversation with the parent contact,
 * which forwards their messages and says what the subflow says.
 */
import { compileFlow, createStaticResolver, exampleResolverData, planOutcomes, type FlowDocument, type Plan } from '@tandem/flow';
import { waitFor } from '@tandem/testkit';
import { startHarness, type Harness } from './harness';

const node = (id: string, type: string, config: Record<string, unknown> = {}) => ({ id, type, typeVersion: 1, position: { x: 0, y: 0 }, config });
const edge = (source: string, sourcePort: string, target: string) => ({ id: `${source}-${sourcePort}`, source, sourcePort, target });

/** The subflow: asks for a date of birth, escalates to an agent when the customer asks for one. */
const verify = {
  schemaVersion: 1,
  id: 'verify',
  name: 'Verify identity',
  channels: ['chat'],
  variables: [{ name: 'dob', type: 'string' }],
  nodes: [
    node('start', 'start'),
    node('ask', 'wait', { mode: 'reply', prompt: 'For security, what is your date of birth?', timeoutSeconds: 60, saveReplyAs: 'dob' }),
    node('check', 'decision', { rules: [{ id: 'human', condition: 'ctx.dob.contains("agent")' }] }),
    node('ok', 'end', { outcome: 'resolved_by_bot', message: 'Thanks, you are verified.' }),
    node('agent', 'escalate', { queue: 'support', sla: { targetSeconds: 30 }, maxWaitSeconds: 120 }),
    node('human-done', 'end', { outcome: 'resolved_by_human' }),
    node('gave-up', 'end', { outcome: 'abandoned' }),
  ],
  edges: [
    edge('start', 'next', 'ask'),
    edge('ask', 'reply', 'check'),
    edge('ask', 'timeout', 'gave-up'),
    edge('check', 'human', 'agent'),
    edge('check', 'default', 'ok'),
    edge('agent', 'resolved', 'human-done'),
    edge('agent', 'timeout', 'gave-up'),
    edge('agent', 'abandoned', 'gave-up'),
    edge('agent', 'transferred', 'human-done'),
  ],
} as unknown as FlowDocument;

/** The caller: greets, runs the subflow, then ends according to its outcome. */
const caller = {
  schemaVersion: 1,
  id: 'caller',
  name: 'Caller',
  channels: ['chat'],
  variables: [],
  nodes: [
    node('start', 'start'),
    node('hello', 'message', { text: 'Hello {{customer.name}}!' }),
    node('verify', 'subflow', { flowId: 'verify' }),
    node('bye', 'end', { outcome: 'resolved_by_bot', message: 'All done, goodbye.' }),
    node('human', 'end', { outcome: 'resolved_by_human' }),
    node('lost', 'end', { outcome: 'abandoned' }),
  ],
  edges: [
    edge('start', 'next', 'hello'),
    edge('hello', 'next', 'verify'),
    edge('verify', 'resolved_by_bot', 'bye'),
    edge('verify', 'resolved_by_human', 'human'),
    edge('verify', 'abandoned', 'lost'),
  ],
} as unknown as FlowDocument;

function compile(doc: FlowDocument, subflows: { id: string; plan: Plan }[] = []): Plan {
  const resolver = createStaticResolver({ ...exampleResolverData, subflows: subflows.map((s) => ({ id: s.id, outcomes: planOutcomes(s.plan) })) });
  const result = compileFlow(doc, resolver);
  if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
  return result.plan;
}

describe('subflows', () => {
  let h: Harness;
  const verifyPlan = compile(verify);
  const callerPlan = compile(caller, [{ id: 'verify', plan: verifyPlan }]);
  const subflows = { verify: { plan: verifyPlan, version: 3 } };

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.shutdown());

  it('the customer talks with the subflow through the parent, and its outcome picks the exit', async () => {
    const contact = await h.startContactWith(callerPlan, { customer: { id: 's-1', name: 'Ola' } }, { subflows });
    await waitFor(async () => ((await contact.state()).transcript.some((t) => t.text.includes('date of birth')) ? true : undefined), { what: 'the subflow to ask' });
    const reply = await contact.say('12 March 1990');
    expect(reply.messages.map((m) => m.text)).toEqual(['Thanks, you are verified.', 'All done, goodbye.']);
    const result = await contact.result();
    expect(result.outcome).toBe('resolved_by_bot');
    const s = await contact.state();
    expect(s.transcript.map((t) => `${t.from}: ${t.text}`)).toEqual([
      'bot: Hello Ola!',
      'bot: For security, what is your date of birth?',
      'customer: 12 March 1990',
      'bot: Thanks, you are verified.',
      'bot: All done, goodbye.',
    ]);
    expect(s.path).toEqual(['start', 'hello', 'verify', 'bye']);
  });

  it('a human inside the subflow: the work item belongs to the child, the agent talks through the parent', async () => {
    const contact = await h.startContactWith(callerPlan, { customer: { id: 's-2', name: 'Per' } }, { subflows });
    await contact.waitForStep('verify');
    const reply = await contact.say('I want an agent');
    expect(reply.handledBy).toBe('queue');
    const childId = `${contact.handle.workflowId}/sub/verify/1`;
    const [item] = await h.dataSource.query(`SELECT id, workflow_id FROM routing.work_item WHERE contact_id = $1`, [contact.id]);
    expect(item.workflow_id).toBe(childId);
    const work = await h.router.getWorkItem(item.id);
    // The handoff carries the conversation from before the subflow too.
    expect(work.handoff.transcript.map((t) => t.text)).toEqual(expect.arrayContaining(['Hello Per!', 'I want an agent']));
    await contact.assignTo(item.id, 'alice');
    await h.client.workflow.getHandle(childId).signal('agentMessage', { schemaVersion: 1, workItemId: item.id, agentId: 'alice', text: 'Hi Per, Alice here.' });
    await contact.complete(item.id, 'alice', 'resolved');
    const result = await contact.result();
    expect(result.outcome).toBe('resolved_by_human');
    const s = await contact.state();
    expect(s.transcript.map((t) => t.text)).toContain('Hi Per, Alice here.');
    expect(s.path).toEqual(['start', 'hello', 'verify', 'human']);
  });
});
