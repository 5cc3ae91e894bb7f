import { TicketDesk } from '../src';
import { escalation, handoff, routingTestContext, type RoutingTestContext } from './helpers';

const CARD = '4111 1111 1111 1111';
const MASKED = '**** **** **** 1111';

/** Every text column and JSON document routing keeps, as PostgreSQL has it. */
async function storedText(ctx: RoutingTestContext): Promise<string> {
  const rows = await ctx.dataSource.query<{ text: string }[]>(`
    SELECT concat_ws(' ', handoff::text, notes::text, resolution_note, array_to_string(reason_tags, ' ')) AS text FROM routing.work_item
    UNION ALL SELECT concat_ws(' ', reason) FROM routing.offer
    UNION ALL SELECT concat_ws(' ', reason, details::text) FROM routing.work_item_history
    UNION ALL SELECT payload::text FROM routing.resolution_delivery
    UNION ALL SELECT concat_ws(' ', subject, body, handoff::text, resolution, customer::text) FROM routing.ticket`);
  return rows.map((r) => r.text).join('\n');
}

describe('what routing stores: no card number in clear (PCI DSS), nothing PostgreSQL refuses', () => {
  let ctx: RoutingTestContext;
  beforeAll(async () => {
    ctx = await routingTestContext('routing_masking');
    await ctx.directory.defineQueue({ name: 'billing', slaTargetSeconds: 60 });
    await ctx.directory.defineQueue({ name: 'support', slaTargetSeconds: 60 });
    await ctx.directory.defineAgent({ id: 'alice', capacity: { chat: 10 }, queues: ['billing', 'support'] });
    await ctx.router.setAgentStatus('alice', 'available');
  });
  afterAll(() => ctx?.close());

  it('in handoff packages, transfer and completion notes, rejection reasons, resolutions and tickets — identifiers left alone', async () => {
    const input = escalation('billing');
    const said = `my card is ${CARD}, exp 12/29`;
    input.handoff = {
      ...input.handoff,
      summary: said,
      transcript: [{ at: '2026-11-23T08:59:00.000Z', from: 'customer', text: said }],
      tried: [{ kind: 'slot_prompt', detail: 'card number', customerAnswer: CARD }],
      entities: [{ type: 'card', value: '4111111111111111' }],
    };
    const { workItem } = await ctx.router.createWorkItem(input);
    expect(workItem.handoff.summary).toBe(`my card is ${MASKED}, exp 12/29`);
    expect(workItem.handoff.transcript[0]!.text).toBe(`my card is ${MASKED}, exp 12/29`);
    expect(workItem.handoff.tried[0]!.customerAnswer).toBe(MASKED);
    expect(workItem.handoff.entities[0]!.value).toBe('************1111');
    expect(workItem.handoff.contactId).toBe(input.handoff.contactId);
    expect(workItem.contactId).toBe(input.handoff.contactId);

    const moved = await ctx.router.transferWorkItem(workItem.id, { toAgentId: 'alice', note: `customer read out ${CARD}`, by: { kind: 'supervisor', id: 'sam' } });
    expect(moved.notes.at(-1)!.text).toBe(`customer read out ${MASKED}`);
    const [offer] = await ctx.router.pendingOffersFor('alice');
    await ctx.router.rejectOffer(offer!.offer.id, 'alice', `not with ${CARD} in it`);
    const claimed = await ctx.router.claim('alice', { queues: ['billing'] });
    expect(claimed!.id).toBe(workItem.id);
    const done = await ctx.router.completeWorkItem(workItem.id, 'alice', { outcome: 'resolved', note: `refunded to ${CARD}`, reasonTags: ['refund', '4111111111111111'] });
    expect(done.resolutionNote).toBe(`refunded to ${MASKED}`);
    expect(done.reasonTags).toEqual(['refund', '************1111']);

    const desk = new TicketDesk({ dataSource: ctx.dataSource, clock: ctx.clock.now });
    const { ticket } = await desk.create({
      idempotencyKey: 'k-card',
      kind: 'callback',
      contactId: 'c-card',
      workflowId: 'contact-c-card',
      nodeId: 'callback',
      channel: 'chat',
      customer: { id: 'cust-card', name: 'Dana' },
      subject: `Call back about ${CARD}`,
      body: said,
      handoff: { ...handoff(), summary: said },
    });
    expect(ticket).toMatchObject({ subject: `Call back about ${MASKED}`, body: `my card is ${MASKED}, exp 12/29` });
    expect(ticket.handoff?.summary).toBe(`my card is ${MASKED}, exp 12/29`);
    await desk.close(ticket.id, { status: 'done', by: 'sam', resolution: `charged ${CARD}` });

    const stored = await storedText(ctx);
    expect(stored).toContain('1111');
    expect(stored).not.toMatch(/4111[ -]?1111[ -]?1111[ -]?1111/);
    expect(stored).not.toContain('4111111111111111');
  });

  it('stores a handoff whose excerpts were cut in the middle of an emoji, or hold a NUL: the broken half becomes U+FFFD', async () => {
    const input = escalation('support');
    const cut = '😀😀😀'.slice(0, 5); // two emoji and half of the third
    input.handoff = {
      ...input.handoff,
      summary: cut,
      transcript: [{ at: '2026-11-23T08:59:00.000Z', from: 'customer', text: `a\u0000b ${cut}` }],
      trigger: { kind: 'human_request', reason: 'asked', evidence: [{ messageIndex: 0, text: cut, words: ['\udc00'] }] },
    };
    const { workItem } = await ctx.router.createWorkItem(input);
    expect(workItem.handoff.summary).toBe('😀😀\uFFFD');
    expect(workItem.handoff.transcript[0]!.text).toBe('a\uFFFDb 😀😀\uFFFD');
    expect(workItem.handoff.trigger?.evidence[0]).toMatchObject({ text: '😀😀\uFFFD', words: ['\uFFFD'] });
  });
});
