/**
 * Domain types that cross package and service boundaries — the virtual agent builds a handoff package,
 * routing stores it, the worker carries it, the API shows it to an agent, events report it — defined
 * once here as zod schemas. Pure: no I/O, safe in the browser and the Temporal workflow sandbox.
 */
import { z } from 'zod';
import { authMethodSchema, channelSchema } from './customer';

export * from './customer';
export * from './empty-nlu';
export * from './work-items';
export * from './payment-cards';


/** Who said something in a conversation. */
export const speakerSchema = z.enum(['customer', 'bot', 'agent', 'system']);
export type Speaker = z.infer<typeof speakerSchema>;

/** What a compliance check found in a message (a card number, a promise the agent may not make…). */
export const complianceFlagSchema = z.object({
  kind: z.string(),
  /** `block`: never sent; `warn`: sent, and flagged for review. */
  severity: z.enum(['warn', 'block']),
  message: z.string(),
});
export type ComplianceFlag = z.infer<typeof complianceFlagSchema>;

/** One message of a contact's conversation. The workflow's transcript is complete whoever answered. */
export const transcriptEntrySchema = z.object({
  /** ISO-8601 time the message was recorded (workflow time for bot and system messages). */
  at: z.string(),
  from: speakerSchema,
  text: z.string(),
  /** The agent who wrote it, for `from: 'agent'`. */
  agentId: z.string().optional(),
  /** The flow node that produced or received it. */
  nodeId: z.string().optional(),
  /** For bot replies: the knowledge article it answered from. */
  articleId: z.string().optional(),
  /** Compliance findings an agent's message was sent with (`warn` only: `block` is never sent). */
  flags: z.array(complianceFlagSchema).optional(),
});
export type TranscriptEntry = z.infer<typeof transcriptEntrySchema>;

/**
 * Why a conversation should go to a human, as detected by the virtual agent or decided by a flow.
 * Flows branch on these names (`"legal_threat" in nlu.triggers`).
 */
export const escalationTriggerKindSchema = z.enum([
  'human_request',
  'negative_sentiment',
  'frustration',
  'low_confidence',
  'complaint',
  'legal_threat',
  'regulatory',
  'vulnerable_customer',
  'repeat_contact',
  'high_value',
  'bot_failure',
  'flow_rule',
]);
export type EscalationTriggerKind = z.infer<typeof escalationTriggerKindSchema>;

/** The words in one message that made a trigger fire, so an agent can see why. */
export const triggerEvidenceSchema = z.object({
  /** Index of the message in the transcript. */
  messageIndex: z.number().int().min(0),
  text: z.string(),
  words: z.array(z.string()),
});
export type TriggerEvidence = z.infer<typeof triggerEvidenceSchema>;

export const escalationTriggerSchema = z.object({
  kind: escalationTriggerKindSchema,
  /** A sentence an agent or designer understands, e.g. "asked for a human 2 times". */
  reason: z.string(),
  evidence: z.array(triggerEvidenceSchema).default([]),
  /** Sub-kind where one helps, e.g. `bereavement` for vulnerable_customer. */
  detail: z.string().optional(),
});
export type EscalationTrigger = z.infer<typeof escalationTriggerSchema>;

/**
 * What flow expressions see as `nlu`: the latest understanding of the conversation. Kept small and
 * flat so CEL can type-check it.
 */
export const nluSnapshotSchema = z.object({
  intent: z.string(),
  confidence: z.number().min(0).max(1),
  /** -1 (very negative) … 1 (very positive), the latest customer message. */
  sentiment: z.number().min(-1).max(1),
  topics: z.array(z.string()),
  triggers: z.array(escalationTriggerKindSchema),
});
export type NluSnapshot = z.infer<typeof nluSnapshotSchema>;


/** A value extracted from the conversation (order number, date, amount, email, phone, …). */
export const entitySchema = z.object({
  type: z.string(),
  value: z.string(),
  /** The text it was found in, as written. */
  text: z.string().optional(),
  messageIndex: z.number().int().min(0).optional(),
});
export type Entity = z.infer<typeof entitySchema>;

export const sentimentTrendSchema = z.object({
  /** Sentiment of each customer message, oldest first, each in -1 … 1. */
  history: z.array(z.number().min(-1).max(1)),
  current: z.number().min(-1).max(1),
  direction: z.enum(['improving', 'stable', 'worsening']),
});
export type SentimentTrend = z.infer<typeof sentimentTrendSchema>;

/** What the bot attempted before handing off, so the agent does not repeat it. */
export const attemptSchema = z.object({
  kind: z.enum(['intent', 'knowledge_article', 'slot_prompt', 'message', 'activity', 'clarification']),
  detail: z.string(),
  /** Whether it helped (e.g. the customer confirmed the article answered the question). */
  succeeded: z.boolean().optional(),
  /** What came of it, in words an agent reads: `the customer said it did not help`, `no answer`. */
  outcome: z.string().optional(),
  /** The customer's answer to the attempt, as written (masked). */
  customerAnswer: z.string().optional(),
  /** The flow node that made the attempt. */
  nodeId: z.string().optional(),
});
export type Attempt = z.infer<typeof attemptSchema>;

/**
 * Everything a human agent needs to take over without asking the customer to repeat themselves.
 * Built by the virtual agent, stored on the work item by routing, shown by the API.
 */
export const handoffPackageSchema = z.object({
  schemaVersion: z.literal(1),
  contactId: z.string().min(1),
  channel: channelSchema,
  customer: z.object({
    id: z.string().min(1),
    name: z.string().optional(),
    tier: z.string(),
    authenticated: z.boolean(),
    authMethod: authMethodSchema,
  }),
  intent: z.object({ name: z.string(), confidence: z.number().min(0).max(1) }).nullable(),
  entities: z.array(entitySchema),
  sentiment: sentimentTrendSchema,
  topics: z.array(z.string()),
  /** The trigger that escalated, or null when the flow escalated unconditionally. */
  trigger: escalationTriggerSchema.nullable(),
  /** Where the bot got stuck: the flow node, why, and what it still needed (`the order number`). */
  stuckAt: z.object({ nodeId: z.string(), label: z.string().optional(), reason: z.string(), need: z.string().optional() }).nullable(),
  tried: z.array(attemptSchema),
  /** A short extractive summary: a few of the customer's own sentences. */
  summary: z.string(),
  transcript: z.array(transcriptEntrySchema),
  /** The customer attributes the escalating node chose to show (e.g. contacts in the last 7 days, plan). */
  attributes: z.record(z.string(), z.unknown()).optional(),
  createdAt: z.string(),
});
export type HandoffPackage = z.infer<typeof handoffPackageSchema>;


/**
 * How a contact ended: as an `end` node declares it, or `failed` when a step could not process what it
 * got and nobody could be reached (counted in metrics and events; never a silent death).
 */
export const contactOutcomeSchema = z.enum(['resolved_by_bot', 'resolved_by_human', 'ticketed', 'abandoned', 'failed']);
export type ContactOutcome = z.infer<typeof contactOutcomeSchema>;

/** The Temporal workflow id of a contact. */
export function contactWorkflowId(contactId: string): string {
  return `contact-${contactId}`;
}
