import type { Channel, Customer } from '@tandem/contracts';
import type { Kafka } from 'kafkajs';
import type { DataSource, EntityManager } from 'typeorm';
import { runConsumer, type ProcessedBatch, type RunningConsumer } from './consumer';
import type { ContactRequestedEvent, TandemEvent } from './contracts/events';
import { inboundContactId } from './contracts/ids';
import { defaultTopics, type TandemTopics } from './kafka';
import { defaultLogger, type EventsLogger } from './logger';

/** The consumer group of inbound contacts. */
export const INBOUND_GROUP_ID = 'tandem-inbound-contacts';

/** What the inbound consumer asks the platform to start. */
export interface StartContactRequest {
  /** Derived from (externalSystem, externalContactId): the same external contact, the same id. */
  contactId: string;
  externalSystem: string;
  externalContactId: string;
  flowId: string;
  flowVersion?: number;
  channel: Channel;
  customer: Customer;
  attributes: Record<string, unknown>;
  firstMessage?: { text: string; at?: string };
  /** The id of the request event, for tracing. */
  requestEventId: string;
  requestedAt: string;
}

/**
 * Starts a contact (in Tandem: the `contact-<contactId>` workflow). Must itself be idempotent by
 * contact id — Temporal's workflow-id uniqueness makes it so — and answer `started: false` for a
 * contact that already exists; throwing means "try again later" (the request is not lost).
 */
export type StartContact = (request: StartContactRequest) => Promise<{ started: boolean }>;

export interface InboundContactsConsumerOptions {
  kafka: Kafka;
  dataSource: DataSource;
  startContact: StartContact;
  topics?: TandemTopics;
  /** Default {@link INBOUND_GROUP_ID}. */
  groupId?: string;
  onBatchProcessed?: (batch: ProcessedBatch) => void;
  logger?: EventsLogger;
}

/** The request turned into what `startContact` receives. */
export function startContactRequestOf(event: ContactRequestedEvent): StartContactRequest {
  const d = event.data;
  return {
    contactId: inboundContactId(d.externalSystem, d.externalContactId),
    externalSystem: d.externalSystem,
    externalContactId: d.externalContactId,
    flowId: d.flowId,
    flowVersion: d.flowVersion,
    channel: d.channel,
    customer: d.customer,
    attributes: d.attributes,
    firstMessage: d.firstMessage,
    requestEventId: event.id,
    requestedAt: event.time,
  };
}

/**
 * Starts contacts handed over on `tandem.contacts-inbound`, once per external contact: a request is
 * recorded in `events.inbound_contacts` (keyed by external system + external id) in the same
 * transaction that calls `startContact`; a second request for the same external contact — another
 * event id, a redelivery, a replay — finds the row and starts nothing. If `startContact` fails the row
 * rolls back with it and the request is retried.
 */
export function runInboundContactsConsumer(options: InboundContactsConsumerOptions): Promise<RunningConsumer> {
  const logger = options.logger ?? defaultLogger('inbound-contacts');
  const topics = options.topics ?? defaultTopics;
  return runConsumer({
    kafka: options.kafka,
    dataSource: options.dataSource,
    groupId: options.groupId ?? INBOUND_GROUP_ID,
    topics: [topics.contactsInbound],
    handle: (events, manager) => startInboundContacts(events, manager, (request) => options.startContact(request), logger),
    onBatchProcessed: options.onBatchProcessed,
    logger,
  });
}

async function startInboundContacts(events: TandemEvent[], manager: EntityManager, startContact: StartContact, logger: EventsLogger): Promise<void> {
  for (const event of events) {
    if (event.type !== 'tandem.contact.requested.v1') {
      logger.warn({ eventId: event.id, type: event.type }, 'ignored an event that is not a contact request on the inbound topic');
      continue;
    }
    const request = startContactRequestOf(event);
    const claimed = await manager.query<unknown[]>(
      `INSERT INTO "events"."inbound_contacts" ("external_system", "external_contact_id", "contact_id", "flow_id", "event_id")
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING "contact_id"`,
      [request.externalSystem, request.externalContactId, request.contactId, request.flowId, request.requestEventId],
    );
    if (claimed.length === 0) {
      logger.info({ eventId: event.id, contactId: request.contactId, externalContactId: request.externalContactId }, 'contact already started for this external contact');
      continue;
    }
    const { started } = await startContact(request);
    logger.info({ eventId: event.id, contactId: request.contactId, started }, started ? 'started an inbound contact' : 'inbound contact was already running');
  }
}
