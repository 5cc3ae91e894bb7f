/**
 * A work item's life outside the push machinery: creation (idempotent), reads, wrap-up, completion,
 * transfer, priority, abandonment, and agents' status. `WorkRouter` carries the documentation of each.
 */
import { type WorkItemResolution } from '@tandem/contracts';
import { InvalidRoutingInputError, parseInput, RoutingConflictError, RoutingNotFoundError } from './errors';
import {
  agentStatusSchema,
  completionSchema,
  createWorkItemInputSchema,
  mergeSkills,
  transferSchema,
  workItemFilterSchema,
  type Actor,
  type AgentStatus,
  type Completion,
  type CreateWorkItemInput,
  type HistoryEntry,
  type Transfer,
  type WorkItem,
  type WorkItemFilter,
  type WorkItemStatus,
} from './model';
import { isTerminal, type RouterCore } from './router-core';
import { toEvent, toHistoryEntry, toWorkItem, type HistoryRow, type QueueRow, type WorkItemRow } from './rows';
import { COMPLETE_HELD_ITEM, COMPLETE_ITEM } from './sql';

export async function createWorkItem(core: RouterCore, input: CreateWorkItemInput): Promise<{ workItem: WorkItem; created: boolean }> {
  const data = parseInput(createWorkItemInputSchema, input, 'work item');
  const now = core.now();
  const result = await core.db.transaction(async (tx) => {
    const [queue] = await tx.query<QueueRow>(`SELECT * FROM routing.queue WHERE name = $1`, [data.queue]);
    if (!queue) throw new RoutingNotFoundError('queue', data.queue);
    const required = mergeSkills(queue.skills, data.requiredSkills);
    const [inserted] = await tx.query<WorkItemRow>(
      `INSERT INTO routing.work_item (workflow_id, step_id, visit, contact_id, queue_name, channel, priority,
         requested_skills, required_skills, handoff, status, created_at, queued_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'queued', $11, $11, $11)
       ON CONFLICT (workflow_id, step_id, visit) DO NOTHING
       RETURNING *`,
      [
        data.workflowId,
        data.stepId,
        data.visit,
        data.handoff.contactId,
        data.queue,
        data.handoff.channel,
        data.priority,
        JSON.stringify(data.requiredSkills),
        JSON.stringify(required),
        JSON.stringify(data.handoff),
        now,
      ],
    );
    if (!inserted) {
      const [existing] = await tx.query<WorkItemRow>(`SELECT * FROM routing.work_item WHERE workflow_id = $1 AND step_id = $2 AND visit = $3`, [
        data.workflowId,
        data.stepId,
        data.visit,
      ]);
      return { row: existing!, created: false, distribution: queue.distribution };
    }
    await core.record(tx, inserted, { type: 'created', from: null, to: 'queued', agentId: null, actor: { kind: 'workflow' }, now });
    tx.notify({ type: 'created', workItemId: inserted.id, queue: inserted.queue_name });
    return { row: inserted, created: true, distribution: queue.distribution };
  });
  // Offered now if its queue pushes; should that fail, the item is created all the same and the dispatcher offers it.
  if (result.created) await core.offerIfPush(result.row, { distribution: result.distribution });
  return { workItem: toWorkItem(result.row), created: result.created };
}

export async function getWorkItem(core: RouterCore, id: string): Promise<WorkItem> {
  core.checkId(id, 'work item');
  const [row] = await core.db.run<WorkItemRow>(`SELECT * FROM routing.work_item WHERE id = $1`, [id]);
  if (!row) throw new RoutingNotFoundError('work item', id);
  return toWorkItem(row);
}

export async function listWorkItems(core: RouterCore, filter: WorkItemFilter = {}): Promise<WorkItem[]> {
  const f = parseInput(workItemFilterSchema, filter, 'work item filter');
  const where: string[] = [];
  const values: unknown[] = [];
  if (f.queue) where.push(`queue_name = $${values.push(f.queue)}`);
  if (f.statuses?.length) where.push(`status = ANY ($${values.push(f.statuses)}::text[])`);
  if (f.agentId) where.push(`agent_id = $${values.push(f.agentId)}`);
  if (f.contactId) where.push(`contact_id = $${values.push(f.contactId)}`);
  const rows = await core.db.run<WorkItemRow>(
    `SELECT * FROM routing.work_item ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY queued_at, id LIMIT $${values.push(f.limit)}`,
    values,
  );
  return rows.map(toWorkItem);
}

