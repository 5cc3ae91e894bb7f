import {
  channelSchema,
  contactOutcomeSchema,
  customerSchema,
  escalationTriggerKindSchema,
  nluSnapshotSchema,
  workItemOutcomeSchema,
} from '@tandem/contracts';
import type { MAX_CUSTOMER_MESSAGE_LENGTH } from '@tandem/workflow-contract';
import { z } from 'zod';
import { checkSimulation, envelopeBaseSchema, flowExtensionsSchema } from './envelope';

/**
 * One zod schema per event type and version. A schema validates the whole CloudEvents envelope (with
 * the type fixed), so a consumer checks a message in one call. Unknown fields in `data` are dropped on
 * parse, not rejected: a compatible v1 addition must not break older consumers.
 */

/** Which of Tandem's topics a type is published on; the names themselves are configurable ({@link TandemTopics}). */
export type TopicRole = 'contactEvents' | 'feedbackEvents' | 'contactsInbound';

const id = (what: string) => z.string().min(1, `${what} must not be empty`);
const nonNegativeMs = (what: string) => z.number().int(`${what} must be whole milliseconds`).min(0, `${what} must not be negative`);

/** The envelope of one type, its attributes in the order the spec lists them (that is the JSON's key order too). */
function envelopeOf<T extends string, D extends z.ZodType>(type: T, data: D) {
  const { specversion, id, source, time, subject, datacontenttype, dataschema } = envelopeBaseSchema.shape;
  return z.object({ specversion, id, type: z.literal(type), source, subject, time, datacontenttype, dataschema, data });
}

function contactEnvelope<T extends string, D extends z.ZodType>(type: T, data: D) {
  const { specversion, id, type: typeSchema, source, subject, time, datacontenttype, dataschema } = envelopeOf(type, data).shape;
  return z.object({ specversion, id, type: typeSchema, source, subject, time, datacontenttype, dataschema, ...flowExtensionsSchema.shape, data }).superRefine(checkSimulation);
}

// ---------------------------------------------------------------------------------------------------
// Contact events (topic tandem.contact-events), emitted by the worker (and the API for work items).

export const contactStartedDataSchema = z.object({
  channel: channelSchema,
  /** Who the customer is, without personal data: subscribers look details up by id if they may. */
  customer: z.object({ id: id('customer.id'), tier: z.string().min(1), authenticated: z.boolean() }),
  /** How the contact reached Tandem. */
  origin: z.enum(['api', 'inbound', 'subflow']),
  /** The contact in the system that handed it over (inbound contacts). */
  external: z.object({ system: id('external.system'), contactId: id('external.contactId') }).optional(),
  /** The contact whose flow started this one as a subflow. */
  parentContactId: z.string().min(1).optional(),
});
export const contactStartedSchema = contactEnvelope('tandem.contact.started.v1', contactStartedDataSchema);

export const stepEnteredDataSchema = z.object({
  /** Catalog type of the node (`bot`, `escalate`, …), so subscribers need not read the flow. */
  nodeType: id('nodeType'),
  /** 1 for the first time this contact enters the node, 2 on a loop back, … */
  visit: z.number().int().min(1, 'visit starts at 1'),
});
export const stepEnteredSchema = contactEnvelope('tandem.step.entered.v1', stepEnteredDataSchema);

export const stepExitedDataSchema = stepEnteredDataSchema.extend({
  /** The output port the contact left by (`resolved`, `escalate`, `timeout`, a decision rule id, …). */
  port: id('port'),
  /** Time spent in the node on this visit. */
  durationMs: nonNegativeMs('durationMs'),
  /**
   * Set when the step could not do its work and took its defined way out instead (an expression that
   * failed at run time took the decision's `default`, a request for a person left a wait): what went
   * wrong, for the node's metrics.
   */
  error: z.string().min(1).max(2000).optional(),
});
export const stepExitedSchema = contactEnvelope('tandem.step.exited.v1', stepExitedDataSchema);

