/** The worker's side of routing: escalations become work items in @tandem/routing (PostgreSQL). */
import type { QueueStatistics, WorkRouter } from '@tandem/routing';
import type { CreateWorkItemRequest } from '../nodes/escalate/activities';
import type { WorkItemGateway } from '../activities/ports';

export class RoutingWorkItemGateway implements WorkItemGateway {
  constructor(
    private readonly router: WorkRouter,
    private readonly stats: QueueStatistics,
  ) {}

  async create(request: CreateWorkItemRequest): Promise<{ workItemId: string }> {
    const { workItem } = await this.router.createWorkItem({
      workflowId: request.workflowId,
      stepId: request.nodeId,
      // Routing counts visits from 0, the interpreter from 1.
      visit: request.visit - 1,
      queue: request.queue,
      priority: Math.max(0, Math.min(1000, Math.round(request.priority))),
      requiredSkills: Object.fromEntries(request.requiredSkills.map((s) => [s.skill, s.minLevel])),
      handoff: request.handoff,
    });
    return { workItemId: workItem.id };
  }

  async raisePriority(workItemId: string, by: number, reason: string): Promise<void> {
    await this.router.raisePriority(workItemId, by, { actor: { kind: 'workflow' }, reason });
  }

  async move(workItemId: string, queue: string, reason: string): Promise<void> {
    const item = await this.router.getWorkItem(workItemId);
    if (item.queue === queue || item.status !== 'queued') return; // already moved, or an agent has it
    await this.router.transferWorkItem(workItemId, { toQueue: queue, note: reason, by: { kind: 'workflow' } });
  }

  async withdraw(workItemId: string, reason: string): Promise<void> {
    const item = await this.router.getWorkItem(workItemId);
    if (item.status === 'completed' || item.status === 'transferred' || item.status === 'abandoned') return;
    // The workflow withdrew it itself: no resolution signal back.
    await this.router.abandonWorkItem(workItemId, { actor: { kind: 'workflow' }, reason, notifyWorkflow: false });
  }

  async withdrawOpenOf(contactId: string, workflowId: string, reason: string): Promise<number> {
    const open = await this.router.listWorkItems({ contactId, statuses: ['queued', 'offered', 'assigned'], limit: 100 });
    const mine = open.filter((item) => item.workflowId === workflowId);
    for (const item of mine) await this.withdraw(item.id, reason);
    return mine.length;
  }

  estimatedWaitSeconds(queue: string): Promise<number> {
    return this.stats.estimatedWaitSeconds(queue);
  }
}
