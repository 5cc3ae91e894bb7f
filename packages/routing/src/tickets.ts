/**
 * Tickets: follow-up and callback work that waits for people (after hours, or when no agent was free
 * in time). A flow's ticket node creates one idempotently per step; agents and supervisors list, take
 * and close them.
 */
import { channelSchema, customerSchema, handoffPackageSchema, type Channel, type Customer, type HandoffPackage } from '@tandem/contracts';
import { type DataSource } from 'typeorm';
import { z } from 'zod';
import { storableText, storableDeep } from './storable';
import { InvalidRoutingInputError, RoutingConflictError, RoutingNotFoundError, parseInput } from './errors';
import { systemClock, type Clock } from './model';

export const ticketKindSchema = z.enum(['callback', 'follow_up']);
export const ticketStatusSchema = z.enum(['open', 'done', 'cancelled']);
export type TicketKind = z.infer<typeof ticketKindSchema>;
export type TicketStatus = z.infer<typeof ticketStatusSchema>;

export const createTicketInputSchema = z.object({
  /** One ticket per key: the worker passes `<workflowId>/<node>/<visit>`. */
  idempotencyKey: z.string().trim().min(1).max(400),
  kind: ticketKindSchema,
  queue: z.string().min(1).max(63).nullable().default(null),
  contactId: z.string().min(1).max(200),
  workflowId: z.string().min(1).max(200),
  nodeId: z.string().min(1).max(200),
  channel: channelSchema,
  customer: customerSchema,
  // What a ticket says is stored with card numbers masked (PCI DSS), whatever the caller masked already.
  subject: z.string().trim().min(1, 'the subject is empty').max(500).transform(storableText),
  body: z.string().max(20_000).transform(storableText).nullable().default(null),
  priority: z.number().int().min(0).max(1000).default(0),
  dueAt: z.coerce.date().nullable().default(null),
  handoff: handoffPackageSchema.transform(storableDeep).nullable().default(null),
});
export type CreateTicketInput = z.input<typeof createTicketInputSchema>;

export interface Ticket {
  id: string;
  kind: TicketKind;
  status: TicketStatus;
  queue: string | null;
  contactId: string;
  workflowId: string;
  nodeId: string;
  channel: Channel;
  customer: Customer;
  subject: string;
  body: string | null;
  priority: number;
  dueAt: Date | null;
  handoff: HandoffPackage | null;
  resolution: string | null;
  closedBy: string | null;
  createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
}

export interface TicketRow {
  id: string;
  idempotency_key: string;
  kind: TicketKind;
  status: TicketStatus;
  queue_name: string | null;
  contact_id: string;
  workflow_id: string;
  node_id: string;
  channel: Channel;
  customer: Customer;
  subject: string;
  body: string | null;
  priority: number;
  due_at: Date | null;
  handoff: HandoffPackage | null;
  resolution: string | null;
  closed_by: string | null;
  created_at: Date;
  updated_at: Date;
  closed_at: Date | null;
}

function toTicket(r: TicketRow): Ticket {
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    queue: r.queue_name,
    contactId: r.contact_id,
    workflowId: r.workflow_id,
    nodeId: r.node_id,
    channel: r.channel,
    customer: r.customer,
    subject: r.subject,
    body: r.body,
    priority: r.priority,
    dueAt: r.due_at,
    handoff: r.handoff,
    resolution: r.resolution,
    closedBy: r.closed_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    closedAt: r.closed_at,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class TicketDesk {
  private readonly now: Clock;
  constructor(private readonly options: { dataSource: DataSource; clock?: Clock }) {
    this.now = options.clock ?? systemClock;
  }

  /** Creates the ticket, or returns the one created before under the same key (`created: false`). */
  async create(input: CreateTicketInput): Promise<{ ticket: Ticket; created: boolean }> {
    const t = parseInput(createTicketInputSchema, input, 'ticket');
    const now = this.now();
    const inserted: TicketRow[] = await this.options.dataSource.query(
      `INSERT INTO routing.ticket (idempotency_key, kind, queue_name, contact_id, workflow_id, node_id, channel, customer, subject, body, priority, due_at, handoff, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)
       ON CONFLICT (idempotency_key) DO NOTHING RETURNING *`,
      [t.idempotencyKey, t.kind, t.queue, t.contactId, t.workflowId, t.nodeId, t.channel, JSON.stringify(t.customer), t.subject, t.body, t.priority, t.dueAt, t.handoff ? JSON.stringify(t.handoff) : null, now],
    );
    if (inserted[0]) return { ticket: toTicket(inserted[0]), created: true };
    const [existing]: TicketRow[] = await this.options.dataSource.query(`SELECT * FROM routing.ticket WHERE idempotency_key = $1`, [t.idempotencyKey]);
    return { ticket: toTicket(existing!), created: false };
  }

  async get(id: string): Promise<Ticket> {
    if (!UUID.test(id)) throw new InvalidRoutingInputError('ticket id', [{ path: 'id', message: 'must be a UUID' }]);
    const [row]: TicketRow[] = await this.options.dataSource.query(`SELECT * FROM routing.ticket WHERE id = $1`, [id]);
    if (!row) throw new RoutingNotFoundError('ticket', id);
    return toTicket(row);
  }

  /** Open tickets first by due time then priority; filter by status, queue or contact. */
  async list(filter: { status?: TicketStatus; queue?: string; contactId?: string; limit?: number } = {}): Promise<Ticket[]> {
    const where: string[] = [];
    const values: unknown[] = [];
    if (filter.status) where.push(`status = $${values.push(ticketStatusSchema.parse(filter.status))}`);
    if (filter.queue) where.push(`queue_name = $${values.push(filter.queue)}`);
    if (filter.contactId) where.push(`contact_id = $${values.push(filter.contactId)}`);
    const limit = Math.min(Math.max(filter.limit ?? 100, 1), 1000);
    const rows: TicketRow[] = await this.options.dataSource.query(
      `SELECT * FROM routing.ticket ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY due_at NULLS LAST, priority DESC, created_at LIMIT ${limit}`,
      values,
    );
    return rows.map(toTicket);
  }

  /** Closes an open ticket (`done` or `cancelled`) with who and why. */
  async close(id: string, close: { status: 'done' | 'cancelled'; by: string; resolution?: string }): Promise<Ticket> {
    const ticket = await this.get(id);
    if (ticket.status !== 'open') throw new RoutingConflictError(`ticket ${id} is already ${ticket.status}`);
    const now = this.now();
    // TypeORM answers an UPDATE … RETURNING on PostgreSQL with [rows, affected].
    const [rows]: [TicketRow[], number] = await this.options.dataSource.query(
      `UPDATE routing.ticket SET status = $2, closed_by = $3, resolution = $4, closed_at = $5, updated_at = $5 WHERE id = $1 AND status = 'open' RETURNING *`,
      [id, close.status, close.by, close.resolution === undefined ? null : storableText(close.resolution), now],
    );
    const row = rows[0];
    if (!row) throw new RoutingConflictError(`ticket ${id} was closed meanwhile`);
    return toTicket(row);
  }
}