export const botTurnDataSchema = nluSnapshotSchema.extend({
  /** 1-based turn of the conversation at this node. */
  turn: z.number().int().min(1, 'turn starts at 1'),
  /** Whether the bot answered (a knowledge article or an intent reply) or fell back. */
  answered: z.boolean(),
  articleId: z.string().min(1).optional(),
});
export const botTurnSchema = contactEnvelope('tandem.bot.turn.v1', botTurnDataSchema);

export const escalationTriggerSummarySchema = z.object({
  kind: escalationTriggerKindSchema,
  /** A sentence a designer understands, e.g. "asked for a human 2 times". */
  reason: z.string(),
  detail: z.string().optional(),
});

export const contactEscalatedDataSchema = z.object({
  queue: id('queue'),
  /** The trigger that escalated, or null when the flow escalated unconditionally. */
  trigger: escalationTriggerSummarySchema.nullable(),
  /**
   * The node that caused the escalation: where the trigger fired or the bot got stuck (the handoff's
   * `stuckAt`). The event's own `nodeid` is the escalate node that routed the contact.
   */
  causeNodeId: id('causeNodeId'),
  workItemId: z.string().min(1).optional(),
  priority: z.number().int().optional(),
});
export const contactEscalatedSchema = contactEnvelope('tandem.contact.escalated.v1', contactEscalatedDataSchema);

export const workItemOfferedDataSchema = z.object({
  workItemId: id('workItemId'),
  queue: id('queue'),
  agentId: id('agentId'),
  /** 1 for the first offer of this work item, 2 after a reject or an expiry, … */
  attempt: z.number().int().min(1, 'attempt starts at 1'),
});
export const workItemOfferedSchema = contactEnvelope('tandem.workitem.offered.v1', workItemOfferedDataSchema);

export const workItemAcceptedDataSchema = z.object({
  workItemId: id('workItemId'),
  queue: id('queue'),
  agentId: id('agentId'),
  /** Time the contact waited in the queue, from the work item's creation to this acceptance. */
  waitMs: nonNegativeMs('waitMs'),
});
export const workItemAcceptedSchema = contactEnvelope('tandem.workitem.accepted.v1', workItemAcceptedDataSchema);

export const workItemCompletedDataSchema = z.object({
  workItemId: id('workItemId'),
  queue: id('queue'),
  agentId: z.string().min(1).optional(),
  outcome: workItemOutcomeSchema,
  /** The agent's wrap-up reason tags (also published as feedback.escalation-tagged). */
  reasonTags: z.array(z.string().min(1)),
  /** Handle time: from acceptance to completion (0 when the item was never accepted). */
  handleMs: nonNegativeMs('handleMs'),
});
export const workItemCompletedSchema = contactEnvelope('tandem.workitem.completed.v1', workItemCompletedDataSchema);

export const resolverSchema = z.object({
  kind: z.enum(['bot', 'agent', 'none']),
  agentId: z.string().min(1).optional(),
});

export const contactEndedDataSchema = z
  .object({
    outcome: contactOutcomeSchema,
    /** Who resolved it: the bot, an agent (with id), or nobody (ticketed, abandoned). */
    resolvedBy: resolverSchema,
    /** How many times the contact was escalated to a human queue (0 = contained by the bot). */
    escalations: z.number().int().min(0),
    durationMs: nonNegativeMs('durationMs'),
  })
  .superRefine((data, ctx) => {
    const expected = { resolved_by_bot: 'bot', resolved_by_human: 'agent' } as const;
    const kind = expected[data.outcome as keyof typeof expected];
    if (kind && data.resolvedBy.kind !== kind) {
      ctx.addIssue({ code: 'custom', path: ['resolvedBy', 'kind'], message: `outcome ${data.outcome} means resolvedBy.kind "${kind}"` });
    }
  });
export const contactEndedSchema = contactEnvelope('tandem.contact.ended.v1', contactEndedDataSchema);

// ---------------------------------------------------------------------------------------------------
// Feedback events (topic tandem.feedback-events): what agents and customers said about a contact.