export async function history(core: RouterCore, workItemId: string): Promise<HistoryEntry[]> {
  core.checkId(workItemId, 'work item');
  const rows = await core.db.run<HistoryRow>(`SELECT * FROM routing.work_item_history WHERE work_item_id = $1 ORDER BY seq`, [workItemId]);
  return rows.map(toHistoryEntry);
}

export async function beginWrapUp(core: RouterCore, workItemId: string, agentId: string): Promise<WorkItem> {
  core.checkId(workItemId, 'work item');
  const now = core.now();
  return core.db.transaction(async (tx) => {
    const { item } = await core.lockHeldItem(tx, workItemId, agentId, ['assigned']);
    const [wrapping] = await tx.query<WorkItemRow>(
      `UPDATE routing.work_item SET status = 'wrapping', wrapping_at = $2, updated_at = $2 WHERE id = $1 RETURNING *`,
      [item.id, now],
    );
    await core.record(tx, wrapping!, { type: 'wrapping', from: 'assigned', to: 'wrapping', agentId, actor: { kind: 'agent', id: agentId }, now });
    return toWorkItem(wrapping!);
  });
}

export async function completeWorkItem(core: RouterCore, workItemId: string, agentId: string, completion: Completion): Promise<WorkItem> {
  core.checkId(workItemId, 'work item');
  const data = parseInput(completionSchema, completion, 'completion');
  const now = core.now();
  const status: WorkItemStatus = data.outcome === 'transferred' ? 'transferred' : data.outcome === 'abandoned' ? 'abandoned' : 'completed';
  const payload: WorkItemResolution = {
    schemaVersion: 1,
    workItemId,
    outcome: data.outcome,
    reasonTags: data.reasonTags,
    agentId,
    ...(data.note ? { note: data.note } : {}),
    resolvedAt: now.toISOString(),
  };
  type CompleteRow = WorkItemRow & {
    previous_status: WorkItemStatus;
    history_seq: string;
    history_event_id: string;
    history_details: Record<string, unknown>;
    notified: string;
  };
  const values = [agentId, workItemId, status, data.outcome, data.reasonTags, data.note ?? null, now, JSON.stringify(payload)];
  const row = core.db.sinkIsNoop
    ? (await core.db.run<CompleteRow>(COMPLETE_HELD_ITEM, values))[0]
    : await core.db.transaction(async (tx) => {
        const [r] = await tx.query<CompleteRow>(COMPLETE_HELD_ITEM, values);
        if (r) {
          const history: HistoryRow = {
            seq: r.history_seq,
            event_id: r.history_event_id,
            work_item_id: r.id,
            type: 'completed',
            from_status: r.previous_status,
            to_status: status,
            queue_name: r.queue_name,
            agent_id: agentId,
            actor: `agent:${agentId}`,
            reason: data.outcome,
            details: r.history_details,
            at: now,
          };
          tx.events.push(toEvent(history, r));
        }
        return r;
      });
  if (!row) throw await core.whyNotHeld(workItemId, agentId, ['assigned', 'wrapping']);
  const { previous_status: _p, history_seq: _s, history_event_id: _e, history_details: _d, notified: _n, ...item } = row;
  return toWorkItem(item);
}

export async function transferWorkItem(core: RouterCore, workItemId: string, transfer: Transfer): Promise<WorkItem> {
  core.checkId(workItemId, 'work item');
  const data = parseInput(transferSchema, transfer, 'transfer');
  const now = core.now();
  const item = await core.db.transaction(async (tx) => core.transferIn(tx, workItemId, data, now, 'transfer'));
  await core.offerIfPush(item);
  return toWorkItem(item);
}

