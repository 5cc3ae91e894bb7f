import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Channel, contactWorkflowId, type CustomerInput } from '@tandem/contracts';
import type { StartedContact } from '@tandem/api-contract';
import { CustomerContactHistory, type StartContactRequest as InboundStartRequest } from '@tandem/events';
import { type Calendar, compileFlow, getNodeDefinition, type Plan } from '@tandem/flow';
import { ChannelKey, CONTACT_WORKFLOW_TYPE, ContactIdKey, type ContactFlowInput, FlowIdKey, FlowVersionKey } from '@tandem/workflow-contract';
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy } from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CalendarsService } from '../catalog/calendars.service';
import { ConflictError, NotFoundError } from '../common/errors';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { FlowResolverService } from '../flows/flow-resolver.service';
import { FlowsService } from '../flows/flows.service';
import { TemporalService } from '../infrastructure/temporal.service';


/** What starting a contact needs. */
export interface StartContact {
  flowId: string;
  /** A published version to pin; the newest published version when absent. */
  version?: number | undefined;
  /** Run the flow's current draft (a designer's simulation; reported as version 0). */
  draft?: boolean | undefined;
  channel: Channel;
  customer: CustomerInput;
  attributes?: Record<string, unknown> | undefined;
  firstMessage?: string | undefined;
  /** The contact's id; a new UUID when absent. Starting an id that exists starts nothing. */
  contactId?: string | undefined;
  origin: NonNullable<ContactFlowInput['origin']>;
}

/**
 * Starts contacts: one `contactFlow` workflow each, on the worker's task queue, with the plan it will
 * keep running (the newest published version, a pinned one, or the compiled draft), the calendars and
 * subflow plans that plan uses pinned as they are now, and the search attributes operators filter on.
 */
