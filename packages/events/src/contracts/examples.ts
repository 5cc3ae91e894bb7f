import { contactEvents, feedbackEvents, inboundEvents } from './builders';
import type { EventOfType, TandemEventType } from './events';
import { deterministicEventId } from './ids';

/**
 * One realistic example of every event type, built through the builders (so each is valid by
 * construction). docs/events.md shows exactly these, and a test keeps the two in step; the API can use
 * them as OpenAPI examples.
 */
const contact = { contactId: '8d0c7a52-4f0e-4b8e-9d55-1f3f2a9c6e01', flowId: 'billing-support', flowVersion: 3, source: '/tandem/worker' };
const workflowId = `contact-${contact.contactId}`;
const at = (second: number) => new Date(Date.UTC(2026, 0, 15, 9, 30, second)).toISOString();

export const eventExamples: { [T in TandemEventType]: EventOfType<T> } = {
  'tandem.contact.started.v1': contactEvents.started(
    { ...contact, nodeId: 'start', id: deterministicEventId(workflowId, 0), time: at(0) },
    { channel: 'chat', customer: { id: 'cust-1042', tier: 'gold', authenticated: true }, origin: 'api' },
  ),
  'tandem.step.entered.v1': contactEvents.stepEntered(
    { ...contact, nodeId: 'billing-bot', id: deterministicEventId(workflowId, 1), time: at(1) },
    { nodeType: 'bot', visit: 1 },
  ),
  'tandem.bot.turn.v1': contactEvents.botTurn(
    { ...contact, nodeId: 'billing-bot', id: deterministicEventId(workflowId, 2), time: at(5) },
    { turn: 1, intent: 'billing_dispute', confidence: 0.82, sentiment: -0.6, topics: ['billing'], triggers: ['human_request'], answered: false },
  ),
  'tandem.step.exited.v1': contactEvents.stepExited(
    { ...contact, nodeId: 'billing-bot', id: deterministicEventId(workflowId, 3), time: at(6) },
    { nodeType: 'bot', visit: 1, port: 'escalate', durationMs: 5_012 },
  ),
  'tandem.contact.escalated.v1': contactEvents.escalated(
    { ...contact, nodeId: 'to-billing-agents', id: deterministicEventId(workflowId, 5), time: at(7) },
    {
      queue: 'billing',
      trigger: { kind: 'human_request', reason: 'asked for a human 2 times' },
      causeNodeId: 'billing-bot',
      workItemId: 'wi-5531',
      priority: 2,
    },
  ),
  'tandem.workitem.offered.v1': contactEvents.workItemOffered(
    { ...contact, source: '/tandem/api', nodeId: 'to-billing-agents', id: 'b1c7e0f4-2a4d-4d7c-8a36-0c2f9d1e5a10', time: at(20) },
    { workItemId: 'wi-5531', queue: 'billing', agentId: 'agent-17', attempt: 1 },
  ),
  'tandem.workitem.accepted.v1': contactEvents.workItemAccepted(
    { ...contact, source: '/tandem/api', nodeId: 'to-billing-agents', id: '0f9a3e55-6b1c-4e0a-9f8d-2c7b5a4e3d21', time: at(31) },
    { workItemId: 'wi-5531', queue: 'billing', agentId: 'agent-17', waitMs: 24_000 },
  ),
  'tandem.workitem.completed.v1': contactEvents.workItemCompleted(
    { ...contact, source: '/tandem/api', nodeId: 'to-billing-agents', id: '5e2d8c11-93a7-4f6b-b0e4-7a1c9d3f6b32', time: at(59) },
    { workItemId: 'wi-5531', queue: 'billing', agentId: 'agent-17', outcome: 'resolved', reasonTags: ['double_charge', 'bot_misunderstood'], handleMs: 28_000 },
  ),
  'tandem.contact.ended.v1': contactEvents.ended(
    { ...contact, nodeId: 'end-resolved', id: deterministicEventId(workflowId, 9), time: at(59) },
    { outcome: 'resolved_by_human', resolvedBy: { kind: 'agent', agentId: 'agent-17' }, escalations: 1, durationMs: 59_000 },
  ),
  'tandem.feedback.escalation-tagged.v1': feedbackEvents.escalationTagged(
    { ...contact, source: '/tandem/api', nodeId: 'billing-bot', id: '7c4b2a90-1d3e-4f5a-8b6c-9d0e1f2a3b43', time: at(59) },
    {
      workItemId: 'wi-5531',
      agentId: 'agent-17',
      tags: ['double_charge', 'bot_misunderstood'],
      trigger: 'human_request',
      escalateNodeId: 'to-billing-agents',
      queue: 'billing',
      outcome: 'resolved',
    },
  ),
  'tandem.feedback.csat.v1': feedbackEvents.csat(
    { ...contact, nodeId: 'to-billing-agents', id: deterministicEventId(workflowId, 11), time: new Date(Date.UTC(2026, 0, 15, 9, 31, 20)) },
    { score: 4, collectedBy: 'survey_node', surveyNodeId: 'csat-survey', resolvedBy: { kind: 'agent', agentId: 'agent-17' } },
  ),
  'tandem.contact.requested.v1': inboundEvents.contactRequested(
    { source: 'urn:acme:contact-centre', id: 'cc-evt-99120', time: at(0) },
    {
      externalSystem: 'acme-cc',
      externalContactId: 'CALL-2026-000451',
      flowId: 'billing-support',
      channel: 'voice',
      customer: { id: 'cust-1042', tier: 'gold', phone: '+4930123456' },
      attributes: { ivrPath: 'billing>dispute', language: 'en' },
    },
  ),
};

/**
 * A designer's test chat of a draft: `flowversion` 0, which the builder marks `simulation: true` by
 * itself. docs/events.md shows it under "Simulations".
 */
export const simulationExample: EventOfType<'tandem.contact.started.v1'> = contactEvents.started(
  { ...contact, contactId: '3f6a1c2e-8b4d-4e7f-9a0c-5d2e1b7f4c93', flowVersion: 0, nodeId: 'start', id: deterministicEventId('contact-3f6a1c2e-8b4d-4e7f-9a0c-5d2e1b7f4c93', 0), time: at(0) },
  { channel: 'chat', customer: { id: 'designer-test', tier: 'standard', authenticated: false }, origin: 'api' },
);
