import { HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Cancelled, ContactList, ContactStatus, ContactSummary, ContactView, CsatRecorded, MessageReply, TranscriptView } from '@tandem/api-contract';
import { contactWorkflowId, maskPaymentCards, type TranscriptEntry } from '@tandem/contracts';
import { feedbackEvents, OutboxWriter, uuidV5 } from '@tandem/events';
import {
  cancelSignal,
  ChannelKey,
  CONTACT_WORKFLOW_TYPE,
  isContactMoving,
  type ContactStateView,
  ContactIdKey,
  customerMessageUpdate,
  FlowIdKey,
  FlowVersionKey,
  OutcomeKey,
  QueueKey,
  stateQuery,
  StepKey,
} from '@tandem/workflow-contract';
import { isGrpcDeadlineError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError, type WorkflowExecutionDescription, type WorkflowHandle } from '@temporalio/client';
import { executionInfoFromRaw } from '@temporalio/client/lib/helpers';
import { WorkflowNotFoundError } from '@temporalio/common';
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ApiError, ConflictError, NotFoundError } from '../common/errors';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { API_EVENT_SOURCE } from '../events/routing-outbox.sink';
import { TemporalService } from '../infrastructure/temporal.service';

export interface ContactListFilter {
  flowId?: string | undefined;
  version?: number | undefined;
  channel?: string | undefined;
  step?: string | undefined;
  queue?: string | undefined;
  outcome?: string | undefined;
  status?: Exclude<ContactStatus, 'unknown'> | undefined;
  limit: number;
  pageToken?: string | undefined;
}

const STATUS_FILTER: Record<Exclude<ContactStatus, 'unknown'>, string> = {
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Canceled',
  terminated: 'Terminated',
  continued_as_new: 'ContinuedAsNew',
  timed_out: 'TimedOut',
};

/** A visibility query literal; values are validated by the DTOs, quotes are escaped anyway. */
const literal = (v: string) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

const statusOf = (name: string): ContactStatus => {
  const s = name.toLowerCase();
  return (s in STATUS_FILTER ? s : 'unknown') as ContactStatus;
};

/** The message of a failed update's cause: the workflow's refusal (validator or handler). */
function updateFailureMessage(e: WorkflowUpdateFailedError): string {
  const cause = e.cause as { message?: string; cause?: { message?: string } } | undefined;
  return cause?.message ?? cause?.cause?.message ?? e.message;
}

/**
 * A contact's conversation and state, through its workflow: customer messages (the `customerMessage`
 * update), the `state` query, cancellation, the visibility list, and CSAT collected outside Tandem.
 */
@Injectable()
export class ContactsService {
  private readonly logger = new Logger(ContactsService.name);