@Injectable()
export class ContactLauncher {
  private readonly logger = new Logger(ContactLauncher.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly temporal: TemporalService,
    private readonly flows: FlowsService,
    private readonly resolver: FlowResolverService,
    private readonly calendars: CalendarsService,
    private readonly history: CustomerContactHistory,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  async start(request: StartContact): Promise<StartedContact> {
    const { plan, version } = await this.planFor(request);
    if (plan.channels.length > 0 && !plan.channels.includes(request.channel)) {
      throw new ConflictError('channel_not_accepted', `flow "${request.flowId}" accepts ${plan.channels.join(', ')}; not ${request.channel}`, { channels: plan.channels });
    }
    const pinned = await this.pinned(plan);
    const customer = await this.withRecentContacts(request.customer);
    const contactId = request.contactId ?? randomUUID();
    const workflowId = contactWorkflowId(contactId);
    const input: ContactFlowInput = {
      schemaVersion: 1,
      plan,
      flowVersion: version,
      contact: {
        id: contactId,
        channel: request.channel,
        customer,
        ...(request.attributes ? { attributes: request.attributes } : {}),
        ...(request.firstMessage ? { firstMessage: request.firstMessage } : {}),
      },
      calendars: pinned.calendars,
      subflows: pinned.subflows,
      origin: request.origin,
    };
    try {
      await this.temporal.client.workflow.start(CONTACT_WORKFLOW_TYPE, {
        workflowId,
        taskQueue: this.config.temporal.taskQueue,
        args: [input],
        // A contact id is used once, even after the contact ended: a retried start finds it.
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        typedSearchAttributes: [
          { key: ContactIdKey, value: contactId },
          { key: FlowIdKey, value: plan.flowId },
          { key: FlowVersionKey, value: version },
          { key: ChannelKey, value: request.channel },
        ],
      });
    } catch (e) {
      if (e instanceof WorkflowExecutionAlreadyStartedError) return { contactId, workflowId, flowId: plan.flowId, flowVersion: version, created: false };
      throw e;
    }
    this.logger.log({ contactId, flowId: plan.flowId, flowVersion: version, channel: request.channel, origin: request.origin.kind }, 'contact started');
    return { contactId, workflowId, flowId: plan.flowId, flowVersion: version, created: true };
  }

  /**
   * `runInboundContactsConsumer`'s `startContact`: idempotent by the contact id derived from the external
   * id. The request's schema holds its first message to the one message limit; a first message of only
   * whitespace is no message (the contact starts, the flow asks).
   */
  async startFromInbound(request: InboundStartRequest): Promise<{ started: boolean }> {
    const firstMessage = request.firstMessage?.text.trim();
    const started = await this.start({
      flowId: request.flowId,
      version: request.flowVersion,
      channel: request.channel,
      customer: request.customer,
      attributes: request.attributes,
      firstMessage: firstMessage || undefined,
      contactId: request.contactId,
      origin: { kind: 'inbound', external: { system: request.externalSystem, contactId: request.externalContactId } },
    });
    return { started: started.created };
  }

  /**
   * The customer with `attributes.recentContacts`: their contacts that ended within
   * `TANDEM_REPEAT_CONTACT_WINDOW_DAYS`, newest first, at most 10, from Tandem's own history (the
   * projections) — what the bot's `repeat_contact` trigger and the flow (`customer.attributes`) read.
   * Left as the caller gave it when the caller passed `recentContacts` itself, and when the window is 0.
   * The history is a help, not a condition: if it cannot be read, the contact starts without it.
   */
  private async withRecentContacts(customer: CustomerInput): Promise<CustomerInput> {
    const windowDays = this.config.api.repeatContactWindowDays;
    if (windowDays <= 0 || (customer.attributes && 'recentContacts' in customer.attributes)) return customer;
    try {
      const recentContacts = await this.history.recentContacts(customer.id, { windowDays, limit: 10 });
      return { ...customer, attributes: { ...customer.attributes, recentContacts } };
    } catch (err) {
      this.logger.warn({ err, customerId: customer.id }, "could not read the customer's recent contacts; the contact starts without them");
      return customer;
    }
  }

  private async planFor(request: StartContact): Promise<{ plan: Plan; version: number }> {
    if (request.draft) {
      const flow = await this.flows.get(request.flowId);
      const result = compileFlow(flow.document, await this.resolver.load());
      if (!result.ok) {
        const errors = result.diagnostics.filter((d) => d.severity === 'error');
        throw new ConflictError('flow_invalid', `the draft of flow "${request.flowId}" does not compile: ${errors.length} error(s), first: ${errors[0]?.message ?? 'unknown'}`, {
          diagnostics: result.diagnostics,
        });
      }
      return { plan: result.plan, version: 0 };
    }
    const found = await this.publishedPlan(request.flowId, request.version);
    if (found) return found;
    await this.flows.get(request.flowId); // 404 for an unknown flow
    if (request.version !== undefined) throw new NotFoundError('flow version', `${request.flowId}@${request.version}`);
    throw new ConflictError('flow_not_published', `flow "${request.flowId}" has no published version yet: publish it, or start its draft with "draft": true`);
  }

  /** Published plans are immutable: kept once read (a few hundred at most), so a start reads one integer. */
  private readonly plans = new Map<string, Plan>();

  private async publishedPlan(flowId: string, version?: number): Promise<{ plan: Plan; version: number } | undefined> {
    let wanted = version;
    if (wanted === undefined) {
      const [latest] = await this.dataSource.query<{ version: number | null }[]>(`SELECT max(version) AS version FROM flow_versions WHERE flow_id = $1`, [flowId]);
      if (latest?.version === null || latest?.version === undefined) return undefined;
      wanted = latest.version;
    }
    const key = `${flowId}@${wanted}`;
    let plan = this.plans.get(key);
    if (!plan) {
      const [row] = await this.dataSource.query<{ plan: Plan }[]>(`SELECT plan FROM flow_versions WHERE flow_id = $1 AND version = $2`, [flowId, wanted]);
      if (!row) return undefined;
      plan = row.plan;
      if (this.plans.size >= 500) this.plans.delete(this.plans.keys().next().value!);
    } else {
      this.plans.delete(key); // least recently used goes first
    }
    this.plans.set(key, plan);
    return { plan, version: wanted };
  }

  /**
   * The calendars the plan (and its subflows, transitively) names, and the newest published plan of
   * each subflow it calls: they travel with the contact so it runs as the flow was when it started.
   */
  private async pinned(plan: Plan): Promise<{ calendars: Record<string, Calendar>; subflows: Record<string, { plan: Plan; version: number }> }> {
    const calendarNames = new Set<string>();
    const subflows: Record<string, { plan: Plan; version: number }> = {};
    const pending = [plan];
    for (let next = pending.pop(); next; next = pending.pop()) {
      for (const node of Object.values(next.nodes)) {
        for (const expression of Object.values(node.expressions)) for (const c of expression.refs.calendars) calendarNames.add(c);
        const references = getNodeDefinition(node.type, node.typeVersion)?.references?.(node.config) ?? [];
        for (const ref of references) {
          if (ref.kind === 'calendar') calendarNames.add(ref.name);
          if (ref.kind === 'subflow' && !subflows[ref.name] && ref.name !== plan.flowId) {
            const sub = await this.publishedPlan(ref.name);
            if (!sub) throw new ConflictError('subflow_not_published', `flow "${next.flowId}" calls flow "${ref.name}", which has no published version`);
            subflows[ref.name] = sub;
            pending.push(sub.plan);
          }
        }
      }
    }
    const calendars: Record<string, Calendar> = {};
    for (const name of [...calendarNames].sort()) {
      const found = await this.calendars.get(name).catch((e: unknown) => {
        if (e instanceof NotFoundError) throw new ConflictError('calendar_missing', `the flow uses calendar "${name}", which does not exist (any more)`, { calendar: name });
        throw e;
      });
      calendars[name] = found.calendar;
    }
    return { calendars, subflows };
  }
}
