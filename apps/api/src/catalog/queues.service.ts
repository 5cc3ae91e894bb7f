import { Injectable } from '@nestjs/common';
import type { QueueView } from '@tandem/api-contract';
import { type Agent, type Queue, type QueueDefinition, RoutingDirectory, RoutingNotFoundError } from '@tandem/routing';

/** A queue as the compiler sees it: its name and the skills its agents have (see {@link QueuesService.forResolver}). */
export interface QueueSkills {
  name: string;
  skills?: string[];
}

/**
 * The one place the API learns which human queues exist: routing's queues (`routing.queue`). The
 * catalog, the compiler's resolver and the supervisors' views all go through it.
 */
@Injectable()
export class QueuesService {
  constructor(private readonly directory: RoutingDirectory) {}

  async list(): Promise<QueueView[]> {
    return (await this.directory.listQueues()).map(toQueueView);
  }

  async get(name: string): Promise<QueueView> {
    return toQueueView(await this.directory.getQueue(name));
  }

  /** Creates or replaces a queue; returns it and whether it was new. */
  async put(name: string, definition: Omit<QueueDefinition, 'name'>): Promise<{ queue: QueueView; created: boolean }> {
    const existed = await this.directory.getQueue(name).then(
      () => true,
      (e: unknown) => {
        if (e instanceof RoutingNotFoundError) return false;
        throw e;
      },
    );
    const queue = await this.directory.defineQueue({ ...definition, name });
    return { queue: toQueueView(queue), created: !existed };
  }

  /**
   * Queues for the compiler, each with the skills its agents have (the queue's own required skills
   * included), so an escalation asking for a skill nobody serving the queue has is flagged. A queue
   * nobody serves yet reports no skills: the roster is unknown, nothing is flagged.
   */
  async forResolver(): Promise<QueueSkills[]> {
    const [queues, agents] = await Promise.all([this.directory.listQueues(), this.directory.listAgents()]);
    return queues.map((q) => {
      const serving = agents.filter((a: Agent) => a.queues.includes(q.name));
      if (!serving.length) return { name: q.name };
      const skills = new Set([...Object.keys(q.skills), ...serving.flatMap((a) => Object.keys(a.skills))]);
      return { name: q.name, skills: [...skills].sort() };
    });
  }
}

export function toQueueView(q: Queue): QueueView {
  return { ...q, createdAt: q.createdAt.toISOString(), updatedAt: q.updatedAt.toISOString() };
}