export const escalationTaggedDataSchema = z.object({
  workItemId: id('workItemId'),
  agentId: z.string().min(1).optional(),
  /** The agent's wrap-up reason tags: why this escalation happened, in the team's vocabulary. */
  tags: z.array(z.string().min(1, 'tags must not be empty strings')).min(1, 'at least one tag'),
  /** The trigger that caused the escalation (null: the flow escalated unconditionally). */
  trigger: escalationTriggerKindSchema.nullable(),
  /** The escalate node that routed the contact; the event's `nodeid` is the node that caused it. */
  escalateNodeId: id('escalateNodeId'),
  queue: id('queue'),
  outcome: workItemOutcomeSchema,
});
export const escalationTaggedSchema = contactEnvelope('tandem.feedback.escalation-tagged.v1', escalationTaggedDataSchema);

export const csatDataSchema = z.object({
  /** Customer satisfaction on a 1–5 scale. */
  score: z.number().int('score must be a whole number').min(1, 'score is 1–5').max(5, 'score is 1–5'),
  /** Where it was collected: a survey node of the flow, or a survey outside Tandem. */
  collectedBy: z.enum(['survey_node', 'external']),
  surveyNodeId: z.string().min(1).optional(),
  /** Who resolved the contact the score is about. */
  resolvedBy: resolverSchema,
});
/** `nodeid` is the node the score is attributed to: the node that handled the contact (a bot or escalate node). */
export const csatSchema = contactEnvelope('tandem.feedback.csat.v1', csatDataSchema);

// ---------------------------------------------------------------------------------------------------
// Inbound (topic tandem.contacts-inbound): another system hands Tandem a contact.

/**
 * The longest first message, in characters (UTF-16 code units): the one limit of the workflow
 * contract (typed as its literal, so this does not compile if the two differ; a type-only import keeps
 * Temporal out of this package). A longer message makes the request invalid — it is dead-lettered
 * with the reason, never started and then refused by the contact.
 */
const MAX_MESSAGE_LENGTH: typeof MAX_CUSTOMER_MESSAGE_LENGTH = 10_000;

export const contactRequestedDataSchema = z.object({
  /** The system handing the contact over (e.g. `genesys-prod`); with the id below, the dedupe key. */
  externalSystem: id('externalSystem'),
  externalContactId: id('externalContactId'),
  flowId: id('flowId'),
  /** Pin a published version; the flow's current version when absent. */
  flowVersion: z.number().int().min(1).optional(),
  channel: channelSchema,
  customer: customerSchema,
  /** Free-form context for the flow (`contact.attributes`). */
  attributes: z.record(z.string(), z.unknown()).default({}),
  /** The customer's first message, for chat and email. */
  firstMessage: z
    .object({
      text: z
        .string()
        .min(1, 'firstMessage.text must not be empty')
        .max(MAX_MESSAGE_LENGTH, `firstMessage.text is longer than the ${MAX_MESSAGE_LENGTH} characters a message may have`),
      at: z.iso.datetime({ offset: true }).optional(),
    })
    .optional(),
});
/** `subject` is the external contact id (Tandem's contact id does not exist yet). */
export const contactRequestedSchema = envelopeOf('tandem.contact.requested.v1', contactRequestedDataSchema);

// ---------------------------------------------------------------------------------------------------

export type ContactStartedEvent = z.infer<typeof contactStartedSchema>;
export type StepEnteredEvent = z.infer<typeof stepEnteredSchema>;
export type StepExitedEvent = z.infer<typeof stepExitedSchema>;
export type BotTurnEvent = z.infer<typeof botTurnSchema>;
export type ContactEscalatedEvent = z.infer<typeof contactEscalatedSchema>;
export type WorkItemOfferedEvent = z.infer<typeof workItemOfferedSchema>;
export type WorkItemAcceptedEvent = z.infer<typeof workItemAcceptedSchema>;
export type WorkItemCompletedEvent = z.infer<typeof workItemCompletedSchema>;
export type ContactEndedEvent = z.infer<typeof contactEndedSchema>;
export type EscalationTaggedEvent = z.infer<typeof escalationTaggedSchema>;
export type CsatEvent = z.infer<typeof csatSchema>;
export type ContactRequestedEvent = z.infer<typeof contactRequestedSchema>;

