import { HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import { type Channel, maskPaymentCards } from '@tandem/contracts';
import { type AgentStatus, type Completion, RoutingDirectory, RoutingNotFoundError, type WorkItem, type WorkItemStatus, WorkRouter } from '@tandem/routing';
import type { AgentView, ClaimResult, LiveContact, MessageSent, PendingOfferView, StatusChange, WorkItemDetail, WorkItemView } from '@tandem/api-contract';
import { type AgentMessageInput, agentMessageSignal } from '@tandem/workflow-contract';
import { WorkflowNotFoundError } from '@temporalio/common';
import { ApiError, ConflictError, NotFoundError } from '../common/errors';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { ContactsService } from '../contacts/contacts.service';
import { EscalationContextService } from '../events/escalation-context.service';
import { TemporalService } from '../infrastructure/temporal.service';
import { AssignmentSignalsService } from '../routing/assignment-signals.service';
import { checkAgentMessage, needsEarlierAgentMessages, toFlag } from './compliance';
import { toAgentView, toPendingOfferView, toWorkItemView } from './work-item.view';

const ACTIVE: WorkItemStatus[] = ['offered', 'assigned', 'wrapping'];

/**
 * An agent's desk, for the agent the token names and only its own work: status, claims, offers,
 * the items it holds, messages to their customers, wrap-up, completion, transfer, release. An item
 * the agent does not hold (or never held) is a 404: its existence is not the agent's business.
 */
@Injectable()
export class AgentDeskService {
  private readonly logger = new Logger(AgentDeskService.name);

  constructor(
    private readonly router: WorkRouter,
    private readonly directory: RoutingDirectory,
    private readonly contacts: ContactsService,
    private readonly contexts: EscalationContextService,
    private readonly temporal: TemporalService,
    private readonly assignments: AssignmentSignalsService,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  async me(agentId: string): Promise<AgentView> {
    return toAgentView(await this.agent(agentId));
  }

  async setStatus(agentId: string, status: AgentStatus): Promise<StatusChange> {
    await this.agent(agentId);
    const { released } = await this.router.setAgentStatus(agentId, status);
    return { agent: toAgentView(await this.directory.getAgent(agentId)), released: released.map(toWorkItemView) };
  }

  async claim(agentId: string, options: { queues?: string[] | undefined; channels?: Channel[] | undefined }): Promise<ClaimResult> {
    await this.agent(agentId);
    const item = await this.router.claim(agentId, { ...(options.queues ? { queues: options.queues } : {}), ...(options.channels ? { channels: options.channels } : {}) });
    // The claim queued the contact's workItemAssigned signal: send it now (the customer is told a person joined).
    if (item) this.assignments.deliverSoon();
    return { workItem: item ? toWorkItemView(item) : null };
  }

  async offers(agentId: string): Promise<PendingOfferView[]> {
    await this.agent(agentId);
    return (await this.router.pendingOffersFor(agentId)).map(toPendingOfferView);
  }

  async accept(agentId: string, offerId: string): Promise<WorkItemView> {
    await this.agent(agentId);
    const pending = (await this.router.pendingOffersFor(agentId)).find((p) => p.offer.id === offerId);
    if (pending) await this.warmContext(pending.workItem);
    const accepted = await this.router.acceptOffer(offerId, agentId);
    this.assignments.deliverSoon();
    return toWorkItemView(accepted);
  }

  async reject(agentId: string, offerId: string, reason: string | undefined): Promise<WorkItemView> {
    await this.agent(agentId);
    return toWorkItemView(await this.router.rejectOffer(offerId, agentId, reason ?? 'rejected'));
  }

  async myItems(agentId: string): Promise<WorkItemView[]> {
    await this.agent(agentId);
    return (await this.router.listWorkItems({ agentId, statuses: ACTIVE, limit: 200 })).map(toWorkItemView);
  }

  async detail(agentId: string, workItemId: string): Promise<WorkItemDetail> {
    const item = await this.mine(agentId, workItemId);
    let contact: LiveContact | null = null;
    let liveError: string | undefined;
    try {
      const view = await this.contacts.query(item.contactId, item.workflowId);
      contact = {
        handledBy: view.handledBy,
        steps: view.steps,
        outcome: view.outcome,
        transcript: view.transcript,
        nlu: view.nlu,
        // Suggestions belong to the escalation the contact waits on now.
        assist: view.workItem?.id === item.id ? view.assist : null,
      };
    } catch (e) {
      liveError = e instanceof Error ? e.message : String(e);
      this.logger.warn({ err: e, workItemId }, 'could not read the live contact of a work item');
    }
    return { workItem: toWorkItemView(item), handoff: item.handoff, contact, ...(liveError ? { liveError } : {}) };
  }

  /**
   * Sends the agent's message to the customer (the contact's `agentMessage` signal) once it passed the
   * compliance check: a `block` finding is a 422 `compliance_blocked` and nothing is sent; `warn`
   * findings go out with the message (its transcript entry carries them) and come back in the answer.
   */
  async message(agentId: string, workItemId: string, text: string): Promise<MessageSent> {
    const item = await this.mine(agentId, workItemId);
    if (item.status !== 'assigned') {
      throw new ConflictError('not_in_conversation', `work item ${workItemId} is ${item.status}: messages go to the customer while it is assigned to you`);
    }
    const check = checkAgentMessage(text, { channel: item.channel, previousAgentMessages: await this.earlierAgentMessages(item) });
    if (check.blocking.length) {
      this.logger.warn({ workItemId, agentId, findings: check.blocking.map((f) => f.kind) }, 'an agent message was refused by the compliance check');
      throw new ApiError(
        HttpStatus.UNPROCESSABLE_ENTITY,
        'compliance_blocked',
        `the message was not sent: ${check.blocking.map((f) => f.message).join('; ')}`,
        { findings: check.findings },
      );
    }
    // Nothing the check lets through holds a card number; masking anyway keeps it so if the two ever disagree.
    const signal: AgentMessageInput = {
      schemaVersion: 1,
      workItemId,
      agentId,
      text: maskPaymentCards(text).text,
      ...(check.warnings.length ? { flags: check.warnings.map(toFlag) } : {}),
    };
    try {
      await this.temporal.connection.withDeadline(Date.now() + this.config.api.queryTimeoutMs, () => this.temporal.client.workflow.getHandle(item.workflowId).signal(agentMessageSignal, signal));
    } catch (e) {
      if (e instanceof WorkflowNotFoundError) throw new ConflictError('contact_ended', `the contact of work item ${workItemId} has ended`);
      throw e;
    }
    return { workItemId, sent: true, flags: check.warnings };
  }

  /**
   * What the agents already said in the item's conversation, for the checks that span it (a required
   * disclosure made earlier counts). Asked only where such a check applies; if the contact does not
   * answer, the check runs on this message alone (it may warn more, never block less).
   */
  private async earlierAgentMessages(item: WorkItem): Promise<string[]> {
    if (!needsEarlierAgentMessages(item.channel)) return [];
    try {
      const view = await this.contacts.query(item.contactId, item.workflowId);
      return view.transcript.filter((e) => e.from === 'agent').map((e) => e.text);
    } catch (e) {
      this.logger.warn({ err: e, workItemId: item.id }, 'could not read the conversation for the compliance check; checking the message alone');
      return [];
    }
  }

  async wrapUp(agentId: string, workItemId: string): Promise<WorkItemView> {
    await this.mine(agentId, workItemId);
    return toWorkItemView(await this.router.beginWrapUp(workItemId, agentId));
  }

  /** Completes the item; routing queues the resolution to the contact's workflow in the same transaction. */
  async complete(agentId: string, workItemId: string, completion: Completion): Promise<WorkItemView> {
    const item = await this.mine(agentId, workItemId);
    await this.warmContext(item);
    return toWorkItemView(await this.router.completeWorkItem(workItemId, agentId, completion));
  }

  async transfer(agentId: string, workItemId: string, transfer: { toQueue?: string | undefined; toAgentId?: string | undefined; note?: string | undefined }): Promise<WorkItemView> {
    await this.mine(agentId, workItemId);
    return toWorkItemView(
      await this.router.transferWorkItem(workItemId, {
        ...(transfer.toQueue ? { toQueue: transfer.toQueue } : {}),
        ...(transfer.toAgentId ? { toAgentId: transfer.toAgentId } : {}),
        note: transfer.note ?? '',
        by: { kind: 'agent', id: agentId },
      }),
    );
  }

  /** Goes offline: pending offers and assigned items go back to their queues (wrap-ups stay). */
  async release(agentId: string): Promise<StatusChange> {
    return this.setStatus(agentId, 'offline');
  }

  /** The agent as routing knows it; a 404 that says what to do when it is not defined. */
  private async agent(agentId: string) {
    try {
      return await this.directory.getAgent(agentId);
    } catch (e) {
      if (e instanceof RoutingNotFoundError) {
        throw new ApiError(HttpStatus.NOT_FOUND, 'agent_not_defined', `agent "${agentId}" (from your token) is not defined in routing; a supervisor defines it with PUT /v1/supervisor/agents/${agentId}`);
      }
      throw e;
    }
  }

  /** The item, if this agent holds it or finished it; otherwise 404, as if it did not exist. */
  private async mine(agentId: string, workItemId: string): Promise<WorkItem> {
    const item = await this.router.getWorkItem(workItemId);
    if (item.agentId !== agentId) throw new NotFoundError('work item', workItemId);
    return item;
  }

  /** Learns the item's escalation context outside the routing transaction, so its events find it at once. */
  private async warmContext(item: WorkItem): Promise<void> {
    await this.contexts
      .forWorkItem({ id: item.id, workflowId: item.workflowId, contactId: item.contactId, stepId: item.stepId, queue: item.queue, handoff: item.handoff })
      .catch((e: unknown) => this.logger.warn({ err: e, workItemId: item.id }, 'could not prepare the escalation context'));
  }
}
