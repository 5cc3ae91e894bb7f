import { InvalidRoutingInputError, RoutingConflictError, RoutingNotFoundError, TicketDesk } from '../src';
import { handoff, routingTestContext, type RoutingTestContext } from './helpers';

describe('tickets', () => {
  let ctx: RoutingTestContext;
  let desk: TicketDesk;
  beforeAll(async () => {
    ctx = await routingTestContext('routing_tickets');
    desk = new TicketDesk({ dataSource: ctx.dataSource, clock: ctx.clock.now });
  });
  afterAll(() => ctx?.close());

  const input = (key: string, extra: Record<string, unknown> = {}) => ({
    idempotencyKey: key,
    kind: 'callback' as const,
    queue: 'support',
    contactId: 'c-1',
    workflowId: 'contact-c-1',
    nodeId: 'callback',
    channel: 'chat' as const,
    customer: { id: 'cust-1', name: 'Dana' },
    subject: 'Call Dana back',
    handoff: handoff(),
    ...extra,
  });

  it('creates once per key, with the handoff kept for whoever picks it up', async () => {
    const first = await desk.create(input('contact-c-1/callback/1', { dueAt: '2026-11-23T12:00:00Z', priority: 40 }));
    const again = await desk.create(input('contact-c-1/callback/1', { subject: 'changed on retry' }));
    expect(first.created).toBe(true);
    expect(again).toEqual({ ticket: first.ticket, created: false });
    expect(first.ticket).toMatchObject({ kind: 'callback', status: 'open', queue: 'support', subject: 'Call Dana back', priority: 40, dueAt: new Date('2026-11-23T12:00:00Z') });
    expect(first.ticket.handoff?.summary).toContain('charged twice');
    expect(first.ticket.customer).toMatchObject({ id: 'cust-1', tier: 'standard' });
  });

  it('lists open tickets by due time and closes them once', async () => {
    const later = (await desk.create(input('k-later', { dueAt: '2026-11-24T12:00:00Z' }))).ticket;
    const none = (await desk.create(input('k-none', { kind: 'follow_up' }))).ticket;
    const open = await desk.list({ status: 'open', queue: 'support' });
    expect(open.map((t) => t.id).slice(-2)).toEqual([later.id, none.id]);
    const done = await desk.close(later.id, { status: 'done', by: 'agent:alice', resolution: 'called back' });
    expect(done).toMatchObject({ status: 'done', closedBy: 'agent:alice', resolution: 'called back', closedAt: ctx.clock.now() });
    await expect(desk.close(later.id, { status: 'done', by: 'agent:bob' })).rejects.toBeInstanceOf(RoutingConflictError);
    expect((await desk.list({ status: 'open' })).map((t) => t.id)).not.toContain(later.id);
  });

  it('names what is wrong with bad input', async () => {
    await expect(desk.create(input('k-bad', { subject: '  ' }))).rejects.toThrow(/subject: the subject is empty/);
    await expect(desk.create(input('k-bad2', { channel: 'fax' }))).rejects.toBeInstanceOf(InvalidRoutingInputError);
    await expect(desk.get('not-a-uuid')).rejects.toBeInstanceOf(InvalidRoutingInputError);
    await expect(desk.get('00000000-0000-4000-8000-000000000000')).rejects.toBeInstanceOf(RoutingNotFoundError);
  });
});
