import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Channel, contactWorkflowId, type CustomerInput } from '@tandem/contracts';
import { type Calendar, getNodeDefinition, type Plan } from '@tandem/flow';
import { cancelSignal, ChannelKey, CONTACT_WORKFLOW_TYPE, type ContactFlowInput, type ContactStateView, FlowIdKey, stateQuery } from '@tandem/workflow-contract';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import { DataSource } from 'typeorm';
import { CalendarsService } from '../catalog/calendars.service';
import { ConflictError, NotFoundError } from '../common/errors';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { TemporalService } from '../infrastructure/temporal.service';

/** What a plan needs pinned for a contact: its named calendars and the published plans of its subflows. */
export interface PinnedReferences {
  calendars: Record<string, Calendar>;
  subflows: Record<string, { plan: Plan; version: number }>;
}

/** A sandbox contact as a test sees it at one moment. */
export interface SandboxSnapshot {
  view: ContactStateView;
  /** The workflow has work in flight (a workflow task, an activity): what it shows may still change. */
  busy: boolean;
  running: boolean;
}

/** How long ending a sandbox contact waits for it to be over. */
const CANCEL_WAIT_MS = 10_000;

/** Sandbox contacts' ids start with this, so operators can tell them apart (`WorkflowId STARTS_WITH "contact-flowtest-"`). */
export const SANDBOX_CONTACT_PREFIX = 'flowtest-';

/**
 * Sandbox contacts for flow tests: the real `contactFlow` workflow on the worker's task queue, started
 * with `options.sandbox` (no tickets, nothing delivered through a channel, events published as
 * simulations). They carry the flow's id as a search attribute but no contact id or version, so they
 * stay out of the contacts list and of a version's open-contact count.
 */
@Injectable()
export class SandboxContactsService {
  private readonly logger = new Logger(SandboxContactsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly temporal: TemporalService,
    private readonly calendars: CalendarsService,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  async start(request: { contactId: string; plan: Plan; flowVersion: number; pinned: PinnedReferences; channel: Channel; customer: CustomerInput; firstMessage?: string | undefined }): Promise<void> {
    const input: ContactFlowInput = {
      schemaVersion: 1,
      plan: request.plan,
      flowVersion: request.flowVersion,
      contact: { id: request.contactId, channel: request.channel, customer: request.customer, ...(request.firstMessage ? { firstMessage: request.firstMessage } : {}) },
      calendars: request.pinned.calendars,
      subflows: request.pinned.subflows,
      options: { sandbox: true },
      origin: { kind: 'api' },
    };
    await this.temporal.client.workflow.start(CONTACT_WORKFLOW_TYPE, {
      workflowId: contactWorkflowId(request.contactId),
      taskQueue: this.config.temporal.taskQueue,
      args: [input],
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      typedSearchAttributes: [
        { key: FlowIdKey, value: request.plan.flowId },
        { key: ChannelKey, value: request.channel },
      ],
    });
    this.logger.log({ contactId: request.contactId, flowId: request.plan.flowId, flowVersion: request.flowVersion }, 'sandbox contact started for a flow test');
  }

  /** The contact's state, and whether it is still working on something. Rejects while the workflow cannot be asked yet. */
  async snapshot(contactId: string): Promise<SandboxSnapshot> {
    const handle = this.temporal.client.workflow.getHandle(contactWorkflowId(contactId));
    return this.bounded(async () => {
      const description = await handle.describe();
      const running = description.status.name === 'RUNNING';
      const raw = description.raw;
      const busy = running && (Boolean(raw.pendingWorkflowTask) || (raw.pendingActivities?.length ?? 0) > 0);
      return { view: await handle.query(stateQuery), busy, running };
    });
  }

  /**
   * Ends a sandbox contact that is still running, and waits (a few seconds at most) until it has: its
   * open work item is withdrawn by the flow, so nothing of the test stays in a queue after the run.
   */
  async cancel(contactId: string): Promise<void> {
    const handle = this.temporal.client.workflow.getHandle(contactWorkflowId(contactId));
    try {
      const description = await this.bounded(() => handle.describe());
      if (description.status.name !== 'RUNNING') return;
      await this.bounded(() => handle.signal(cancelSignal, { schemaVersion: 1, reason: 'operator', note: 'the flow test is over' }));
      await this.temporal.connection.withDeadline(Date.now() + CANCEL_WAIT_MS, () => handle.result()).catch(() => undefined);
    } catch (e) {
      this.logger.warn({ err: e, contactId }, 'could not end a sandbox contact after its flow test');
    }
  }

  /**
   * The calendars a plan (and its subflows, transitively) names, and the newest published plan of each
   * subflow it calls, pinned as a contact of that plan would have them (as `ContactLauncher` does for
   * real contacts).
   */
  async pin(plan: Plan): Promise<PinnedReferences> {
    const calendarNames = new Set<string>();
    const subflows: PinnedReferences['subflows'] = {};
    const pending = [plan];
    for (let next = pending.pop(); next; next = pending.pop()) {
      for (const node of Object.values(next.nodes)) {
        for (const expression of Object.values(node.expressions)) for (const c of expression.refs.calendars) calendarNames.add(c);
        for (const ref of getNodeDefinition(node.type, node.typeVersion)?.references?.(node.config) ?? []) {
          if (ref.kind === 'calendar') calendarNames.add(ref.name);
          if (ref.kind === 'subflow' && !subflows[ref.name] && ref.name !== plan.flowId) {
            const [row] = await this.dataSource.query<{ plan: Plan; version: number }[]>(
              `SELECT plan, version FROM flow_versions WHERE flow_id = $1 ORDER BY version DESC LIMIT 1`,
              [ref.name],
            );
            if (!row) throw new ConflictError('subflow_not_published', `flow "${next.flowId}" calls flow "${ref.name}", which has no published version`);
            subflows[ref.name] = row;
            pending.push(row.plan);
          }
        }
      }
    }
    const calendars: Record<string, Calendar> = {};
    for (const name of [...calendarNames].sort()) {
      calendars[name] = (
        await this.calendars.get(name).catch((e: unknown) => {
          if (e instanceof NotFoundError) throw new ConflictError('calendar_missing', `the flow uses calendar "${name}", which does not exist (any more)`, { calendar: name });
          throw e;
        })
      ).calendar;
    }
    return { calendars, subflows };
  }

  private bounded<T>(fn: () => Promise<T>): Promise<T> {
    return this.temporal.connection.withDeadline(Date.now() + this.config.api.queryTimeoutMs, fn);
  }
}
