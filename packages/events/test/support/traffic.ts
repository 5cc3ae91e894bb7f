import type { EscalationTriggerKind } from '@tandem/contracts';
import { randomUUID } from 'node:crypto';
import { contactEvents, deterministicEventId, escalationContextOf, feedbackEvents, wrapUpEvents, type TandemEvent } from '../../src';

/**
 * Realistic contact traffic for one flow version: start → bot → (resolved → end | escalate → human
 * queue → end | no_match → ticket → end), with bot turns, triggers, wait and handle times, wrap-up
 * tags and CSAT. Each contact's events are split the way production splits them: what the worker
 * publishes (deterministic ids) and what the API writes through the outbox (work items, wrap-up).
 * Seeded, so runs see the same mix (contact ids are fresh each run).
 */
export interface ContactTraffic {
  contactId: string;
  worker: TandemEvent[];
  api: TandemEvent[];
}

const TRIGGERS: EscalationTriggerKind[] = ['human_request', 'negative_sentiment', 'low_confidence', 'complaint', 'high_value'];
const TAGS = ['double_charge', 'refund', 'bot_misunderstood', 'policy_question', 'angry_customer'];

/** Small deterministic PRNG (mulberry32): traffic is reproducible from its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateContact(flowId: string, flowVersion: number, random: () => number, startedAt = Date.now()): ContactTraffic {
  const contactId = randomUUID();
  const workflowId = `contact-${contactId}`;
  let seq = 0;
  let clock = startedAt;
  const tick = (ms: number) => new Date((clock += ms)).toISOString();
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const ms = (max: number) => Math.floor(random() * max);
  const worker: TandemEvent[] = [];
  const api: TandemEvent[] = [];
  const meta = (nodeId: string) => ({ contactId, flowId, flowVersion, nodeId, id: deterministicEventId(workflowId, seq++), time: tick(ms(50)), source: '/tandem/worker' });
  const apiMeta = (nodeId: string) => ({ contactId, flowId, flowVersion, nodeId, time: tick(ms(50)), source: '/tandem/api' });

  worker.push(contactEvents.started(meta('start'), { channel: pick(['chat', 'voice', 'email'] as const), customer: { id: `cust-${ms(1000)}`, tier: pick(['standard', 'gold']), authenticated: random() < 0.5 }, origin: 'api' }));
  worker.push(contactEvents.stepEntered(meta('start'), { nodeType: 'start', visit: 1 }));
  worker.push(contactEvents.stepExited(meta('start'), { nodeType: 'start', visit: 1, port: 'next', durationMs: ms(20) }));
  worker.push(contactEvents.stepEntered(meta('bot-1'), { nodeType: 'bot', visit: 1 }));
  const turns = 1 + ms(3);
  const r = random();
  const port = r < 0.55 ? 'resolved' : r < 0.9 ? 'escalate' : 'no_match';
  const trigger = pick(TRIGGERS);
  for (let t = 1; t <= turns; t++) {
    const last = t === turns;
    worker.push(
      contactEvents.botTurn(meta('bot-1'), {
        turn: t,
        intent: pick(['billing_dispute', 'refund', 'plan_change', 'none']),
        confidence: Math.round(random() * 1000) / 1000,
        sentiment: Math.round((random() * 2 - 1) * 1000) / 1000,
        topics: ['billing'],
        triggers: last && port === 'escalate' ? [trigger] : [],
        answered: port === 'resolved' || !last,
      }),
    );
  }
  worker.push(contactEvents.stepExited(meta('bot-1'), { nodeType: 'bot', visit: 1, port, durationMs: 1_000 + ms(120_000) }));

  let outcome: 'resolved_by_bot' | 'resolved_by_human' | 'ticketed' | 'abandoned' = 'resolved_by_bot';
  let resolvedBy: { kind: 'bot' | 'agent' | 'none'; agentId?: string } = { kind: 'bot' };
  let escalations = 0;
  let handledAt = 'bot-1';
  if (port === 'escalate') {
    escalations = 1;
    handledAt = 'esc-1';
    const workItemId = `wi-${contactId}`;
    const queue = pick(['billing', 'billing-vip']);
    worker.push(contactEvents.stepEntered(meta('esc-1'), { nodeType: 'escalate', visit: 1 }));
    const escalated = contactEvents.escalated(meta('esc-1'), {
      queue,
      trigger: random() < 0.9 ? { kind: trigger, reason: `detected ${trigger}` } : null,
      causeNodeId: 'bot-1',
      workItemId,
    });
    worker.push(escalated);
    const agentId = `agent-${ms(20)}`;
    const abandoned = random() < 0.15;
    api.push(contactEvents.workItemOffered(apiMeta('esc-1'), { workItemId, queue, agentId, attempt: 1 }));
    if (abandoned) {
      api.push(contactEvents.workItemCompleted(apiMeta('esc-1'), { workItemId, queue, outcome: 'abandoned', reasonTags: [], handleMs: 0 }));
      outcome = 'abandoned';
      resolvedBy = { kind: 'none' };
      worker.push(contactEvents.stepExited(meta('esc-1'), { nodeType: 'escalate', visit: 1, port: 'abandoned', durationMs: ms(600_000) }));
      worker.push(contactEvents.stepEntered(meta('end-abandoned'), { nodeType: 'end', visit: 1 }));
    } else {
      api.push(contactEvents.workItemAccepted(apiMeta('esc-1'), { workItemId, queue, agentId, waitMs: ms(900_000) }));
      const tags = [...new Set([pick(TAGS), ...(random() < 0.4 ? [pick(TAGS)] : [])])];
      const resolution = { schemaVersion: 1 as const, workItemId, outcome: 'resolved' as const, reasonTags: random() < 0.8 ? tags : [], agentId, resolvedAt: tick(ms(50)) };
      api.push(...wrapUpEvents(escalationContextOf(escalated), resolution, { handleMs: ms(1_800_000), source: '/tandem/api' }));
      outcome = 'resolved_by_human';
      resolvedBy = { kind: 'agent', agentId };
      worker.push(contactEvents.stepExited(meta('esc-1'), { nodeType: 'escalate', visit: 1, port: 'resolved', durationMs: ms(2_000_000) }));
      worker.push(contactEvents.stepEntered(meta('end-human'), { nodeType: 'end', visit: 1 }));
    }
  } else if (port === 'no_match') {
    outcome = 'ticketed';
    resolvedBy = { kind: 'none' };
    worker.push(contactEvents.stepEntered(meta('ticket-1'), { nodeType: 'ticket', visit: 1 }));
    worker.push(contactEvents.stepExited(meta('ticket-1'), { nodeType: 'ticket', visit: 1, port: 'next', durationMs: ms(300) }));
    worker.push(contactEvents.stepEntered(meta('end-ticket'), { nodeType: 'end', visit: 1 }));
  } else {
    worker.push(contactEvents.stepEntered(meta('end-bot'), { nodeType: 'end', visit: 1 }));
  }
  const endNode = (worker[worker.length - 1] as { nodeid: string }).nodeid;
  worker.push(contactEvents.ended(meta(endNode), { outcome, resolvedBy, escalations, durationMs: clock - startedAt }));
  if (outcome !== 'abandoned' && random() < 0.5) {
    worker.push(feedbackEvents.csat(meta(handledAt), { score: 1 + ms(5), collectedBy: 'survey_node', surveyNodeId: 'csat', resolvedBy }));
  }
  return { contactId, worker, api };
}

export function generateTraffic(flowId: string, flowVersion: number, contacts: number, seed = 1): ContactTraffic[] {
  const random = prng(seed);
  return Array.from({ length: contacts }, () => generateContact(flowId, flowVersion, random));
}
