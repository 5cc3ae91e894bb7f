import type { TandemEvent } from '../contracts/events';

/**
 * The analytics projections as counters: pure arithmetic over events, so the same events always give
 * the same numbers whatever order they arrive in (the worker's and the API's events for one contact
 * reach Kafka through different producers). Every counter is a sum, except the `.max` ones.
 *
 * Node-level counters are keyed by (flow id, flow version, node id); version-level ones use node id ''.
 */
export const VERSION_LEVEL = '';

/** Counter names, with what each counts and where. */
export const METRIC = {
  // version level
  contactsStarted: 'contacts.started', // contact.started
  contactsEnded: 'contacts.ended', // contact.ended, by outcome
  contactsContained: 'contacts.contained', // contact.ended resolved_by_bot with no escalation
  contactsEscalated: 'contacts.escalated', // contact.ended after at least one escalation
  contactDurationSum: 'contacts.duration.sum_ms',
  lastEventAt: 'events.last_at.max', // epoch ms of the newest event (max)
  // node level
  nodeType: 'node.type', // step.entered, by node type
  entered: 'step.entered',
  exited: 'step.exited', // by port
  stepErrors: 'step.errors', // step.exited with an error: the step took its defined way out after a failure, by port
  stepDuration: 'step.duration', // histogram bucket of step.exited durationMs (+ .sum_ms, .max)
  botTurns: 'bot.turns',
  botAnswered: 'bot.answered',
  botIntent: 'bot.intent', // by intent
  botTriggerDetected: 'bot.trigger_detected', // by trigger kind
  botConfidenceSum: 'bot.confidence.sum_milli', // confidence × 1000
  botSentimentSum: 'bot.sentiment.sum_milli', // sentiment × 1000
  escalationCaused: 'escalation.caused', // at the cause node, by trigger kind ('none' when unconditional)
  escalationRouted: 'escalation.routed', // at the escalate node, by queue
  workItemOffered: 'workitem.offered',
  workItemAccepted: 'workitem.accepted',
  workItemCompleted: 'workitem.completed', // by outcome
  waitTime: 'wait', // histogram of workitem.accepted waitMs at the escalate node (+ .sum_ms, .max)
  handleTime: 'handle', // histogram of workitem.completed handleMs, items an agent handled
  reasonTag: 'reason_tag', // feedback.escalation-tagged at the cause node, by trigger, tag
  csat: 'csat', // feedback.csat by score, at the node it is attributed to and at version level
} as const;

/** No trigger: the flow escalated unconditionally. */
export const NO_TRIGGER = 'none';

/**
 * Histogram bucket upper bounds (ms) for wait, handle and step times: fine below a minute, coarse
 * beyond, up to a day; the last bucket is open. Averages are exact (sum / count); percentiles are
 * estimated from the buckets.
 */
export const DURATION_BUCKETS_MS: readonly number[] = [
  100, 250, 500, 1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 45_000, 60_000, 90_000, 120_000, 180_000, 300_000, 450_000,
  600_000, 900_000, 1_200_000, 1_800_000, 2_700_000, 3_600_000, 7_200_000, 14_400_000, 28_800_000, 86_400_000,
];
export const OVERFLOW_BUCKET = 'inf';

export function bucketOf(ms: number): string {
  for (const le of DURATION_BUCKETS_MS) if (ms <= le) return String(le);
  return OVERFLOW_BUCKET;
}

/** One change to one counter. */
export interface CounterDelta {
  flowId: string;
  flowVersion: number;
  nodeId: string;
  metric: string;
  dimension: string;
  dimension2: string;
  value: number;
  /** `sum` adds, `max` keeps the larger value. */
  agg: 'sum' | 'max';
}

/**
 * The counter changes a batch of events makes, merged per counter (so a batch becomes one upsert of
 * at most one row per counter). Events that projections do not use change nothing: inbound requests,
 * and simulations (`simulation: true` — a designer's test chat of a draft, a test run of a published
 * version), which are not traffic of any version.
 */