  constructor(
    private readonly temporal: TemporalService,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  private handle(contactId: string): WorkflowHandle {
    return this.temporal.client.workflow.getHandle(contactWorkflowId(contactId));
  }

  /** The workflow's description; 404 for a contact that never existed. */
  async describe(contactId: string): Promise<WorkflowExecutionDescription> {
    try {
      return await this.bounded(() => this.handle(contactId).describe());
    } catch (e) {
      if (e instanceof WorkflowNotFoundError) throw new NotFoundError('contact', contactId);
      throw e;
    }
  }

  /**
   * Sends a customer message and returns the flow's answer (the bot's reply, or who has the contact
   * now). `messageId` is the update id: sending the same message again returns the first answer
   * instead of recording it twice. While the contact moves to a new run (continue-as-new) the message
   * is refused without being recorded: it is sent again until the new run takes it.
   */
  async message(contactId: string, input: { text: string; messageId?: string | undefined }): Promise<MessageReply> {
    const handle = this.handle(contactId);
    const updateId = input.messageId ?? randomUUID();
    const deadline = Date.now() + this.config.api.messageTimeoutMs;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.temporal.connection.withDeadline(deadline, () =>
          handle.executeUpdate(customerMessageUpdate, { args: [{ schemaVersion: 1, text: input.text, ...(input.messageId ? { externalId: input.messageId } : {}) }], updateId }),
        );
      } catch (e) {
        if (e instanceof WorkflowUpdateFailedError) {
          const reason = updateFailureMessage(e);
          if (isContactMoving(reason)) {
            if (Date.now() + 50 < deadline) {
              await new Promise((r) => setTimeout(r, Math.min(25 * (attempt + 1), 250)));
              continue;
            }
            throw this.unresponsive(contactId, 'it kept moving to a new run');
          }
          if (/contact has ended/.test(reason)) throw contactEnded(contactId);
          if (reason.startsWith('text:')) throw new ApiError(HttpStatus.BAD_REQUEST, 'validation_failed', `body.${reason}`);
          throw new ConflictError('message_refused', `the contact refused the message: ${reason}`);
        }
        if (e instanceof WorkflowNotFoundError) {
          // Not found, or already closed: tell which.
          await this.describe(contactId);
          throw contactEnded(contactId);
        }
        if (e instanceof WorkflowUpdateRPCTimeoutOrCancelledError || isGrpcDeadlineError(e)) throw this.unresponsive(contactId, `no answer within ${this.config.api.messageTimeoutMs} ms`);
        throw e;
      }
    }
  }

  /** The contact's state (the workflow's `state` query) with its status and times. */
  async state(contactId: string): Promise<ContactView> {
    const description = await this.describe(contactId);
    const view = await this.query(contactId);
    return {
      ...view,
      workflowId: description.workflowId,
      status: statusOf(description.status.name),
      draft: view.flowVersion === 0,
      startedAt: description.startTime.toISOString(),
      closedAt: description.closeTime?.toISOString() ?? null,
    };
  }

  /** The `state` query alone; 404 for an unknown contact, 503 when no worker answers in time. */
  async query(contactId: string, workflowId = contactWorkflowId(contactId)): Promise<ContactStateView> {
    try {
      return await this.bounded(() => this.temporal.client.workflow.getHandle(workflowId).query(stateQuery));
    } catch (e) {
      if (e instanceof WorkflowNotFoundError) throw new NotFoundError('contact', contactId);
      if (isGrpcDeadlineError(e)) throw this.unavailable(contactId);
      throw e;
    }
  }

  async transcript(contactId: string): Promise<TranscriptView> {
    const view = await this.query(contactId);
    return { contactId, transcript: view.transcript, outcome: view.outcome };
  }

  /** Ends a running contact (its current step is abandoned; a waiting work item is withdrawn). */
  async cancel(contactId: string, input: { reason: 'customer_left' | 'operator'; note?: string | undefined }): Promise<Cancelled> {
    const description = await this.describe(contactId);
    if (description.status.name !== 'RUNNING') throw contactEnded(contactId, description.status.name.toLowerCase());
    try {
      // The note is kept in the contact's history: never a card number in clear.
      const note = input.note ? maskPaymentCards(input.note).text : undefined;
      await this.bounded(() => this.handle(contactId).signal(cancelSignal, { schemaVersion: 1, reason: input.reason, ...(note ? { note } : {}) }));
    } catch (e) {
      // It ended between the two calls (another cancel, its last step): the same answer as above.
      if (e instanceof WorkflowNotFoundError) throw contactEnded(contactId);
      throw e;
    }
    return { contactId, status: 'cancelling' };
  }

  /** Contacts by search attributes (Temporal visibility), newest first, a page at a time. */
  async list(filter: ContactListFilter): Promise<ContactList> {
    // This deployment's contacts: its task queue (several deployments may share a namespace).
    const clauses = [`WorkflowType = ${literal(CONTACT_WORKFLOW_TYPE)}`, `TaskQueue = ${literal(this.config.temporal.taskQueue)}`, `${ContactIdKey.name} IS NOT NULL`];
    if (filter.flowId) clauses.push(`${FlowIdKey.name} = ${literal(filter.flowId)}`);
    if (filter.version !== undefined) clauses.push(`${FlowVersionKey.name} = ${filter.version}`);
    if (filter.channel) clauses.push(`${ChannelKey.name} = ${literal(filter.channel)}`);
    if (filter.step) clauses.push(`${StepKey.name} = ${literal(filter.step)}`);
    if (filter.queue) clauses.push(`${QueueKey.name} = ${literal(filter.queue)}`);
    if (filter.outcome) clauses.push(`${OutcomeKey.name} = ${literal(filter.outcome)}`);
    if (filter.status) clauses.push(`ExecutionStatus = ${literal(STATUS_FILTER[filter.status])}`);
    const query = clauses.join(' AND ');
    const nextPageToken = filter.pageToken ? this.openPageToken(filter.pageToken, query) : undefined;
    const response = await this.bounded(() =>
      this.temporal.connection.workflowService.listWorkflowExecutions({
        namespace: this.config.temporal.namespace,
        pageSize: filter.limit,
        query,
        ...(nextPageToken ? { nextPageToken } : {}),
      }),
    );
    const items: ContactSummary[] = [];
    for (const raw of response.executions ?? []) {
      const info = await executionInfoFromRaw(raw, this.temporal.client.options.loadedDataConverter, raw, this.config.temporal.namespace);
      const attrs = info.typedSearchAttributes;
      const contactId = attrs.get(ContactIdKey) ?? info.workflowId.replace(/^contact-/, '');
      items.push({
        contactId,
        workflowId: info.workflowId,
        flowId: attrs.get(FlowIdKey) ?? null,
        flowVersion: attrs.get(FlowVersionKey) ?? null,
        channel: attrs.get(ChannelKey) ?? null,
        step: attrs.get(StepKey) ?? null,
        queue: attrs.get(QueueKey) ?? null,
        outcome: attrs.get(OutcomeKey) ?? null,
        status: statusOf(info.status.name),
        startedAt: info.startTime.toISOString(),
        closedAt: info.closeTime?.toISOString() ?? null,
      });
    }
    const token = response.nextPageToken && response.nextPageToken.length ? this.sealPageToken(Buffer.from(response.nextPageToken), query) : null;
    return { items, nextPageToken: token };
  }

  /**
   * Temporal's page token, sealed with an HMAC over the token and the query it pages: a token that
   * was tampered with, or is replayed with other filters, is a 400 here rather than an error deep in
   * Temporal's visibility store.
   */
  private sealPageToken(token: Buffer, query: string): string {
    return `${token.toString('base64url')}.${this.pageTokenMac(token, query)}`;
  }

  private openPageToken(sealed: string, query: string): Buffer {
    const [data, mac] = sealed.split('.');
    const token = Buffer.from(data ?? '', 'base64url');
    const expected = this.pageTokenMac(token, query);
    if (!token.length || !mac || mac.length !== expected.length || !timingSafeEqual(Buffer.from(mac), Buffer.from(expected))) {
      throw new ApiError(HttpStatus.BAD_REQUEST, 'validation_failed', 'query.pageToken: not a nextPageToken this API returned for these filters');
    }
    return token;
  }

  private pageTokenMac(token: Buffer, query: string): string {
    return createHmac('sha256', this.config.api.jwtSecret).update(token).update('\n').update(query).digest('base64url').slice(0, 22);
  }

  /**
   * A customer satisfaction score collected outside Tandem (a post-contact survey), published as
   * `feedback.csat` through the outbox, attributed to the node that handled the contact: the escalate
   * node whose agent answered last, else the bot node that did. One score per contact.
   */
  async csat(contactId: string, input: { score: number }): Promise<CsatRecorded> {
    const view = await this.query(contactId);
    if (view.flowVersion === 0) throw new ConflictError('draft_contact', `contact "${contactId}" is a simulation of a draft; its satisfaction is not measured`);
    const lastOf = (from: TranscriptEntry['from']) => [...view.transcript].reverse().find((t) => t.from === from);
    const agent = lastOf('agent');
    const bot = lastOf('bot');
    const nodeId = agent?.nodeId ?? bot?.nodeId ?? view.path.at(-1) ?? view.steps[0];
    if (!nodeId) throw new ConflictError('contact_not_started', `contact "${contactId}" has not reached any node yet`);
    const resolvedBy =
      view.outcome === 'resolved_by_human' || (view.outcome === null && agent)
        ? { kind: 'agent' as const, ...(agent?.agentId ? { agentId: agent.agentId } : {}) }
        : view.outcome === 'resolved_by_bot' || (view.outcome === null && bot)
          ? { kind: 'bot' as const }
          : { kind: 'none' as const };
    const eventId = uuidV5(`csat:external:${contactId}`);
    const event = feedbackEvents.csat(
      { id: eventId, contactId, flowId: view.flowId, flowVersion: view.flowVersion, nodeId, source: API_EVENT_SOURCE },
      { score: input.score, collectedBy: 'external', resolvedBy },
    );
    await this.dataSource.transaction(async (manager) => {
      const existing = await manager.query<unknown[]>(`SELECT 1 FROM events.outbox WHERE event_id = $1`, [eventId]);
      if (existing.length) throw new ConflictError('csat_already_recorded', `a satisfaction score for contact "${contactId}" was already recorded`);
      await this.outbox.append(manager, [event]);
    });
    return { contactId, eventId, nodeId, score: input.score };
  }

  private bounded<T>(fn: () => Promise<T>): Promise<T> {
    return this.temporal.connection.withDeadline(Date.now() + this.config.api.queryTimeoutMs, fn);
  }

  private unresponsive(contactId: string, why: string): ApiError {
    this.logger.warn({ contactId, why }, 'contact did not answer a message');
    return new ApiError(HttpStatus.GATEWAY_TIMEOUT, 'contact_unresponsive', `contact "${contactId}" did not answer the message (${why}); it was kept and will be answered when the flow runs again`);
  }

  private unavailable(contactId: string): ApiError {
    return new ApiError(HttpStatus.SERVICE_UNAVAILABLE, 'contact_unavailable', `contact "${contactId}" did not answer within ${this.config.api.queryTimeoutMs} ms: is a worker running on task queue "${this.config.temporal.taskQueue}"?`);
  }
}

function contactEnded(contactId: string, status = 'ended'): ConflictError {
  return new ConflictError('contact_ended', `contact "${contactId}" has ${status === 'ended' ? 'ended' : `ended (${status})`}; it takes no more messages or commands`);
}
