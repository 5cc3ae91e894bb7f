import { RoutingDb } from './db';
import { InvalidRoutingInputError, RoutingNotFoundError, parseInput } from './errors';
import { noopEventSink } from './events';
import { agentDefinitionSchema, queueDefinitionSchema, systemClock, type Agent, type AgentDefinition, type Clock, type Queue, type QueueDefinition } from './model';
import { toAgent, toQueue, type AgentRow, type QueueRow } from './rows';
import { type RoutingServiceOptions } from './router';

/**
 * Queues and agents as administrators define them. Definitions are upserts keyed by name / id; an
 * agent's status and load are not part of its definition (see `WorkRouter.setAgentStatus`).
 *
 * @example
 * const directory = new RoutingDirectory({ dataSource });
 * await directory.defineQueue({ name: 'billing', slaTargetSeconds: 60, skills: { billing: 1 } });
 * await directory.defineAgent({ id: 'alice', skills: { billing: 3 }, capacity: { chat: 3 }, queues: ['billing'] });
 */
export class RoutingDirectory {
  private readonly db: RoutingDb;
  private readonly now: Clock;

  constructor(options: Pick<RoutingServiceOptions, 'dataSource' | 'clock'>) {
    this.now = options.clock ?? systemClock;
    this.db = new RoutingDb(options.dataSource, noopEventSink, true);
  }

  /** Creates or replaces a queue. Its overflow queue must exist already. */
  async defineQueue(definition: QueueDefinition): Promise<Queue> {
    const q = parseInput(queueDefinitionSchema, definition, 'queue definition');
    if (q.overflowQueue !== null) {
      const [target] = await this.db.run(`SELECT 1 FROM routing.queue WHERE name = $1`, [q.overflowQueue]);
      if (!target) throw new InvalidRoutingInputError('queue definition', [{ path: 'overflowQueue', message: `queue "${q.overflowQueue}" does not exist` }]);
    }
    const now = this.now();
    const [row] = await this.db.run<QueueRow>(
      `INSERT INTO routing.queue (name, description, skills, distribution, sla_target_seconds, business_hours, overflow_queue,
         max_wait_seconds, relaxation, offer_timeout_seconds, aging_per_minute, aging_cap, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)
       ON CONFLICT (name) DO UPDATE SET description = EXCLUDED.description, skills = EXCLUDED.skills,
         distribution = EXCLUDED.distribution, sla_target_seconds = EXCLUDED.sla_target_seconds,
         business_hours = EXCLUDED.business_hours, overflow_queue = EXCLUDED.overflow_queue,
         max_wait_seconds = EXCLUDED.max_wait_seconds, relaxation = EXCLUDED.relaxation,
         offer_timeout_seconds = EXCLUDED.offer_timeout_seconds, aging_per_minute = EXCLUDED.aging_per_minute,
         aging_cap = EXCLUDED.aging_cap, updated_at = EXCLUDED.updated_at
       RETURNING *`,
      [
        q.name,
        q.description,
        JSON.stringify(q.skills),
        q.distribution,
        q.slaTargetSeconds,
        q.businessHours,
        q.overflowQueue,
        q.maxWaitSeconds,
        JSON.stringify(q.relaxation),
        q.offerTimeoutSeconds,
        q.aging.perMinute,
        q.aging.cap,
        now,
      ],
    );
    return toQueue(row!);
  }

  async getQueue(name: string): Promise<Queue> {
    const [row] = await this.db.run<QueueRow>(`SELECT * FROM routing.queue WHERE name = $1`, [name]);
    if (!row) throw new RoutingNotFoundError('queue', name);
    return toQueue(row);
  }

  async listQueues(): Promise<Queue[]> {
    return (await this.db.run<QueueRow>(`SELECT * FROM routing.queue ORDER BY name`)).map(toQueue);
  }

  /** Creates or updates an agent (new agents start offline). Every queue it serves must exist. */
  async defineAgent(definition: AgentDefinition): Promise<Agent> {
    const a = parseInput(agentDefinitionSchema, definition, 'agent definition');
    if (a.queues.length > 0) {
      const found = await this.db.run<{ name: string }>(`SELECT name FROM routing.queue WHERE name = ANY ($1)`, [a.queues]);
      const missing = a.queues.filter((q) => !found.some((f) => f.name === q));
      if (missing.length > 0) {
        throw new InvalidRoutingInputError('agent definition', [{ path: 'queues', message: `unknown queue(s): ${missing.join(', ')}` }]);
      }
    }
    const now = this.now();
    const [row] = await this.db.run<AgentRow>(
      `INSERT INTO routing.agent (id, display_name, skills, capacity, queues, status, status_changed_at, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, 'offline', $6, $6, $6)
       ON CONFLICT (id) DO UPDATE SET display_name = EXCLUDED.display_name, skills = EXCLUDED.skills,
         capacity = EXCLUDED.capacity, queues = EXCLUDED.queues, updated_at = EXCLUDED.updated_at
       RETURNING *`,
      [a.id, a.displayName, JSON.stringify(a.skills), JSON.stringify(a.capacity), [...new Set(a.queues)], now],
    );
    return toAgent(row!);
  }

  async getAgent(id: string): Promise<Agent> {
    const [row] = await this.db.run<AgentRow>(`SELECT * FROM routing.agent WHERE id = $1`, [id]);
    if (!row) throw new RoutingNotFoundError('agent', id);
    return toAgent(row);
  }

  async listAgents(options: { queue?: string } = {}): Promise<Agent[]> {
    const rows = await this.db.run<AgentRow>(`SELECT * FROM routing.agent WHERE $1::text IS NULL OR $1 = ANY (queues) ORDER BY id`, [options.queue ?? null]);
    return rows.map(toAgent);
  }
}
