/**
 * Inputs and outputs of the built-in activities. The workflow imports these as types only; activity
 * implementations live in ./index.ts (`createActivities(deps)`).
 */
import type {
  Channel,
  ContactOutcome,
  Customer,
  EscalationTrigger,
  HandoffPackage,
  NluSnapshot,
  TranscriptEntry,
} from '@tandem/contracts';
import type { Calendar, Plan } from '@tandem/flow/runtime';
import type { AssistSuggestions } from '@tandem/workflow-contract';

/** What every activity call says about where it comes from (logs, idempotency keys, events). */
export interface CallSite {
  contactId: string;
  workflowId: string;
  nodeId: string;
  /** Which visit of the node this is (1-based): part of idempotency keys. */
  visit: number;
}

export interface BotTurnRequest extends CallSite {
  /** The bot node's config (defaults applied). Its texts are templates the workflow renders after the turn. */
  config: Record<string, unknown>;
  /** The virtual agent's conversation state for this node (null on the first turn). */
  conversation: unknown;
  /** The customer's message and its transcript index; null asks for the greeting only. */
  message: { text: string; index: number } | null;
  customer: Customer;
  channel: Channel;
  /** Workflow time (ISO): the virtual agent resolves relative dates against it. */
  now: string;
}

export interface BotTurnResponse {
  outcome: 'continue' | 'resolved' | 'escalate' | 'no_match';
  replies: { text: string; articleId?: string }[];
  conversation: unknown;
  nlu: NluSnapshot;
  /** What expressions see as `bot`. */
  bot: Record<string, unknown>;
  /** The trigger that escalated (outcome `escalate`). */
  escalation: EscalationTrigger | null;
  /** Filled slots (`saveAs` variable → value). */
  variables: Record<string, string>;
}

export interface ClassifyRequest extends CallSite {
  config: Record<string, unknown>;
  text: string;
  index: number;
  customer: Customer;
  now: string;
}

export interface HandoffRequest extends CallSite {
  channel: Channel;
  customer: Customer;
  transcript: TranscriptEntry[];
  /** Bot conversation states of the contact's bot nodes (what was tried, entities, sentiment). */
  conversations: Record<string, unknown>;
  nlu: NluSnapshot;
  trigger: EscalationTrigger | null;
  stuckAt: { nodeId: string; label: string; reason: string } | null;
  /** Which parts the escalate node wants the agent to see. */
  include: Record<string, boolean>;
  now: string;
}

export interface CreateWorkItemRequest extends CallSite {
  queue: string;
  priority: number;
  requiredSkills: { skill: string; minLevel: number }[];
  channel: Channel;
  handoff: HandoffPackage;
  slaTargetSeconds: number;
  flowId: string;
  flowVersion: number;
}

export interface AssistRequest extends CallSite {
  workItemId: string;
  transcript: TranscriptEntry[];
  channel: Channel;
  options: Record<string, boolean>;
}

export interface DeliverMessageRequest {
  contactId: string;
  channel: Channel;
  from: 'bot' | 'agent' | 'system';
  text: string;
  /** Transcript index: delivery is idempotent per contact and index. */
  index: number;
}

export interface TicketRequest extends CallSite {
  kind: 'callback' | 'follow_up';
  queue: string | null;
  subject: string;
  body: string | null;
  priority: number;
  dueAt: string | null;
  customer: Customer;
  channel: Channel;
  handoff: HandoffPackage | null;
}

export interface LiveDataRequest {
  queues: string[];
  calendars: string[];
}

export interface LiveDataResponse {
  /** Estimated wait in seconds per queue. */
  queues: Record<string, number>;
  /** Named calendars, evaluated against workflow time by the workflow itself. */
  calendars: Record<string, Calendar>;
}

export interface SubflowPlanRequest {
  flowId: string;
}

/**
 * A contact event as the workflow records it; the sink turns it into the published CloudEvent
 * (packages/events), whose `data` schema these fields follow.
 */
export interface ContactEventRecord {
  /** `<workflowId>/<sequence>`: deterministic, so a retried emit republishes the same events. */
  id: string;
  workflowId: string;
  /** Per contact, counting across continue-as-new runs. */
  sequence: number;
  type:
    | 'contact.started'
    | 'step.entered'
    | 'step.exited'
    | 'bot.turn'
    | 'contact.escalated'
    | 'contact.ended'
    | 'feedback.csat';
  time: string;
  contactId: string;
  flowId: string;
  flowVersion: number;
  /** The node the event belongs to (for contact.started the start node). */
  nodeId: string;
  data: Record<string, unknown>;
}

export interface EmitEventsRequest {
  events: ContactEventRecord[];
}

export type { AssistSuggestions, ContactOutcome };

/** The built-in activities the interpreter calls (implemented by `createActivities`). */
export interface BuiltinActivities {
  botTurn(request: BotTurnRequest): Promise<BotTurnResponse>;
  classify(request: ClassifyRequest): Promise<{ nlu: NluSnapshot; trigger: EscalationTrigger | null }>;
  buildHandoff(request: HandoffRequest): Promise<HandoffPackage>;
  createWorkItem(request: CreateWorkItemRequest): Promise<{ workItemId: string }>;
  raiseWorkItemPriority(request: { workItemId: string; by: number; reason: string }): Promise<void>;
  moveWorkItem(request: { workItemId: string; queue: string; reason: string }): Promise<void>;
  withdrawWorkItem(request: { workItemId: string; reason: 'timeout' | 'customer_left' | 'callback' | 'cancelled' }): Promise<void>;
  /** Withdraws the items a workflow of this contact left waiting for an agent (a subflow that did not close properly). */
  withdrawWorkItemsOf(request: { contactId: string; workflowId: string; reason: 'subflow_failed' }): Promise<{ withdrawn: number }>;
  assistAgent(request: AssistRequest): Promise<AssistSuggestions>;
  deliverMessage(request: DeliverMessageRequest): Promise<void>;
  createTicket(request: TicketRequest): Promise<{ ticketId: string }>;
  fetchLiveData(request: LiveDataRequest): Promise<LiveDataResponse>;
  loadSubflowPlan(request: SubflowPlanRequest): Promise<{ plan: Plan; version: number }>;
  emitEvents(request: EmitEventsRequest): Promise<void>;
}

/** Activity type name of a custom activity (activity kit) registered by the worker. */
export function customActivityType(name: string): string {
  return `custom:${name}`;
}
