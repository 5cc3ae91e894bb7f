import { workItemResolutionSchema } from '@tandem/contracts';
import {
  cloudEventSchema,
  contactEvents,
  type ContactEventMeta,
  deterministicEventId,
  EventValidationError,
  eventExamples,
  eventTypes,
  feedbackEvents,
  inboundContactId,
  parseEvent,
  uuidV5,
} from '../index';
import { defaultTopics, toKafkaMessage, topicOf } from '../kafka';
import { escalationContextOf, wrapUpEvents } from '../feedback';

const meta = { contactId: 'c-1', flowId: 'billing', flowVersion: 2, nodeId: 'bot-1' };

describe('event contracts', () => {
  it('has one example per type, each a valid CloudEvent that parses back to itself', () => {
    expect(Object.keys(eventExamples).sort()).toEqual(eventTypes.map((d) => d.type).sort());
    for (const example of Object.values(eventExamples)) {
      expect(cloudEventSchema.safeParse(example).success).toBe(true);
      expect(parseEvent(JSON.stringify(example))).toEqual(example);
    }
  });

  it('names every type tandem.<name>.v<version>', () => {
    for (const d of eventTypes) expect(d.type).toBe(`tandem.${d.name}.v${d.version}`);
    expect(eventTypes.map((d) => d.name)).toEqual([
      'contact.started',
      'step.entered',
      'step.exited',
      'bot.turn',
      'contact.escalated',
      'workitem.offered',
      'workitem.accepted',
      'workitem.completed',
      'contact.ended',
      'feedback.escalation-tagged',
      'feedback.csat',
      'contact.requested',
    ]);
  });

  it('fills the envelope: spec version, id, time, subject = contact id, flow extensions', () => {
    const event = contactEvents.stepExited(meta, { nodeType: 'bot', visit: 1, port: 'escalate', durationMs: 1200 });
    expect(event).toMatchObject({
      specversion: '1.0',
      type: 'tandem.step.exited.v1',
      source: '/tandem',
      subject: 'c-1',
      datacontenttype: 'application/json',
      flowid: 'billing',
      flowversion: 2,
      nodeid: 'bot-1',
      data: { port: 'escalate' },
    });
    expect(event.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(event.time)).not.toBeNaN();
    const fixed = contactEvents.stepEntered({ ...meta, id: 'e-1', time: new Date(0), source: '/tandem/worker' }, { nodeType: 'bot', visit: 1 });
    expect(fixed).toMatchObject({ id: 'e-1', time: '1970-01-01T00:00:00.000Z', source: '/tandem/worker' });
  });

  it('rejects bad input with an error naming each field', () => {
    const attempt = () => contactEvents.stepExited({ ...meta, flowVersion: -1 }, { nodeType: 'bot', visit: 1, port: '', durationMs: -5 });
    expect(attempt).toThrow(EventValidationError);
    try {
      attempt();
    } catch (e) {
      const issues = (e as EventValidationError).issues.map((i) => i.path);
      expect(issues).toEqual(expect.arrayContaining(['flowversion', 'data.port', 'data.durationMs']));
      expect((e as Error).message).toContain('invalid tandem.step.exited.v1 event');
    }
  });

  it('checks that the outcome and who resolved it agree', () => {
    expect(() =>
      contactEvents.ended(meta, { outcome: 'resolved_by_human', resolvedBy: { kind: 'bot' }, escalations: 1, durationMs: 10 }),
    ).toThrow(/data.resolvedBy.kind: outcome resolved_by_human means resolvedBy.kind "agent"/);
  });

  it('parses incoming messages and names what is wrong', () => {
    const good = eventExamples['tandem.bot.turn.v1'];
    expect(() => parseEvent('not json')).toThrow(/not JSON/);
    expect(() => parseEvent('[1,2]')).toThrow(/expected a JSON object/);
    expect(() => parseEvent({ ...good, specversion: '0.3' })).toThrow(/specversion: expected specversion "1.0"/);
    expect(() => parseEvent({ ...good, type: 'tandem.bot.dance.v1' })).toThrow(/type: unknown event type "tandem.bot.dance.v1"/);
    expect(() => parseEvent({ ...good, data: { ...good.data, confidence: 2 } })).toThrow(/data.confidence/);
    expect(() => parseEvent({ ...good, time: 'yesterday' })).toThrow(/time: expected an RFC 3339 timestamp/);
    expect(() => parseEvent({ ...good, Bad_Ext: 'x' })).toThrow(/Bad_Ext: extension attribute names are lower-case/);
    const { nodeid: _n, ...withoutNode } = good;
    expect(() => parseEvent(withoutNode)).toThrow(/nodeid/);
  });

  it('ignores unknown data fields (a compatible v1 addition) instead of rejecting them', () => {
    const good = eventExamples['tandem.step.entered.v1'];
    expect(parseEvent({ ...good, data: { ...good.data, branch: 'b-2' } })).toEqual(good);
  });

  it("holds an inbound contact's first message to the one message limit (10,000 characters), naming it", () => {
    const request = eventExamples['tandem.contact.requested.v1'];
    const withText = (text: string) => ({ ...request, data: { ...request.data, firstMessage: { text } } });
    expect(parseEvent(withText('x'.repeat(10_000))).type).toBe('tandem.contact.requested.v1');
    expect(() => parseEvent(withText('x'.repeat(10_001)))).toThrow(/firstMessage\.text is longer than the 10000 characters a message may have/);
  });

  it('routes each type to its topic and keys it by the contact id', () => {
    expect(topicOf(eventExamples['tandem.step.entered.v1'])).toBe('tandem.contact-events');
    expect(topicOf(eventExamples['tandem.feedback.csat.v1'])).toBe('tandem.feedback-events');
    expect(topicOf(eventExamples['tandem.contact.requested.v1'])).toBe('tandem.contacts-inbound');
    expect(topicOf(eventExamples['tandem.step.entered.v1'], { ...defaultTopics, contactEvents: 'mine' })).toBe('mine');
    const message = toKafkaMessage(eventExamples['tandem.step.entered.v1']);
    expect(message.key).toBe(eventExamples['tandem.step.entered.v1'].subject);
    expect(message.headers).toEqual({ 'content-type': 'application/cloudevents+json; charset=UTF-8' });
  });
});

