import type { z } from 'zod';
import { CLOUDEVENTS_SPEC_VERSION, DATA_CONTENT_TYPE, DRAFT_FLOW_VERSION } from './envelope';
import {
  botTurnDataSchema,
  contactEndedDataSchema,
  contactEscalatedDataSchema,
  type contactRequestedDataSchema,
  contactStartedDataSchema,
  csatDataSchema,
  escalationTaggedDataSchema,
  eventTypeDefinition,
  stepEnteredDataSchema,
  stepExitedDataSchema,
  workItemAcceptedDataSchema,
  workItemCompletedDataSchema,
  workItemOfferedDataSchema,
  type EventOfType,
  type TandemEventType,
} from './events';
import { newEventId } from './ids';
import { EventValidationError, issuesOf } from './parse';

/** The CloudEvents `source` used when a builder is not told one. Producers should say who they are. */
export const DEFAULT_EVENT_SOURCE = '/tandem';

/** Envelope fields a producer may set; everything else is filled in. */
export interface EnvelopeOptions {
  /**
   * The event id. Omit it for a random UUID; the worker passes {@link deterministicEventId} so that
   * an activity retry republishes the same ids.
   */
  id?: string;
  /** When it happened (default: now). */
  time?: Date | string;
  /** Who emits it, e.g. `/tandem/worker` or `/tandem/api` (default `/tandem`). */
  source?: string;
}

/** Where a contact or feedback event happened: the contact, its flow version and the node. */
export interface ContactEventMeta extends EnvelopeOptions {
  contactId: string;
  flowId: string;
  /** The published version the contact runs, or 0 for a draft (its events are then simulations). */
  flowVersion: number;
  nodeId: string;
  /**
   * Whether the contact is a simulation rather than real traffic. Defaults to `flowVersion === 0`: a
   * draft's contact is always one, so producers need not say it; pass `true` for a simulated run of a
   * published version.
   */
  simulation?: boolean;
}

function envelope(type: TandemEventType, subject: string, options: EnvelopeOptions) {
  const time = options.time instanceof Date ? options.time.toISOString() : (options.time ?? new Date().toISOString());
  return {
    specversion: CLOUDEVENTS_SPEC_VERSION,
    id: options.id ?? newEventId(),
    type,
    source: options.source ?? DEFAULT_EVENT_SOURCE,
    subject,
    time,
    datacontenttype: DATA_CONTENT_TYPE,
  };
}

function build<T extends TandemEventType>(type: T, candidate: Record<string, unknown>): EventOfType<T> {
  const definition = eventTypeDefinition(type)!;
  const parsed = definition.schema.safeParse(candidate);
  if (!parsed.success) throw new EventValidationError(issuesOf(parsed.error), type, candidate.id as string, candidate);
  return parsed.data as EventOfType<T>;
}

function contactBuilder<T extends TandemEventType, S extends z.ZodType>(type: T, _data: S) {
  return (meta: ContactEventMeta, data: z.input<S>): EventOfType<T> =>
    build(type, {
      ...envelope(type, meta.contactId, meta),
      flowid: meta.flowId,
      flowversion: meta.flowVersion,
      nodeid: meta.nodeId,
      // Present only on simulations, so real traffic's events are as they always were.
      ...((meta.simulation ?? meta.flowVersion === DRAFT_FLOW_VERSION) ? { simulation: true } : {}),
      data,
    });
}

/**
 * Builders for contact events: each validates its input and fills the CloudEvents envelope, so what
 * leaves a producer always matches its schema. A draft's contact (`flowVersion: 0`) gets
 * `simulation: true` by itself.
 *
 * @example
 * const meta = { contactId: 'c-42', flowId: 'billing', flowVersion: 3, nodeId: 'bot-1', source: '/tandem/worker' };
 * contactEvents.stepExited({ ...meta, id: deterministicEventId('contact-c-42', 7) },
 *   { nodeType: 'bot', visit: 1, port: 'escalate', durationMs: 48_200 });
 */
export const contactEvents = {
  started: contactBuilder('tandem.contact.started.v1', contactStartedDataSchema),
  stepEntered: contactBuilder('tandem.step.entered.v1', stepEnteredDataSchema),
  stepExited: contactBuilder('tandem.step.exited.v1', stepExitedDataSchema),
  botTurn: contactBuilder('tandem.bot.turn.v1', botTurnDataSchema),
  escalated: contactBuilder('tandem.contact.escalated.v1', contactEscalatedDataSchema),
  workItemOffered: contactBuilder('tandem.workitem.offered.v1', workItemOfferedDataSchema),
  workItemAccepted: contactBuilder('tandem.workitem.accepted.v1', workItemAcceptedDataSchema),
  workItemCompleted: contactBuilder('tandem.workitem.completed.v1', workItemCompletedDataSchema),
  ended: contactBuilder('tandem.contact.ended.v1', contactEndedDataSchema),
};

/**
 * Builders for feedback events. `nodeId` is the node the feedback is about: for escalation tags the node
 * that caused the escalation, for CSAT the node that handled the contact.
 */
export const feedbackEvents = {
  escalationTagged: contactBuilder('tandem.feedback.escalation-tagged.v1', escalationTaggedDataSchema),
  csat: contactBuilder('tandem.feedback.csat.v1', csatDataSchema),
};

/** Builder for the inbound request another system publishes to start a contact. */
export const inboundEvents = {
  contactRequested: (options: EnvelopeOptions, data: z.input<typeof contactRequestedDataSchema>) =>
    build('tandem.contact.requested.v1', { ...envelope('tandem.contact.requested.v1', data.externalContactId, options), data }),
};