export function projectionDeltas(events: readonly TandemEvent[]): CounterDelta[] {
  const merged = new Map<string, CounterDelta>();
  const add = (flowId: string, flowVersion: number, nodeId: string, metric: string, value: number, dimension = '', dimension2 = '', agg: 'sum' | 'max' = 'sum') => {
    const key = `${flowId}\u0000${flowVersion}\u0000${nodeId}\u0000${metric}\u0000${dimension}\u0000${dimension2}`;
    const existing = merged.get(key);
    if (!existing) merged.set(key, { flowId, flowVersion, nodeId, metric, dimension, dimension2, value, agg });
    else existing.value = agg === 'max' ? Math.max(existing.value, value) : existing.value + value;
  };

  for (const event of events) {
    if (event.type === 'tandem.contact.requested.v1' || event.simulation) continue;
    const { flowid: f, flowversion: v, nodeid: node } = event;
    const count = (nodeId: string, metric: string, dimension = '', dimension2 = '') => add(f, v, nodeId, metric, 1, dimension, dimension2);
    const duration = (nodeId: string, metric: string, ms: number) => {
      count(nodeId, metric, bucketOf(ms));
      add(f, v, nodeId, `${metric}.sum_ms`, ms);
      add(f, v, nodeId, `${metric}.max`, ms, '', '', 'max');
    };
    add(f, v, VERSION_LEVEL, METRIC.lastEventAt, Date.parse(event.time), '', '', 'max');

    switch (event.type) {
      case 'tandem.contact.started.v1':
        count(VERSION_LEVEL, METRIC.contactsStarted);
        break;
      case 'tandem.step.entered.v1':
        count(node, METRIC.entered);
        count(node, METRIC.nodeType, event.data.nodeType);
        break;
      case 'tandem.step.exited.v1':
        count(node, METRIC.exited, event.data.port);
        if (event.data.error) count(node, METRIC.stepErrors, event.data.port);
        duration(node, METRIC.stepDuration, event.data.durationMs);
        break;
      case 'tandem.bot.turn.v1':
        count(node, METRIC.botTurns);
        if (event.data.answered) count(node, METRIC.botAnswered);
        count(node, METRIC.botIntent, event.data.intent);
        for (const trigger of new Set(event.data.triggers)) count(node, METRIC.botTriggerDetected, trigger);
        add(f, v, node, METRIC.botConfidenceSum, Math.round(event.data.confidence * 1000));
        add(f, v, node, METRIC.botSentimentSum, Math.round(event.data.sentiment * 1000));
        break;
      case 'tandem.contact.escalated.v1':
        count(event.data.causeNodeId, METRIC.escalationCaused, event.data.trigger?.kind ?? NO_TRIGGER);
        count(node, METRIC.escalationRouted, event.data.queue);
        break;
      case 'tandem.workitem.offered.v1':
        count(node, METRIC.workItemOffered);
        break;
      case 'tandem.workitem.accepted.v1':
        count(node, METRIC.workItemAccepted);
        duration(node, METRIC.waitTime, event.data.waitMs);
        break;
      case 'tandem.workitem.completed.v1':
        count(node, METRIC.workItemCompleted, event.data.outcome);
        if (event.data.agentId) duration(node, METRIC.handleTime, event.data.handleMs);
        break;
      case 'tandem.contact.ended.v1':
        count(VERSION_LEVEL, METRIC.contactsEnded, event.data.outcome);
        if (event.data.escalations > 0) count(VERSION_LEVEL, METRIC.contactsEscalated);
        else if (event.data.outcome === 'resolved_by_bot') count(VERSION_LEVEL, METRIC.contactsContained);
        add(f, v, VERSION_LEVEL, METRIC.contactDurationSum, event.data.durationMs);
        break;
      case 'tandem.feedback.escalation-tagged.v1':
        for (const tag of new Set(event.data.tags)) count(node, METRIC.reasonTag, event.data.trigger ?? NO_TRIGGER, tag);
        break;
      case 'tandem.feedback.csat.v1':
        count(node, METRIC.csat, String(event.data.score));
        count(VERSION_LEVEL, METRIC.csat, String(event.data.score));
        break;
    }
  }
  return [...merged.values()];
}
