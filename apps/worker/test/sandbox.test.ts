/** A sandbox run (a flow test): the flow runs as it would, and nothing reaches the outside world. */
import { waitFor } from '@tandem/testkit';
import { compileWith } from './fixtures/flows';
import { flowEdge, flowNode, startHarness, type Harness } from './harness';

const plan = compileWith({
  schemaVersion: 1,
  id: 'sandboxed',
  name: 'Sandboxed',
  channels: ['chat'],
  variables: [],
  nodes: [
    flowNode('start', 'start'),
    flowNode('hello', 'message', { text: 'Hello {{customer.name}}' }),
    flowNode('note', 'ticket', { kind: 'follow_up', subject: 'Follow up {{customer.name}}', confirmation: 'We will get back to you.' }),
    flowNode('done', 'end', { outcome: 'ticketed' }),
  ],
  edges: [flowEdge('start', 'next', 'hello'), flowEdge('hello', 'next', 'note'), flowEdge('note', 'next', 'done')],
} as never);

describe('sandbox runs (flow tests)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.shutdown());

  it('creates no ticket, delivers nothing through the channel and publishes its events as simulations; the transcript has it all', async () => {
    const contact = await h.startContact(plan, { customer: { id: 'sb-1', name: 'Sid' }, flowVersion: 4, options: { sandbox: true } });
    expect(await contact.result()).toMatchObject({ outcome: 'ticketed', ctx: { ticketId: 'sandbox-note-1' } });
    expect((await contact.state()).transcript.map((t) => t.text)).toEqual(['Hello Sid', 'We will get back to you.']);
    expect(h.tickets).toEqual([]);
    expect(h.deliveries.filter((d) => d.contactId === contact.id)).toEqual([]);
    const events = await waitFor(() => h.events.of(contact.id).some((e) => e.type === 'contact.ended') && h.events.of(contact.id), { what: 'the events' });
    expect(events.every((e) => e.simulation === true && e.flowVersion === 4)).toBe(true);

    // The same flow, not sandboxed: the ticket and the deliveries are real.
    const real = await h.startContact(plan, { customer: { id: 'sb-2', name: 'Ria' } });
    expect(await real.result()).toMatchObject({ outcome: 'ticketed' });
    expect(h.tickets).toHaveLength(1);
    expect(h.deliveries.filter((d) => d.contactId === real.id).map((d) => d.text)).toEqual(['Hello Ria', 'We will get back to you.']);
    expect(h.events.of(real.id).some((e) => e.simulation)).toBe(false);
  });
});
