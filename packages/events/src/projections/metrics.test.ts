import { contactEvents, feedbackEvents } from '../contracts/builders';
import type { TandemEvent } from '../contracts/events';
import { bucketOf, METRIC, projectionDeltas, VERSION_LEVEL, type CounterDelta } from './metrics';

const metaOf = (nodeId: string, contactId = 'c-1', run: { flowVersion?: number; simulation?: boolean } = {}) => ({
  contactId,
  flowId: 'f',
  flowVersion: 1,
  nodeId,
  time: '2026-01-01T00:00:00.000Z',
  ...run,
});

function key(d: CounterDelta) {
  return `${d.nodeId}|${d.metric}|${d.dimension}|${d.dimension2}`;
}
function asMap(deltas: CounterDelta[]) {
  return Object.fromEntries(deltas.map((d) => [key(d), d.value]));
}

/** A contact that the bot escalates to a human, who resolves and tags it. */
function escalatedContact(contactId: string, run: { flowVersion?: number; simulation?: boolean } = {}): TandemEvent[] {
  const meta = (nodeId: string, id: string) => metaOf(nodeId, id, run);
  return [
    contactEvents.started(meta('start', contactId), { channel: 'chat', customer: { id: 'x', tier: 'standard', authenticated: false }, origin: 'api' }),
    contactEvents.stepEntered(meta('bot-1', contactId), { nodeType: 'bot', visit: 1 }),
    contactEvents.botTurn(meta('bot-1', contactId), { turn: 1, intent: 'refund', confidence: 0.4, sentiment: -0.5, topics: [], triggers: ['low_confidence', 'low_confidence'], answered: false }),
    contactEvents.stepExited(meta('bot-1', contactId), { nodeType: 'bot', visit: 1, port: 'escalate', durationMs: 4_000 }),
    contactEvents.escalated(meta('esc', contactId), { queue: 'q', trigger: { kind: 'low_confidence', reason: 'r' }, causeNodeId: 'bot-1' }),
    contactEvents.workItemAccepted(meta('esc', contactId), { workItemId: 'w', queue: 'q', agentId: 'a', waitMs: 30_000 }),
    contactEvents.workItemCompleted(meta('esc', contactId), { workItemId: 'w', queue: 'q', agentId: 'a', outcome: 'resolved', reasonTags: ['refund'], handleMs: 120_000 }),
    feedbackEvents.escalationTagged(meta('bot-1', contactId), { workItemId: 'w', tags: ['refund', 'refund'], trigger: 'low_confidence', escalateNodeId: 'esc', queue: 'q', outcome: 'resolved' }),
    contactEvents.ended(meta('end', contactId), { outcome: 'resolved_by_human', resolvedBy: { kind: 'agent', agentId: 'a' }, escalations: 1, durationMs: 200_000 }),
    feedbackEvents.csat(meta('esc', contactId), { score: 5, collectedBy: 'survey_node', resolvedBy: { kind: 'agent' } }),
  ];
}

describe('projectionDeltas', () => {
  it('counts what the designer overlay shows, at the right node', () => {
    const m = asMap(projectionDeltas(escalatedContact('c-1')));
    expect(m).toMatchObject({
      [`${VERSION_LEVEL}|${METRIC.contactsStarted}||`]: 1,
      [`bot-1|${METRIC.entered}||`]: 1,
      [`bot-1|${METRIC.exited}|escalate|`]: 1,
      [`bot-1|${METRIC.botTriggerDetected}|low_confidence|`]: 1, // once per turn, however often listed
      [`bot-1|${METRIC.escalationCaused}|low_confidence|`]: 1,
      [`esc|${METRIC.escalationRouted}|q|`]: 1,
      [`esc|${METRIC.waitTime}|${bucketOf(30_000)}|`]: 1,
      [`esc|${METRIC.waitTime}.sum_ms||`]: 30_000,
      [`esc|${METRIC.handleTime}.max||`]: 120_000,
      [`bot-1|${METRIC.reasonTag}|low_confidence|refund`]: 1,
      [`esc|${METRIC.csat}|5|`]: 1,
      [`${VERSION_LEVEL}|${METRIC.contactsEnded}|resolved_by_human|`]: 1,
      [`${VERSION_LEVEL}|${METRIC.contactsEscalated}||`]: 1,
    });
    expect(m[`${VERSION_LEVEL}|${METRIC.contactsContained}||`]).toBeUndefined();
  });

  it('gives the same totals whatever order and batching the events arrive in', () => {
    const events = [...escalatedContact('c-1'), ...escalatedContact('c-2')];
    const whole = asMap(projectionDeltas(events));
    const reversed = [...events].reverse();
    const inPieces: Record<string, number> = {};
    for (let i = 0; i < reversed.length; i += 3) {
      for (const d of projectionDeltas(reversed.slice(i, i + 3))) {
        const k = key(d);
        inPieces[k] = d.agg === 'max' ? Math.max(inPieces[k] ?? 0, d.value) : (inPieces[k] ?? 0) + d.value;
      }
    }
    expect(inPieces).toEqual(whole);
    expect(whole[`bot-1|${METRIC.entered}||`]).toBe(2);
  });

  it('counts nothing for simulations: a draft\'s test chat (version 0) or a simulated run of a published version', () => {
    const draft = escalatedContact('c-draft', { flowVersion: 0 });
    const simulated = escalatedContact('c-sim', { simulation: true });
    expect(draft.every((e) => e.type !== 'tandem.contact.requested.v1' && e.simulation === true && e.flowversion === 0)).toBe(true);
    expect(simulated.every((e) => e.type !== 'tandem.contact.requested.v1' && e.simulation === true && e.flowversion === 1)).toBe(true);
    expect(projectionDeltas([...draft, ...simulated])).toEqual([]);
    const real = escalatedContact('c-real');
    expect(projectionDeltas([...draft, ...real, ...simulated])).toEqual(projectionDeltas(real));
  });

  it('counts the visits on which a step took its defined way out after a failure, by port', () => {
    const meta = metaOf('decide', 'c-err');
    const m = asMap(
      projectionDeltas([
        contactEvents.stepExited(meta, { nodeType: 'decision', visit: 1, port: 'default', durationMs: 3, error: 'rule "refund": no such key: refund_amount' }),
        contactEvents.stepExited(meta, { nodeType: 'decision', visit: 2, port: 'default', durationMs: 2, error: 'rule "refund": division by zero' }),
        contactEvents.stepExited(meta, { nodeType: 'decision', visit: 3, port: 'vip', durationMs: 2 }),
      ]),
    );
    expect(m[`decide|${METRIC.stepErrors}|default|`]).toBe(2);
    expect(m[`decide|${METRIC.stepErrors}|vip|`]).toBeUndefined();
    expect(m[`decide|${METRIC.exited}|default|`]).toBe(2);
  });

  it('puts durations in buckets with an open last bucket', () => {
    expect(bucketOf(0)).toBe('100');
    expect(bucketOf(100)).toBe('100');
    expect(bucketOf(101)).toBe('250');
    expect(bucketOf(10 * 86_400_000)).toBe('inf');
  });
});
