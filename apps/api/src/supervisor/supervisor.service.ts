import { Injectable } from '@nestjs/common';
import type { AgentView, QueueStatsView, QueueWithStats, StatusChange, TicketView, WorkItemView, WorkItemWithHistory } from '@tandem/api-contract';
import type { Channel } from '@tandem/contracts';
import { type AgentDefinition, type AgentStatus, QueueStatistics, type QueueStats, RoutingDirectory, TicketDesk, type Ticket, type TicketStatus, type WorkItemStatus, WorkRouter } from '@tandem/routing';
import { toAgentView, toHistoryView, toWorkItemView } from '../agent-desk/work-item.view';
import { QueuesService } from '../catalog/queues.service';

const WAITING_AND_ACTIVE: WorkItemStatus[] = ['queued', 'offered', 'assigned', 'wrapping'];

const toStatsView = (s: QueueStats): QueueStatsView => ({ ...s, at: s.at.toISOString() });
const toTicketView = (t: Ticket): TicketView => ({
  ...t,
  dueAt: t.dueAt?.toISOString() ?? null,
  createdAt: t.createdAt.toISOString(),
  updatedAt: t.updatedAt.toISOString(),
  closedAt: t.closedAt?.toISOString() ?? null,
});

/** What supervisors watch and steer: queue statistics, work items, agents, tickets. */
@Injectable()
export class SupervisorService {
  constructor(
    private readonly router: WorkRouter,
    private readonly directory: RoutingDirectory,
    private readonly stats: QueueStatistics,
    private readonly tickets: TicketDesk,
    private readonly queues: QueuesService,
  ) {}

  async queuesWithStats(): Promise<QueueWithStats[]> {
    const queues = await this.queues.list();
    return Promise.all(queues.map(async (queue) => ({ queue, stats: toStatsView(await this.stats.queueStats(queue.name)) })));
  }

  async queueStats(name: string, channel?: Channel): Promise<QueueStatsView> {
    return toStatsView(await this.stats.queueStats(name, channel ? { channel } : {}));
  }

  async workItems(filter: { queue?: string | undefined; status?: WorkItemStatus[] | undefined; agentId?: string | undefined; contactId?: string | undefined; limit: number }): Promise<WorkItemView[]> {
    const { status, ...rest } = filter;
    const items = await this.router.listWorkItems({ ...rest, statuses: status ?? WAITING_AND_ACTIVE });
    return items.map(toWorkItemView);
  }

  async workItem(id: string): Promise<WorkItemWithHistory> {
    const [item, history] = await Promise.all([this.router.getWorkItem(id), this.router.history(id)]);
    return { workItem: toWorkItemView(item), history: history.map(toHistoryView) };
  }

  async transfer(id: string, supervisor: string, t: { toQueue?: string | undefined; toAgentId?: string | undefined; note?: string | undefined; priority?: number | undefined }): Promise<WorkItemView> {
    const item = await this.router.transferWorkItem(id, {
      ...(t.toQueue ? { toQueue: t.toQueue } : {}),
      ...(t.toAgentId ? { toAgentId: t.toAgentId } : {}),
      ...(t.priority !== undefined ? { priority: t.priority } : {}),
      note: t.note ?? '',
      by: { kind: 'supervisor', id: supervisor },
    });
    return toWorkItemView(item);
  }

  async agents(queue?: string): Promise<AgentView[]> {
    return (await this.directory.listAgents(queue ? { queue } : {})).map(toAgentView);
  }

  async agent(id: string): Promise<AgentView> {
    return toAgentView(await this.directory.getAgent(id));
  }

  /** Creates or updates an agent (new agents start offline); returns it and whether it was new. */
  async defineAgent(id: string, definition: Omit<AgentDefinition, 'id'>): Promise<{ agent: AgentView; created: boolean }> {
    const existed = (await this.directory.listAgents()).some((a) => a.id === id);
    return { agent: toAgentView(await this.directory.defineAgent({ ...definition, id })), created: !existed };
  }

  async setAgentStatus(id: string, status: AgentStatus): Promise<StatusChange> {
    await this.directory.getAgent(id);
    const { released } = await this.router.setAgentStatus(id, status, { reason: `supervisor_set_${status}` });
    return { agent: toAgentView(await this.directory.getAgent(id)), released: released.map(toWorkItemView) };
  }

  async listTickets(filter: { status?: TicketStatus | undefined; queue?: string | undefined; contactId?: string | undefined; limit: number }): Promise<TicketView[]> {
    return (
      await this.tickets.list({ limit: filter.limit, ...(filter.status ? { status: filter.status } : {}), ...(filter.queue ? { queue: filter.queue } : {}), ...(filter.contactId ? { contactId: filter.contactId } : {}) })
    ).map(toTicketView);
  }

  async ticket(id: string): Promise<TicketView> {
    return toTicketView(await this.tickets.get(id));
  }

  async closeTicket(id: string, by: string, close: { status: 'done' | 'cancelled'; resolution?: string | undefined }): Promise<TicketView> {
    return toTicketView(await this.tickets.close(id, { status: close.status, by, ...(close.resolution ? { resolution: close.resolution } : {}) }));
  }
}
