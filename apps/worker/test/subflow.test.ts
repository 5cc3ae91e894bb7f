/**
 * A subflow runs as a child workflow; the customer keeps one conversation with the parent contact,
 * which forwards their messages and says what the subflow says.
 */
import { waitFor } from '@tandem/testkit';
import { caller, callerV2, compileWith, racer, verify } from './fixtures/flows';
import { startHarness, type Harness } from './harness';

describe('subflows', () => {
  let h: Harness;
  const verifyPlan = compileWith(verify);
  const callerPlan = compileWith(caller, [{ id: 'verify', plan: verifyPlan }]);
  const callerV2Plan = compileWith(callerV2, [{ id: 'verify', plan: verifyPlan }]);
  const subflows = { verify: { plan: verifyPlan, version: 3 } };
  const childOf = (contact: { handle: { workflowId: string } }) => h.client.workflow.getHandle(`${contact.handle.workflowId}/sub/verify/1`);
  const exitsOf = (contactId: string) => h.events.of(contactId).filter((e) => e.type === 'step.exited').map((e) => `${e.nodeId}:${String(e.data.port)}`);

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

  it('version 2: a subflow terminated mid-conversation leaves through its error exit and the contact goes on', async () => {
    const contact = await h.startContactWith(callerV2Plan, { customer: { id: 's-3', name: 'Ines' } }, { subflows });
    await waitFor(async () => ((await contact.state()).transcript.some((t) => t.text.includes('date of birth')) ? true : undefined), { what: 'the subflow to ask' });
    await childOf(contact).terminate('an operator stopped the verification');
    const result = await contact.result();
    expect(result).toMatchObject({ outcome: 'ticketed', nodeId: 'fallback' });
    const s = await contact.state();
    expect(s.path).toEqual(['start', 'hello', 'verify', 'fallback']);
    expect(s.transcript.at(-1)).toMatchObject({ from: 'bot', text: expect.stringMatching(/^Sorry, we cannot check that/) });
    expect(exitsOf(contact.id)).toContain('verify:error');
  });

  it('version 2: a subflow terminated while its work item waits in the queue: the caller withdraws the item and takes the error exit', async () => {
    const contact = await h.startContactWith(callerV2Plan, { customer: { id: 's-9', name: 'Oda' } }, { subflows });
    await contact.waitForStep('verify');
    expect((await contact.say('I want an agent')).handledBy).toBe('queue');
    const [item] = await h.dataSource.query(`SELECT id, workflow_id FROM routing.work_item WHERE contact_id = $1`, [contact.id]);
    expect(item.workflow_id).toBe(childOf(contact).workflowId);
    await childOf(contact).terminate('an operator stopped the verification');
    expect(await contact.result()).toMatchObject({ outcome: 'ticketed', nodeId: 'fallback' });
    // No agent is offered a conversation nobody is left to answer.
    expect((await h.router.getWorkItem(item.id)).status).toBe('abandoned');
  });

  it('version 2: a subflow that is not published (nothing to load) leaves through the error exit at once', async () => {
    // Nothing pinned, and the worker's plan source knows no published "verify".
    const contact = await h.startContactWith(callerV2Plan, { customer: { id: 's-4', name: 'Jon' } }, {});
    expect(await contact.result()).toMatchObject({ outcome: 'ticketed', nodeId: 'fallback' });
    expect((await contact.state()).path).toEqual(['start', 'hello', 'verify', 'fallback']);
  });

  it('version 2: cancelling the calling contact cancels the subflow and does not take the error exit', async () => {
    const contact = await h.startContactWith(callerV2Plan, { customer: { id: 's-5', name: 'Kai' } }, { subflows });
    await waitFor(async () => ((await contact.state()).transcript.some((t) => t.text.includes('date of birth')) ? true : undefined), { what: 'the subflow to ask' });
    await contact.cancel('operator');
    expect(await contact.result()).toMatchObject({ outcome: 'abandoned', nodeId: 'verify' });
    expect(exitsOf(contact.id)).not.toContain('verify:error');
    // Not left behind: the child closes too.
    const closed = await waitFor(async () => {
      const status = (await childOf(contact).describe()).status.name;
      return status === 'RUNNING' ? undefined : status;
    }, { what: 'the subflow to close' });
    // It was asked to cancel and abandoned on its own, before the caller closed (not terminated by Temporal).
    expect(closed).toBe('COMPLETED');
    expect(await childOf(contact).result()).toMatchObject({ outcome: 'abandoned', nodeId: 'ask' });
  });

  it('cancelling the caller while an agent holds the subflow\'s work item: the subflow withdraws it before both close', async () => {
    const contact = await h.startContactWith(callerPlan, { customer: { id: 's-7', name: 'Mo' } }, { subflows });
    await contact.waitForStep('verify');
    await contact.say('I want an agent');
    const [item] = await h.dataSource.query(`SELECT id FROM routing.work_item WHERE contact_id = $1`, [contact.id]);
    await contact.cancel('operator');
    expect(await contact.result()).toMatchObject({ outcome: 'abandoned', nodeId: 'verify' });
    expect(await childOf(contact).result()).toMatchObject({ outcome: 'abandoned', nodeId: 'agent' });
    expect((await h.router.getWorkItem(item.id)).status).toBe('abandoned');
    const childEnded = h.events.of(contact.id).filter((e) => e.type === 'contact.ended').map((e) => e.workflowId);
    expect(childEnded).toEqual(expect.arrayContaining([contact.handle.workflowId, childOf(contact).workflowId]));
  });

  it('a subflow cancelled through Temporal itself (UI, CLI) abandons, and the caller goes on through its abandoned exit', async () => {
    const contact = await h.startContactWith(callerPlan, { customer: { id: 's-8', name: 'Nia' } }, { subflows });
    await waitFor(async () => ((await contact.state()).transcript.some((t) => t.text.includes('date of birth')) ? true : undefined), { what: 'the subflow to ask' });
    await childOf(contact).cancel();
    expect(await contact.result()).toMatchObject({ outcome: 'abandoned', nodeId: 'lost' });
    expect((await contact.state()).path).toEqual(['start', 'hello', 'verify', 'lost']);
  });

  it('a subflow in a parallel branch that loses the race is cancelled and closes before the contact goes on', async () => {
    const plan = compileWith(racer, [{ id: 'verify', plan: verifyPlan }]);
    const contact = await h.startContactWith(plan, { customer: { id: 's-10', name: 'Pia' } }, { subflows });
    expect(await contact.result()).toMatchObject({ outcome: 'resolved_by_bot', nodeId: 'done' });
    const child = childOf(contact);
    expect((await child.describe()).status.name).toBe('COMPLETED');
    expect(await child.result()).toMatchObject({ outcome: 'abandoned' });
    expect(exitsOf(contact.id)).not.toContain('verify:error');
  });

  it('version 1 has no error exit: a terminated subflow fails the calling contact, as it always did', async () => {
    const contact = await h.startContactWith(callerPlan, { customer: { id: 's-6', name: 'Lea' } }, { subflows });
    await waitFor(async () => ((await contact.state()).transcript.some((t) => t.text.includes('date of birth')) ? true : undefined), { what: 'the subflow to ask' });
    await childOf(contact).terminate('an operator stopped the verification');
    await expect(contact.result()).rejects.toThrow(/Workflow execution failed/);
  });
});