export type ContactEvent =
  | ContactStartedEvent
  | StepEnteredEvent
  | StepExitedEvent
  | BotTurnEvent
  | ContactEscalatedEvent
  | WorkItemOfferedEvent
  | WorkItemAcceptedEvent
  | WorkItemCompletedEvent
  | ContactEndedEvent;
export type FeedbackEvent = EscalationTaggedEvent | CsatEvent;
/** Every event Tandem publishes or accepts. Narrow on `type`. */
export type TandemEvent = ContactEvent | FeedbackEvent | ContactRequestedEvent;
export type TandemEventType = TandemEvent['type'];
/** The event of one type. */
export type EventOfType<T extends TandemEventType> = Extract<TandemEvent, { type: T }>;

/** What the registry knows about one event type. */
export interface EventTypeDefinition {
  /** `tandem.<name>.v<version>`: the CloudEvents `type`. */
  type: TandemEventType;
  /** The name without prefix and version, e.g. `step.exited`. */
  name: string;
  version: number;
  topic: TopicRole;
  schema: z.ZodType;
  description: string;
}

function def(type: TandemEventType, topic: TopicRole, schema: z.ZodType, description: string): EventTypeDefinition {
  const match = /^tandem\.(.+)\.v(\d+)$/.exec(type);
  if (!match) throw new Error(`event type "${type}" does not follow tandem.<name>.v<version>`);
  return { type, name: match[1]!, version: Number(match[2]), topic, schema, description };
}

/** Every event type Tandem knows, in the order the docs list them. */
export const eventTypes: readonly EventTypeDefinition[] = [
  def('tandem.contact.started.v1', 'contactEvents', contactStartedSchema, 'A contact started running a flow (nodeid: the start node).'),
  def('tandem.step.entered.v1', 'contactEvents', stepEnteredSchema, 'The contact entered a node.'),
  def('tandem.step.exited.v1', 'contactEvents', stepExitedSchema, 'The contact left a node by an output port.'),
  def('tandem.bot.turn.v1', 'contactEvents', botTurnSchema, "One turn of a bot conversation: the NLU's intent, confidence, sentiment, topics and triggers."),
  def('tandem.contact.escalated.v1', 'contactEvents', contactEscalatedSchema, 'The contact was routed to a human queue (nodeid: the escalate node; data.causeNodeId: the node that caused it).'),
  def('tandem.workitem.offered.v1', 'contactEvents', workItemOfferedSchema, "The contact's work item was offered to an agent."),
  def('tandem.workitem.accepted.v1', 'contactEvents', workItemAcceptedSchema, 'An agent accepted the work item (with the queue wait time).'),
  def('tandem.workitem.completed.v1', 'contactEvents', workItemCompletedSchema, 'The agent completed the work item (outcome, reason tags, handle time).'),
  def('tandem.contact.ended.v1', 'contactEvents', contactEndedSchema, 'The contact ended (nodeid: the end node) with an outcome and who resolved it.'),
  def('tandem.feedback.escalation-tagged.v1', 'feedbackEvents', escalationTaggedSchema, "An agent's wrap-up reason tags for an escalation (nodeid: the node that caused it)."),
  def('tandem.feedback.csat.v1', 'feedbackEvents', csatSchema, "A customer's satisfaction score (nodeid: the node that handled the contact)."),
  def('tandem.contact.requested.v1', 'contactsInbound', contactRequestedSchema, 'Another system hands Tandem a contact to start (subject: the external contact id).'),
];

const byType = new Map(eventTypes.map((d) => [d.type as string, d]));

/** The definition of a type, or undefined for a type Tandem does not know. */
export function eventTypeDefinition(type: string): EventTypeDefinition | undefined {
  return byType.get(type);
}
