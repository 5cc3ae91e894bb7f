/**
 * Types of the contact workflow's input, state and messages. Types only (plus tiny constants): the 
 * workflow bundle and clients both import this file.
 */
import type {
  Channel,
  ContactOutcome,
  Customer,
  CustomerInput,
  EscalationTrigger,
  HandoffPackage,
  NluSnapshot,
  TranscriptEntry,
} from '@tandem/contracts';
import type { Calendar, Plan } from '@tandem/flow/runtime';

/** The contact as it enters a flow. */
export interface ContactInput {
  id: string;
  channel: Channel;
  customer: CustomerInput;
  /** Channel or CRM attributes, readable as `contact.attributes`. */
  attributes?: Record<string, unknown>;
  /** The message that opened the contact (chat, email), consumed by the first node that reads input. */
  firstMessage?: string;
}

/** Tuning knobs, mostly for tests and operators. */
export interface ContactFlowOptions {
  /** Continue-as-new once history has this many events (default: when Temporal suggests it). */
  continueAsNewAfterEvents?: number;
  /** Flush buffered events once this many are pending (default 100; they are also sent whenever the contact waits or ends). */
  eventBatchSize?: number;
  /**
   * A sandbox run (a flow test): nothing reaches the outside world — no tickets are created, no message
   * is delivered through the channel, events are published as simulations. Custom activities still run.
   */
  sandbox?: boolean;
}

/** Input of `contactFlow`: the plan travels with the contact, so it keeps the version it started with. */
export interface ContactFlowInput {
  schemaVersion: 1;
  plan: Plan;
  /** Published version number of the plan's flow (0 for drafts, e.g. simulations). */
  flowVersion: number;
  contact: ContactInput;
  /** Initial values of flow variables (a subflow's input). */
  input?: Record<string, unknown>;
  /**
   * Named calendars the plan (and its subflows) reference, as they were when the contact started. A
   * calendar not given here is fetched by an activity when first needed.
   */
  calendars?: Record<string, Calendar>;
  /** Published plans of the subflows the plan calls (transitively), pinned when the contact started. */
  subflows?: Record<string, { plan: Plan; version: number }>;
  options?: ContactFlowOptions;
  /** How the contact reached Tandem (reported in contact.started). */
  origin?: { kind: 'api' | 'inbound' | 'subflow'; external?: { system: string; contactId: string }; parentContactId?: string };
  /** Set when this run continues an earlier one (continue-as-new). */
  carried?: CarriedState;
  /**
   * Set for a subflow: the parent workflow holding the customer's conversation. The subflow receives the
   * customer's messages from it and sends what it says back to it.
   */
  parent?: { workflowId: string; transcript: TranscriptEntry[] };
}

export interface ContactFlowResult {
  outcome: ContactOutcome;
  /** The end node that ended it (or the node where it was cancelled). */
  nodeId: string;
  ctx: Record<string, unknown>;
  transcriptLength: number;
}

/** A message the flow sends to the customer. */
export interface OutboundMessage {
  from: 'bot' | 'agent' | 'system';
  text: string;
  nodeId?: string;
  articleId?: string;
}

/** A customer's message as an integration submits it. */
export interface CustomerMessageInput {
  schemaVersion: 1;
  text: string;
  /** The integration's id of the message (kept in the transcript). */
  externalId?: string;
}

/** Who is talking with the customer right now. */
export type HandledBy = 'bot' | 'queue' | 'human' | 'flow' | 'ended';

/** What `customerMessage` returns: the flow's answer to this message, until it waited again. */
export interface CustomerMessageReply {
  /** `human`: an agent has the contact and will answer; `queue`: waiting for an agent. */
  handledBy: HandledBy;
  messages: OutboundMessage[];
  /** Nodes the contact is at after the message was handled. */
  steps: string[];
}

