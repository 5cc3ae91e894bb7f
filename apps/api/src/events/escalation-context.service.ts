import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { EscalationContext } from '@tandem/events';
import type { ContactEscalatedEvent } from '@tandem/events';
import { FlowIdKey, FlowVersionKey, stateQuery } from '@tandem/workflow-contract';
import type { HandoffPackage } from '@tandem/contracts';
import { DataSource, type EntityManager } from 'typeorm';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { TemporalService } from '../infrastructure/temporal.service';

/** What the context of a work item is derived from: the routing row's own fields. */
export interface WorkItemRef {
  id: string;
  workflowId: string;
  contactId: string;
  /** The escalate node that created it. */
  stepId: string;
  queue: string;
  handoff: Pick<HandoffPackage, 'trigger' | 'stuckAt'>;
}

interface ContextRow {
  work_item_id: string;
  contact_id: string;
  flow_id: string;
  flow_version: number;
  escalate_node_id: string;
  cause_node_id: string;
  trigger: string | null;
  queue: string;
}

const UPSERT = `
  INSERT INTO escalation_contexts (work_item_id, contact_id, workflow_id, flow_id, flow_version, escalate_node_id, cause_node_id, trigger, queue, source)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`;

/**
 * Which flow version, escalate node, causing node and trigger a work item belongs to — what the events
 * of an agent's wrap-up are tied to, so reason tags land on the node and threshold that escalated.
 *
 * Two sources, both recorded in `escalation_contexts`:
 * - the worker's `contact.escalated` event (authoritative: it names the cause node the interpreter
 *   chose), consumed from Kafka;
 * - failing that, the contact's workflow (its search attributes, or its state query) plus the handoff
 *   package routing keeps on the item (its trigger, and `stuckAt`, the node where the bot got stuck).
 */
@Injectable()
export class EscalationContextService {
  private readonly logger = new Logger(EscalationContextService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly temporal: TemporalService,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  /** Records (or corrects) the context from the worker's `contact.escalated` event. */
  async recordFromEvent(manager: EntityManager, event: ContactEscalatedEvent): Promise<void> {
    const workItemId = event.data.workItemId;
    if (!workItemId) return;
    await manager.query(
      `${UPSERT}
       ON CONFLICT (work_item_id) DO UPDATE SET flow_id = EXCLUDED.flow_id, flow_version = EXCLUDED.flow_version,
         escalate_node_id = EXCLUDED.escalate_node_id, cause_node_id = EXCLUDED.cause_node_id, trigger = EXCLUDED.trigger,
         source = 'event', recorded_at = now()
       WHERE escalation_contexts.source <> 'event'`,
      [workItemId, event.subject, null, event.flowid, event.flowversion, event.nodeid, event.data.causeNodeId, event.data.trigger?.kind ?? null, event.data.queue, 'event'],
    );
  }

  /**
   * The context of a work item: the recorded one, or one derived from its workflow (then recorded).
   * `null` when neither is available (the workflow cannot be asked right now).
   */
  async forWorkItem(item: WorkItemRef, manager: EntityManager = this.dataSource.manager, options: { timeoutMs?: number } = {}): Promise<EscalationContext | null> {
    const [row] = await manager.query<ContextRow[]>(`SELECT * FROM escalation_contexts WHERE work_item_id = $1`, [item.id]);
    if (row) return toContext(row, item.queue);
    const derived = await this.fromWorkflow(item, options.timeoutMs ?? this.config.api.queryTimeoutMs).catch((e: unknown) => {
      this.logger.warn({ err: e, workItemId: item.id, workflowId: item.workflowId }, 'could not learn the escalation context of a work item from its workflow');
      return null;
    });
    if (!derived) return null;
    await manager.query(`${UPSERT} ON CONFLICT (work_item_id) DO NOTHING`, [
      item.id,
      derived.contactId,
      item.workflowId,
      derived.flowId,
      derived.flowVersion,
      derived.escalateNodeId,
      derived.causeNodeId,
      derived.trigger,
      derived.queue,
      'workflow',
    ]);
    return derived;
  }

  private async fromWorkflow(item: WorkItemRef, timeoutMs: number): Promise<EscalationContext> {
    const handle = this.temporal.client.workflow.getHandle(item.workflowId);
    const deadline = Date.now() + timeoutMs;
    let flow: { flowId: string; flowVersion: number } | undefined;
    // The search attributes the API set at start answer without a worker; subflow runs lack them.
    const described = await this.temporal.connection.withDeadline(deadline, () => handle.describe());
    const flowId = described.typedSearchAttributes.get(FlowIdKey);
    const flowVersion = described.typedSearchAttributes.get(FlowVersionKey);
    if (flowId !== undefined && flowVersion !== undefined) flow = { flowId, flowVersion };
    else {
      const view = await this.temporal.connection.withDeadline(deadline, () => handle.query(stateQuery));
      flow = { flowId: view.flowId, flowVersion: view.flowVersion };
    }
    return {
      contactId: item.contactId,
      flowId: flow.flowId,
      flowVersion: flow.flowVersion,
      escalateNodeId: item.stepId,
      causeNodeId: item.handoff.stuckAt?.nodeId ?? item.stepId,
      trigger: item.handoff.trigger?.kind ?? null,
      queue: item.queue,
      workItemId: item.id,
    };
  }
}

function toContext(row: ContextRow, queue: string): EscalationContext {
  return {
    contactId: row.contact_id,
    flowId: row.flow_id,
    flowVersion: row.flow_version,
    escalateNodeId: row.escalate_node_id,
    causeNodeId: row.cause_node_id,
    trigger: row.trigger as EscalationContext['trigger'],
    // Where the item is now (after transfers), which is where the agent handled it.
    queue,
    workItemId: row.work_item_id,
  };
}
