/**
 * The core's activities (what every contact needs whatever its nodes: delivering messages, live data,
 * sending events, withdrawing an open work item) and the shape of the events the workflow records.
 * The workflow imports these as types only; nodes declare their own activities next to their executor
 * (`src/nodes/<type>/activities.ts`).
 */
import type { Channel, Customer, EscalationTrigger } from '@tandem/contracts';
import type {
  botTurnDataSchema,
  contactEndedDataSchema,
  contactEscalatedDataSchema,
  contactStartedDataSchema,
  csatDataSchema,
  stepEnteredDataSchema,
  stepExitedDataSchema,
} from '@tandem/events';
import type { Calendar } from '@tandem/flow/runtime';
import type { z } from 'zod';

/** What every activity call says about where it comes from (logs, idempotency keys, events). */
export interface CallSite {
  contactId: string;
  workflowId: string;
  nodeId: string;
  /** Which visit of the node this is (1-based): part of idempotency keys. */
  visit: number;
}

export interface DeliverMessageRequest {
  contactId: string;
  channel: Channel;
  from: 'bot' | 'agent' | 'system';
  text: string;
  /** Transcript index: delivery is idempotent per contact and index. */
  index: number;
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

/**
 * The data of each event the workflow records, typed from its published contract (packages/events):
 * an event the compiler accepts here is one the contract can accept, so an invalid event is a bug a
 * test finds — and, should one slip through, the sink dead-letters it.
 */
export interface ContactEventData {
  'contact.started': z.input<typeof contactStartedDataSchema>;
  'step.entered': z.input<typeof stepEnteredDataSchema>;
  'step.exited': z.input<typeof stepExitedDataSchema>;
  'bot.turn': z.input<typeof botTurnDataSchema>;
  'contact.escalated': z.input<typeof contactEscalatedDataSchema>;
  'contact.ended': z.input<typeof contactEndedDataSchema>;
  'feedback.csat': z.input<typeof csatDataSchema>;
}
export type ContactEventType = keyof ContactEventData;

interface EventRecordBase {
  /** `<workflowId>/<sequence>`: deterministic, so a retried emit republishes the same events. */
  id: string;
  workflowId: string;
  /** Per contact, counting across continue-as-new runs. */
  sequence: number;
  time: string;
  contactId: string;
  flowId: string;
  /** The published version the contact runs; 0 for a draft (a designer's test chat: a simulation). */
  flowVersion: number;
  /** The node the event belongs to (for contact.started the start node). */
  nodeId: string;
  /** A sandbox run (a flow test): published as a simulation whatever the version. */
  simulation?: true;
}

/** A contact event as the workflow records it; the sink turns it into the published CloudEvent. */
export type ContactEventRecord = { [T in ContactEventType]: EventRecordBase & { type: T; data: ContactEventData[T] } }[ContactEventType];

export interface EmitEventsRequest {
  events: ContactEventRecord[];
}

/** A customer message to look at for the escape hatch (`detectTriggers`). */
export interface DetectTriggersRequest {
  text: string;
  /** Its index in the transcript (the evidence points at it). */
  index: number;
  customer: Customer;
  /** Workflow time (ISO). */
  now: string;
}

/** The core's activities (implemented in `./index.ts`). */
export interface CoreActivities {
  deliverMessage(request: DeliverMessageRequest): Promise<void>;
  fetchLiveData(request: LiveDataRequest): Promise<LiveDataResponse>;
  /**
   * Publishes the events; one that fails its contract is dead-lettered (counted, logged), never
   * retried. Fails only while the sink is unavailable (then Temporal retries with the same ids).
   */
  emitEvents(request: EmitEventsRequest): Promise<{ published: number; deadLettered: number }>;
  /**
   * The escalation triggers one customer message carries (a request for a person, legal, regulatory,
   * vulnerable, complaint, frustration, negative sentiment), with their evidence: what the escape hatch
   * checks at every step that waits for the customer's words.
   */
  detectTriggers(request: DetectTriggersRequest): Promise<{ triggers: EscalationTrigger[]; sentiment: number }>;
  /** Takes a work item out of routing: the customer left, took a callback, the wait ran out, or the contact was cancelled. */
  withdrawWorkItem(request: { workItemId: string; reason: 'timeout' | 'customer_left' | 'callback' | 'cancelled' }): Promise<void>;
}

/** Activity type name of a custom activity (activity kit) registered by the worker. */
export function customActivityType(name: string): string {
  return `custom:${name}`;
}