/** Why a contact is being escalated: the trigger and the step that decided it. */
export interface EscalationCause {
  trigger: EscalationTrigger;
  /** The step that decided: the bot or waiting step where the trigger fired, or the decision whose rule held. */
  nodeId: string;
  /** For `flow_rule`: the rule of the decision that held. */
  rule?: { id: string; label?: string };
}

/** The open work item of an escalation. */
export interface OpenWorkItem {
  id: string;
  nodeId: string;
  queue: string;
  visit: number;
  /** Set once an agent messaged the customer on it. */
  agentId?: string;
}

/** Agent-assist suggestions for the human who has the contact, recomputed per customer message. */
export interface AssistSuggestions {
  basedOnMessage: number;
  articles: { id: string; title: string; score: number }[];
  draftReply: string | null;
  complianceFlags: { kind: string; message: string }[];
}

/** Everything the workflow knows about the contact; carried across continue-as-new. */
export interface ContactState {
  contact: { id: string; channel: Channel; customer: Customer; attributes: Record<string, unknown> };
  ctx: Record<string, unknown>;
  nlu: NluSnapshot;
  /** The last bot result, as flow expressions see it (`bot.outcome`, `bot.intent`, …). */
  bot: Record<string, unknown>;
  transcript: TranscriptEntry[];
  /** Customer messages not yet read by a node, as transcript indexes. */
  inbox: number[];
  /** Times each node ran. */
  visits: Record<string, number>;
  /** Nodes the contact went through, in order. */
  trail: string[];
  /** Escalations to a human queue so far (0 = contained by the bot). */
  escalations: number;
  /** Who handled the contact last: the node (a bot or an escalation) and, for a human, the agent. */
  lastHandler: { nodeId: string; kind: 'bot' | 'agent'; agentId?: string } | null;
  /**
   * Why the next escalation happens, as decided by the step that sent the contact towards a person: a
   * bot's trigger, the escape hatch at a waiting step, or a decision's rule (`flow_rule`). Consumed by
   * the escalation; absent in contacts started before it existed.
   */
  escalationCause?: EscalationCause | null;
  /** Per-node state of nodes that wait (bot conversation, escalation progress), so they can resume. */
  nodeState: Record<string, unknown>;
  handoff: HandoffPackage | null;
  workItem: OpenWorkItem | null;
  /** Work items already resolved (late or duplicate resolutions are ignored). */
  resolvedWorkItems: string[];
  assist: AssistSuggestions | null;
  /** Sequence of the next event id. */
  eventSeq: number;
  startedAt: string;
}

/** What a run hands the next one on continue-as-new. */
export interface CarriedState {
  state: ContactState;
  /** The node to resume at (it re-enters with its `nodeState`). */
  resumeAt: string;
  runs: number;
  /** A cancellation that arrived while the run handed over; the next run acts on it first. */
  cancel?: { schemaVersion: 1; reason: 'customer_left' | 'operator' | 'timeout'; note?: string };
}

/** What the `state` query returns. */
export interface ContactStateView {
  contactId: string;
  flowId: string;
  flowVersion: number;
  planHash: string;
  steps: string[];
  handledBy: HandledBy;
  outcome: ContactOutcome | null;
  ctx: Record<string, unknown>;
  nlu: NluSnapshot;
  customer: Customer;
  channel: Channel;
  transcript: TranscriptEntry[];
  handoff: HandoffPackage | null;
  workItem: OpenWorkItem | null;
  assist: AssistSuggestions | null;
  /** Nodes the contact went through, in order (a node repeated per visit). */
  path: string[];
  /** Why the contact is heading to a person (a bot's trigger, the escape hatch, a decision's rule), until the escalation takes it. */
  escalationCause?: EscalationCause | null;
  /**
   * The contact has answered and waits: every path waits (for the customer, an agent or a timer) and no
   * customer message is unread — what it said so far is all it says until something happens. False
   * while it works and once it has ended.
   */
  awaiting: boolean;
  continuedAsNew: number;
}