describe('simulations (draft contacts)', () => {
  const draft = { ...meta, flowVersion: 0 };
  const started = (m: ContactEventMeta) =>
    contactEvents.started(m, { channel: 'chat', customer: { id: 'cust-1', tier: 'standard', authenticated: false }, origin: 'api' });

  it('marks a draft contact\'s events as simulations by themselves, and leaves real traffic as it was', () => {
    const event = started(draft);
    expect(event).toMatchObject({ flowversion: 0, simulation: true });
    expect(parseEvent(toKafkaMessage(event).value)).toEqual(event);
    expect(JSON.parse(toKafkaMessage(event).value)).toHaveProperty('simulation', true);
    const real = started(meta);
    expect(real).not.toHaveProperty('simulation');
    expect(Object.keys(JSON.parse(toKafkaMessage(real).value))).not.toContain('simulation');
    expect(feedbackEvents.csat(draft, { score: 3, collectedBy: 'external', resolvedBy: { kind: 'bot' } })).toMatchObject({ simulation: true });
  });

  it('allows a simulated run of a published version, marked the same way', () => {
    expect(parseEvent(started({ ...meta, simulation: true }))).toMatchObject({ flowversion: 2, simulation: true });
  });

  it('refuses version 0 without the mark, and any mark other than true', () => {
    const real = started(meta);
    expect(() => parseEvent({ ...real, flowversion: 0 })).toThrow(/flowversion: flowversion 0 is a draft, which only runs as a simulation: the event needs simulation: true/);
    expect(() => parseEvent({ ...real, simulation: false })).toThrow(/simulation: simulation is true on a simulated contact's events and absent otherwise/);
    expect(() => parseEvent({ ...real, simulation: 'true' })).toThrow(/simulation:/);
    expect(() => started({ ...draft, simulation: false })).toThrow(/flowversion: flowversion 0 is a draft/);
    expect(() => started({ ...meta, flowVersion: -1 })).toThrow(/flowversion: flowversion is 0 \(a draft\) or a published version from 1/);
  });

  it('keeps what a builder refused on the error, for a producer to dead-letter', () => {
    try {
      started({ ...meta, nodeId: '', id: 'e-refused' });
      throw new Error('expected the builder to refuse an empty nodeId');
    } catch (e) {
      expect(e).toBeInstanceOf(EventValidationError);
      const refused = e as EventValidationError;
      expect(refused).toMatchObject({ eventType: 'tandem.contact.started.v1', eventId: 'e-refused' });
      expect(refused.candidate).toMatchObject({ id: 'e-refused', subject: 'c-1', nodeid: '', data: { origin: 'api' } });
    }
  });

  it('makes a draft\'s wrap-up events simulations too (routing keeps the draft\'s version 0 on the work item)', () => {
    const escalated = contactEvents.escalated({ ...draft, nodeId: 'esc' }, { queue: 'q', trigger: null, causeNodeId: 'bot-1', workItemId: 'wi-1' });
    expect(escalated.simulation).toBe(true);
    const resolution = workItemResolutionSchema.parse({ schemaVersion: 1, workItemId: 'wi-1', outcome: 'resolved', reasonTags: ['test'], resolvedAt: '2026-01-15T09:40:00.000Z' });
    const events = wrapUpEvents(escalationContextOf(escalated), resolution, { handleMs: 5 });
    expect(events.map((e) => [e.type, e.flowversion, e.simulation])).toEqual([
      ['tandem.workitem.completed.v1', 0, true],
      ['tandem.feedback.escalation-tagged.v1', 0, true],
    ]);
  });
});

describe('ids', () => {
  it('computes RFC 9562 version-5 UUIDs (checked against the RFC example)', () => {
    // RFC 9562 appendix A.4: DNS namespace, "www.example.com".
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('derives the same event id from the same workflow and sequence, and different ones otherwise', () => {
    expect(deterministicEventId('contact-1', 3)).toBe(deterministicEventId('contact-1', 3));
    expect(deterministicEventId('contact-1', 3)).not.toBe(deterministicEventId('contact-1', 4));
    expect(deterministicEventId('contact-1', 3)).not.toBe(deterministicEventId('contact-2', 3));
    expect(() => deterministicEventId('contact-1', -1)).toThrow(/non-negative integer/);
  });

  it('maps an external contact to one contact id, keeping system and id apart', () => {
    expect(inboundContactId('acme', 'CALL-1')).toBe(inboundContactId('acme', 'CALL-1'));
    expect(inboundContactId('a:b', 'c')).not.toBe(inboundContactId('a', 'b:c'));
  });
});

describe('wrap-up feedback', () => {
  const escalated = eventExamples['tandem.contact.escalated.v1'];
  const resolution = workItemResolutionSchema.parse({
    schemaVersion: 1,
    workItemId: 'wi-5531',
    outcome: 'resolved',
    reasonTags: ['refund', 'refund', 'bot_misunderstood'],
    agentId: 'agent-3',
    resolvedAt: '2026-01-15T09:40:00.000Z',
  });

  it('ties the agent’s tags to the flow version, the node and the trigger that caused the escalation', () => {
    const [completed, tagged] = wrapUpEvents(escalationContextOf(escalated), resolution, { handleMs: 60_000 });
    expect(completed).toMatchObject({ type: 'tandem.workitem.completed.v1', nodeid: 'to-billing-agents', flowversion: 3, data: { handleMs: 60_000, outcome: 'resolved' } });
    expect(tagged).toMatchObject({
      type: 'tandem.feedback.escalation-tagged.v1',
      subject: escalated.subject,
      flowid: 'billing-support',
      flowversion: 3,
      nodeid: 'billing-bot',
      time: '2026-01-15T09:40:00.000Z',
      data: { tags: ['refund', 'bot_misunderstood'], trigger: 'human_request', escalateNodeId: 'to-billing-agents', agentId: 'agent-3' },
    });
  });

  it('publishes no feedback event for a wrap-up without tags, and refuses a resolution of another item', () => {
    expect(wrapUpEvents(escalationContextOf(escalated), { ...resolution, reasonTags: [] }, { handleMs: 1 })).toHaveLength(1);
    expect(() => wrapUpEvents(escalationContextOf(escalated), { ...resolution, workItemId: 'wi-other' }, { handleMs: 1 })).toThrow(/wi-other/);
  });

  it('builds CSAT on a 1–5 scale', () => {
    expect(() => feedbackEvents.csat(meta, { score: 6, collectedBy: 'external', resolvedBy: { kind: 'bot' } })).toThrow(/data.score: score is 1–5/);
  });
});