export async function raisePriority(core: RouterCore, workItemId: string, by: number, options: { actor: Actor; reason: string }): Promise<WorkItem> {
  core.checkId(workItemId, 'work item');
  if (!Number.isInteger(by) || by < 1 || by > 1000) throw new InvalidRoutingInputError('priority raise', [{ path: 'by', message: 'an integer from 1 to 1000' }]);
  const now = core.now();
  return core.db.transaction(async (tx) => {
    const { item } = await core.lockItemAndHolder(tx, workItemId);
    if (item.status !== 'queued' && item.status !== 'offered') return toWorkItem(item);
    const [raised] = await tx.query<WorkItemRow>(
      `UPDATE routing.work_item SET priority = LEAST(1000, priority + $2), updated_at = $3 WHERE id = $1 RETURNING *`,
      [item.id, by, now],
    );
    await core.record(tx, raised!, {
      type: 'reprioritized',
      from: item.status,
      to: item.status,
      agentId: item.agent_id,
      actor: options.actor,
      reason: options.reason,
      now,
      details: { from: item.priority, to: raised!.priority },
    });
    return toWorkItem(raised!);
  });
}

export async function abandonWorkItem(core: RouterCore, workItemId: string, options: { actor: Actor; reason: string; notifyWorkflow?: boolean }): Promise<WorkItem> {
  core.checkId(workItemId, 'work item');
  const now = core.now();
  const notifyWorkflow = options.notifyWorkflow ?? options.actor.kind !== 'workflow';
  return core.db.transaction(async (tx) => {
    const { item } = await core.lockItemAndHolder(tx, workItemId);
    if (isTerminal(item.status)) throw new RoutingConflictError(`work item ${item.id} is already ${item.status}`);
    await core.releaseHold(tx, item, now);
    const [done] = await tx.query<WorkItemRow>(COMPLETE_ITEM, [item.id, 'abandoned', 'abandoned', [], null, now]);
    await core.record(tx, done!, { type: 'abandoned', from: item.status, to: 'abandoned', agentId: item.agent_id, actor: options.actor, reason: options.reason, now });
    if (notifyWorkflow) await core.enqueueResolution(tx, done!, { outcome: 'abandoned', reasonTags: [], agentId: item.agent_id ?? undefined, note: options.reason, now });
    return toWorkItem(done!);
  });
}

export async function setAgentStatus(core: RouterCore, agentId: string, status: AgentStatus, options: { reason?: string } = {}): Promise<{ released: WorkItem[] }> {
  const target = parseInput(agentStatusSchema, status, 'agent status');
  const now = core.now();
  const released = await core.db.transaction(async (tx) => {
    const agent = await core.lockAgent(tx, agentId);
    const releaseStatuses: WorkItemStatus[] = target === 'offline' ? ['offered', 'assigned'] : target === 'away' ? ['offered'] : [];
    const items = releaseStatuses.length
      ? await tx.query<WorkItemRow>(`SELECT * FROM routing.work_item WHERE agent_id = $1 AND status = ANY ($2) ORDER BY id FOR UPDATE`, [agentId, releaseStatuses])
      : [];
    const reason = options.reason ?? `agent_${target}`;
    const requeued: WorkItemRow[] = [];
    for (const item of items) {
      if (item.status === 'offered') {
        await tx.query(`UPDATE routing.offer SET status = 'revoked', responded_at = $2, reason = $3 WHERE work_item_id = $1 AND status = 'pending'`, [item.id, now, reason]);
      }
      requeued.push(await core.requeue(tx, item, { type: 'released', actor: { kind: 'system' }, reason, now, adjustLoad: false }));
    }
    await tx.query(
      `UPDATE routing.agent a SET status = $2,
         status_changed_at = CASE WHEN a.status = $2 THEN a.status_changed_at ELSE $3 END,
         load = COALESCE((SELECT jsonb_object_agg(channel, n) FROM (
                  SELECT channel, count(*) AS n FROM routing.work_item WHERE agent_id = $1 AND status IN ('offered', 'assigned', 'wrapping') GROUP BY channel) c), '{}'::jsonb),
         last_idle_since = CASE
           WHEN $2 <> 'available' THEN NULL
           WHEN EXISTS (SELECT 1 FROM routing.work_item WHERE agent_id = $1 AND status IN ('offered', 'assigned', 'wrapping')) THEN NULL
           WHEN a.status = 'available' THEN COALESCE(a.last_idle_since, $3)
           ELSE $3 END,
         updated_at = $3
       WHERE id = $1`,
      [agentId, target, now],
    );
    if (target === 'available' && agent.status !== 'available') tx.notify({ type: 'agent_available', agentId });
    return requeued;
  });
  for (const item of released) await core.offerIfPush(item);
  return { released: released.map(toWorkItem) };
}
